package demo

import (
	"bytes"
	"hash/fnv"
	"image"
	"image/color"
	"image/png"
	"math"
	"math/rand/v2"
)

// maxImageSide bounds ProductImage so a typo in seed data cannot ask for
// gigabytes.
const maxImageSide = 4096

// ProductImage draws a product-card picture for demo data: a two-colour
// gradient, soft background dots, a floor shadow and a shaded product
// silhouette (ball, box, bottle or mug), all chosen from title and seed.
// The same inputs always give the same bytes, and nothing touches the
// network. Sides are clamped to 1…4096 pixels.
func ProductImage(title string, w, h int, seed int64) []byte {
	w, h = min(max(w, 1), maxImageSide), min(max(h, 1), maxImageSide)
	sc, p := layout(title, w, h, seed)
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetNRGBA(x, y, sc.shade(float64(x)+0.5, float64(y)+0.5, p))
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		// Encoding an in-memory NRGBA into a buffer cannot fail.
		panic("demo: encode product image: " + err.Error())
	}
	return buf.Bytes()
}

// layout draws every random choice up front, so a picture depends only
// on its inputs and not on how many pixels were shaded.
func layout(title string, w, h int, seed int64) (scene, palette) {
	hs := fnv.New64a()
	hs.Write([]byte(title))
	// PCG is specified bit for bit, so the picture is stable across Go
	// releases, unlike the global generator.
	rng := rand.New(rand.NewPCG(hs.Sum64(), uint64(seed)))
	hue := rng.Float64() * 360
	p := palette{
		bgTop:    hsl(hue, 0.55, 0.90),
		bgBottom: hsl(hue+40+rng.Float64()*40, 0.60, 0.72),
		dot:      hsl(hue+180, 0.50, 0.97),
		product:  hsl(hue+150+rng.Float64()*60, 0.65, 0.52),
	}
	sc := scene{w: float64(w), h: float64(h), unit: math.Min(float64(w), float64(h)), shape: shapeKind(rng.IntN(int(numShapes)))}
	sc.cx, sc.cy = sc.w/2, sc.h*0.52
	for range 5 {
		sc.dots = append(sc.dots, dot{x: rng.Float64() * sc.w, y: rng.Float64() * sc.h, r: sc.unit * (0.05 + rng.Float64()*0.12)})
	}
	return sc, p
}

type shapeKind int

const (
	shapeBall shapeKind = iota
	shapeBox
	shapeBottle
	shapeMug
	numShapes
)

// base is how far below the centre the shape stands, in units of the
// shorter side, so its shadow touches it.
func (k shapeKind) base() float64 {
	switch k {
	case shapeBottle:
		return 0.30
	case shapeMug:
		return 0.22
	default:
		return 0.26
	}
}

type palette struct{ bgTop, bgBottom, dot, product rgb }

type dot struct{ x, y, r float64 }

type scene struct {
	w, h, unit, cx, cy float64
	shape              shapeKind
	dots               []dot
}

// shade computes one pixel back to front: gradient, dots, shadow, product.
func (s scene) shade(x, y float64, p palette) color.NRGBA {
	c := p.bgTop.mix(p.bgBottom, (x/s.w+2*y/s.h)/3)
	for _, d := range s.dots {
		if math.Abs(x-d.x) > d.r+1 || math.Abs(y-d.y) > d.r+1 {
			continue // cheap box test: most pixels miss most dots
		}
		c = c.mix(p.dot, 0.35*coverage(math.Hypot(x-d.x, y-d.y)-d.r))
	}
	// A blurred ellipse under the product grounds it on the "floor".
	sx, sy := (x-s.cx)/(s.unit*0.30), (y-(s.cy+s.unit*s.shape.base()))/(s.unit*0.05)
	if e := math.Hypot(sx, sy); e < 1.6 {
		c = c.mix(rgb{0, 0, 0}, 0.22*smoothstep(1.6, 0.4, e))
	}
	d := s.silhouette(x, y)
	if a := coverage(d); a > 0 {
		// Light from the top left: lighter there, darker bottom right, and
		// a soft highlight, which reads as a 3-D object at thumbnail size.
		u, v := (x-s.cx)/s.unit, (y-s.cy)/s.unit
		body := p.product.lighten(0.25 * (-u - v))
		hl := math.Max(0, 1-math.Hypot(u+0.09, v+0.10)/0.10)
		body = body.mix(rgb{1, 1, 1}, 0.45*hl*hl)
		// A thin darker rim near the edge separates it from the backdrop.
		body = body.mix(p.product.lighten(-0.35), 0.5*smoothstep(-s.unit*0.012, 0, d))
		c = c.mix(body, a)
	}
	return c.nrgba()
}

// silhouette is the product's signed distance in pixels: negative inside.
func (s scene) silhouette(x, y float64) float64 {
	u := s.unit
	px, py := x-s.cx, y-s.cy
	// Every shape fits in ±0.35 units; far outside, the exact distance
	// does not matter, only that it is positive.
	if math.Abs(px) > u*0.36 || math.Abs(py) > u*0.36 {
		return u
	}
	switch s.shape {
	case shapeBall:
		return math.Hypot(px, py) - u*0.26
	case shapeBox:
		return roundRect(px, py, u*0.24, u*0.26, u*0.06)
	case shapeBottle:
		bodyD := roundRect(px, py-u*0.08, u*0.14, u*0.22, u*0.07)
		neck := roundRect(px, py+u*0.20, u*0.055, u*0.09, u*0.02)
		return math.Min(bodyD, neck)
	default: // mug: a body and a ring handle on the right
		bodyD := roundRect(px+u*0.04, py, u*0.18, u*0.22, u*0.04)
		handle := math.Abs(math.Hypot(px-u*0.15, py)-u*0.09) - u*0.028
		return math.Min(bodyD, handle)
	}
}

// roundRect is the signed distance to a rectangle of half-size hw×hh with
// corner radius r, centred on the origin.
func roundRect(x, y, hw, hh, r float64) float64 {
	qx, qy := math.Abs(x)-hw+r, math.Abs(y)-hh+r
	return math.Hypot(math.Max(qx, 0), math.Max(qy, 0)) + math.Min(math.Max(qx, qy), 0) - r
}

// coverage turns a signed distance into pixel coverage: a one-pixel
// anti-aliased edge without supersampling.
func coverage(d float64) float64 { return math.Min(1, math.Max(0, 0.5-d)) }

func smoothstep(e0, e1, x float64) float64 {
	t := math.Min(1, math.Max(0, (x-e0)/(e1-e0)))
	return t * t * (3 - 2*t)
}

// rgb is a colour with channels in 0…1, for blending without rounding
// at every step.
type rgb struct{ r, g, b float64 }

func (c rgb) mix(o rgb, t float64) rgb {
	return rgb{c.r + (o.r-c.r)*t, c.g + (o.g-c.g)*t, c.b + (o.b-c.b)*t}
}

// lighten moves towards white for t > 0 and black for t < 0.
func (c rgb) lighten(t float64) rgb {
	if t < 0 {
		return c.mix(rgb{0, 0, 0}, math.Min(1, -t))
	}
	return c.mix(rgb{1, 1, 1}, math.Min(1, t))
}

func (c rgb) nrgba() color.NRGBA {
	to8 := func(v float64) uint8 { return uint8(math.Round(math.Min(1, math.Max(0, v)) * 255)) }
	return color.NRGBA{to8(c.r), to8(c.g), to8(c.b), 255}
}

// hsl converts hue (degrees, any range), saturation and lightness to rgb.
func hsl(h, s, l float64) rgb {
	h = math.Mod(math.Mod(h, 360)+360, 360) / 60
	ch := (1 - math.Abs(2*l-1)) * s
	x := ch * (1 - math.Abs(math.Mod(h, 2)-1))
	var r, g, b float64
	switch {
	case h < 1:
		r, g = ch, x
	case h < 2:
		r, g = x, ch
	case h < 3:
		g, b = ch, x
	case h < 4:
		g, b = x, ch
	case h < 5:
		r, b = x, ch
	default:
		r, b = ch, x
	}
	m := l - ch/2
	return rgb{r + m, g + m, b + m}
}

package imagestore

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"

	"golang.org/x/image/draw"
)

// ThumbSize is the box a thumbnail fits in, aspect ratio kept.
const ThumbSize = 320

// thumbQuality balances size and artefacts for small product photos.
const thumbQuality = 82

// thumbnail scales img to fit in ThumbSize×ThumbSize and encodes it as
// JPEG. Small images are not enlarged.
func thumbnail(img image.Image) ([]byte, error) {
	sb := img.Bounds()
	w, h := fitBox(sb.Dx(), sb.Dy(), ThumbSize)
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	// JPEG has no alpha: flatten transparent PNG/GIF/WebP onto white, the
	// background product cards use, instead of JPEG's implicit black.
	draw.Draw(dst, dst.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	// Catmull-Rom averages over the whole source footprint, so large
	// downscales stay smooth instead of aliasing like nearest-neighbour.
	draw.CatmullRom.Scale(dst, dst.Bounds(), img, sb, draw.Over, nil)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, dst, &jpeg.Options{Quality: thumbQuality}); err != nil {
		return nil, fmt.Errorf("encode jpeg: %w", err)
	}
	return buf.Bytes(), nil
}

// fitBox returns the size of a w×h rectangle scaled down to fit in a
// box×box square, never up, and never to zero.
func fitBox(w, h, box int) (int, int) {
	if w <= box && h <= box {
		return w, h
	}
	if w >= h {
		return box, max(1, (h*box+w/2)/w)
	}
	return max(1, (w*box+h/2)/h), box
}

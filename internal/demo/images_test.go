package demo

import (
	"bytes"
	"image/png"
	"testing"
)

func TestProductImage(t *testing.T) {
	tests := []struct {
		name         string
		w, h         int
		wantW, wantH int
	}{
		{"square", 64, 64, 64, 64},
		{"landscape", 120, 80, 120, 80},
		{"portrait", 60, 90, 60, 90},
		{"zero clamps to one", 0, -5, 1, 1},
		{"too big clamps", 5000, 2, maxImageSide, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := ProductImage("Silk scarf", tt.w, tt.h, 7)
			img, err := png.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("not a PNG: %v", err)
			}
			if b := img.Bounds(); b.Dx() != tt.wantW || b.Dy() != tt.wantH {
				t.Errorf("size %dx%d, want %dx%d", b.Dx(), b.Dy(), tt.wantW, tt.wantH)
			}
		})
	}
}

func TestProductImageDeterministic(t *testing.T) {
	a := ProductImage("Green tea", 48, 48, 1)
	if !bytes.Equal(a, ProductImage("Green tea", 48, 48, 1)) {
		t.Error("same inputs gave different images")
	}
	others := map[string][]byte{
		"other title": ProductImage("Oolong tea", 48, 48, 1),
		"other seed":  ProductImage("Green tea", 48, 48, 2),
	}
	for name, b := range others {
		if bytes.Equal(a, b) {
			t.Errorf("%s gave the same image", name)
		}
	}
}

// Every silhouette must actually be drawn: the centre pixel differs from
// a corner (background) pixel.
func TestProductImageDrawsProduct(t *testing.T) {
	shapes := map[shapeKind]bool{}
	for seed := int64(0); len(shapes) < int(numShapes) && seed < 200; seed++ {
		data := ProductImage("Lamp", 40, 40, seed)
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if img.At(20, 22) == img.At(0, 0) {
			t.Errorf("seed %d: no product in the middle", seed)
		}
		sc, _ := layout("Lamp", 40, 40, seed)
		shapes[sc.shape] = true
	}
	if len(shapes) != int(numShapes) {
		t.Errorf("only %d of %d shapes drawn in 200 seeds", len(shapes), numShapes)
	}
}

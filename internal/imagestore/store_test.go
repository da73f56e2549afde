package imagestore

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/liveshop/liveshop/internal/apperr"
)

func newStore(t *testing.T, maxBytes int64) *Store {
	t.Helper()
	s, err := New(t.TempDir(), maxBytes)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func testImage(w, h int) image.Image {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.NRGBA{uint8(x * 255 / w), uint8(y * 255 / h), 128, 255})
		}
	}
	return img
}

func encodePNG(t *testing.T, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, testImage(w, h)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func encodeJPEG(t *testing.T, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, testImage(w, h), nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func encodeGIF(t *testing.T, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := gif.Encode(&buf, testImage(w, h), nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// hugePNG is a valid PNG signature and IHDR claiming w×h pixels with no
// pixel data: what a decompression bomb looks like to DecodeConfig.
func hugePNG(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 6 // 8-bit RGBA
	chunk := append([]byte("IHDR"), ihdr...)
	_ = binary.Write(&b, binary.BigEndian, uint32(len(ihdr)))
	b.Write(chunk)
	_ = binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return b.Bytes()
}

func TestStoreAccepts(t *testing.T) {
	webpData, err := os.ReadFile("testdata/blue-purple-pink.lossy.webp")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name         string
		data         []byte
		wantType     string
		wantW, wantH int
		thumbW       int
		thumbH       int
	}{
		{"png landscape", encodePNG(t, 640, 480), "image/png", 640, 480, 320, 240},
		{"jpeg small is not enlarged", encodeJPEG(t, 100, 50), "image/jpeg", 100, 50, 100, 50},
		{"gif portrait", encodeGIF(t, 200, 800), "image/gif", 200, 800, 80, 320},
		{"webp", webpData, "image/webp", 0, 0, 0, 0}, // size checked against DecodeConfig below
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStore(t, 0)
			meta, err := s.Store(context.Background(), "img_1", bytes.NewReader(tt.data))
			if err != nil {
				t.Fatalf("Store: %v", err)
			}
			if tt.wantW == 0 {
				img, _, err := image.DecodeConfig(bytes.NewReader(tt.data))
				if err != nil {
					t.Fatal(err)
				}
				tt.wantW, tt.wantH = img.Width, img.Height
				tt.thumbW, tt.thumbH = fitBox(img.Width, img.Height, ThumbSize)
			}
			if meta.ContentType != tt.wantType || meta.Width != tt.wantW || meta.Height != tt.wantH || meta.SizeBytes != int64(len(tt.data)) {
				t.Errorf("meta = %+v, want %s %dx%d %d bytes", meta, tt.wantType, tt.wantW, tt.wantH, len(tt.data))
			}
			orig, err := os.ReadFile(filepath.Join(s.dir, "img_1"))
			if err != nil || !bytes.Equal(orig, tt.data) {
				t.Errorf("original not stored verbatim (err %v)", err)
			}
			tf, err := os.Open(filepath.Join(s.dir, "img_1.thumb.jpg"))
			if err != nil {
				t.Fatal(err)
			}
			defer tf.Close()
			thumb, err := jpeg.Decode(tf)
			if err != nil {
				t.Fatalf("thumbnail is not a JPEG: %v", err)
			}
			if b := thumb.Bounds(); b.Dx() != tt.thumbW || b.Dy() != tt.thumbH || b.Dx() > ThumbSize || b.Dy() > ThumbSize {
				t.Errorf("thumbnail %dx%d, want %dx%d", b.Dx(), b.Dy(), tt.thumbW, tt.thumbH)
			}
			assertNoTempFiles(t, s.dir)
		})
	}
}

func TestStoreRefuses(t *testing.T) {
	pngData := encodePNG(t, 64, 64)
	tests := []struct {
		name      string
		id        string
		data      []byte
		maxBytes  int64
		wantCode  string
		wantField string
		wantMsg   string
	}{
		{"text file", "img_1", []byte("hello, this is not an image\n"), 0, apperr.Unsupported, "image", "image/webp"},
		{"html", "img_1", []byte("<!DOCTYPE html><script>alert(1)</script>"), 0, apperr.Unsupported, "image", "image/jpeg"},
		{"over the byte limit", "img_1", pngData, int64(len(pngData) - 1), apperr.TooLarge, "image", "at most"},
		{"truncated png", "img_1", pngData[:len(pngData)/2], 0, apperr.Invalid, "image", "corrupt"},
		{"signature only", "img_1", pngData[:8], 0, apperr.Invalid, "image", "corrupt"},
		{"huge dimensions", "img_1", hugePNG(9000, 100), 0, apperr.Invalid, "image", "8000×8000"},
		{"huge height", "img_1", hugePNG(100, 100000), 0, apperr.Invalid, "image", "8000×8000"},
		{"path traversal id", "../etc", pngData, 0, apperr.Invalid, "id", "a-z"},
		{"upper-case id", "IMG_1", pngData, 0, apperr.Invalid, "id", "a-z"},
		{"dotted id", "img.thumb", pngData, 0, apperr.Invalid, "id", "a-z"},
		{"empty id", "", pngData, 0, apperr.Invalid, "id", "characters"},
		{"long id", strings.Repeat("a", maxIDLen+1), pngData, 0, apperr.Invalid, "id", "characters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStore(t, tt.maxBytes)
			_, err := s.Store(context.Background(), tt.id, bytes.NewReader(tt.data))
			e, ok := apperr.As(err)
			if !ok {
				t.Fatalf("err = %v, want apperr %s", err, tt.wantCode)
			}
			if e.Code != tt.wantCode || e.Field != tt.wantField || !strings.Contains(e.Message, tt.wantMsg) {
				t.Errorf("err = %+v, want code %s field %s message containing %q", e, tt.wantCode, tt.wantField, tt.wantMsg)
			}
			entries, _ := os.ReadDir(s.dir)
			if len(entries) != 0 {
				t.Errorf("refused upload left %d files behind", len(entries))
			}
		})
	}
}

func TestStoreAtExactLimit(t *testing.T) {
	data := encodePNG(t, 8, 8)
	s := newStore(t, int64(len(data)))
	if _, err := s.Store(context.Background(), "img_1", bytes.NewReader(data)); err != nil {
		t.Fatalf("an image exactly at the limit is refused: %v", err)
	}
}

func TestStoreCancelled(t *testing.T) {
	s := newStore(t, 0)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Store(ctx, "img_1", bytes.NewReader(encodePNG(t, 8, 8))); err == nil {
		t.Fatal("Store with a cancelled context succeeded")
	}
	if entries, _ := os.ReadDir(s.dir); len(entries) != 0 {
		t.Errorf("cancelled upload left %d files", len(entries))
	}
}

func TestRemove(t *testing.T) {
	s := newStore(t, 0)
	ctx := context.Background()
	for _, id := range []string{"img_1", "img_2"} {
		if _, err := s.Store(ctx, id, bytes.NewReader(encodePNG(t, 8, 8))); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Remove("img_1"); err != nil {
		t.Fatalf("Remove: %v", err)
	}
	if err := s.Remove("img_1"); err != nil {
		t.Fatalf("second Remove: %v", err)
	}
	if err := s.Remove("img_never"); err != nil {
		t.Fatalf("Remove of a missing image: %v", err)
	}
	if err := s.Remove("../img_2"); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("Remove bad id: err = %v, want Invalid", err)
	}
	var names []string
	entries, _ := os.ReadDir(s.dir)
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if got := strings.Join(names, ","); got != "img_2,img_2.thumb.jpg" {
		t.Errorf("files left = %s, want img_2's two", got)
	}
}

func TestFitBox(t *testing.T) {
	tests := []struct{ w, h, box, wantW, wantH int }{
		{640, 480, 320, 320, 240},
		{480, 640, 320, 240, 320},
		{320, 320, 320, 320, 320},
		{100, 50, 320, 100, 50},
		{8000, 1, 320, 320, 1},
		{1, 8000, 320, 1, 320},
		{1000, 333, 320, 320, 107},
	}
	for _, tt := range tests {
		if w, h := fitBox(tt.w, tt.h, tt.box); w != tt.wantW || h != tt.wantH {
			t.Errorf("fitBox(%d,%d,%d) = %d,%d; want %d,%d", tt.w, tt.h, tt.box, w, h, tt.wantW, tt.wantH)
		}
	}
}

func TestNewNeedsDir(t *testing.T) {
	if _, err := New("", 0); err == nil {
		t.Fatal("New with no dir succeeded")
	}
	dir := filepath.Join(t.TempDir(), "a", "b")
	s, err := New(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	if s.maxBytes != DefaultMaxBytes {
		t.Errorf("maxBytes = %d, want default %d", s.maxBytes, DefaultMaxBytes)
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		t.Errorf("dir not created: %v", err)
	}
}

func assertNoTempFiles(t *testing.T, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("temp file left behind: %s", e.Name())
		}
	}
}

// Package imagestore keeps product images on local disk: the original bytes
// as uploaded plus a small JPEG thumbnail, both written atomically so a
// reader never sees half a file.
package imagestore

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/catalog"
)

// DefaultMaxBytes bounds an upload when New is given no limit.
const DefaultMaxBytes = 5 << 20

// Store keeps images as files in one directory:
//
//	{dir}/{id}            the original bytes, exactly as uploaded
//	{dir}/{id}.thumb.jpg  a JPEG that fits in ThumbSize×ThumbSize
//
// The content type is not stored: it is sniffed again when serving, which
// cannot disagree with the upload because Store sniffed the same bytes.
type Store struct {
	dir      string
	maxBytes int64
}

// New returns a store under dir, creating it if needed. maxBytes ≤ 0 means
// DefaultMaxBytes.
func New(dir string, maxBytes int64) (*Store, error) {
	if dir == "" {
		return nil, fmt.Errorf("imagestore: no directory given")
	}
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("imagestore: create %s: %w", dir, err)
	}
	return &Store{dir: dir, maxBytes: maxBytes}, nil
}

// Store validates and saves the image read from r under id.
//
// Returns apperr Invalid (field "image") for a bad id, a corrupt image or
// one above MaxDimension pixels a side; TooLarge (field "image") above the
// byte limit; Unsupported (field "image") for anything but JPEG, PNG, GIF
// or WebP.
func (s *Store) Store(ctx context.Context, id string, r io.Reader) (catalog.ImageMeta, error) {
	if err := checkID(id); err != nil {
		return catalog.ImageMeta{}, err
	}
	// One byte past the limit tells "exactly at the limit" from "over it".
	data, err := io.ReadAll(io.LimitReader(r, s.maxBytes+1))
	if err != nil {
		return catalog.ImageMeta{}, fmt.Errorf("imagestore: read %s: %w", id, err)
	}
	if int64(len(data)) > s.maxBytes {
		return catalog.ImageMeta{}, imageErr(apperr.TooLarge, "image must be at most %s", humanBytes(s.maxBytes))
	}
	img, ct, err := decode(data)
	if err != nil {
		return catalog.ImageMeta{}, err
	}
	thumb, err := thumbnail(img)
	if err != nil {
		return catalog.ImageMeta{}, fmt.Errorf("imagestore: thumbnail %s: %w", id, err)
	}
	// Decoding a large image takes a while; don't write for a caller who left.
	if err := ctx.Err(); err != nil {
		return catalog.ImageMeta{}, fmt.Errorf("imagestore: store %s: %w", id, err)
	}
	// Thumbnail first: once the original exists the image counts as stored,
	// so its thumbnail must already be there.
	if err := writeAtomic(s.dir, s.thumbPath(id), bytes.NewReader(thumb)); err != nil {
		return catalog.ImageMeta{}, fmt.Errorf("imagestore: write thumbnail %s: %w", id, err)
	}
	if err := writeAtomic(s.dir, s.originalPath(id), bytes.NewReader(data)); err != nil {
		_ = os.Remove(s.thumbPath(id))
		return catalog.ImageMeta{}, fmt.Errorf("imagestore: write %s: %w", id, err)
	}
	b := img.Bounds()
	return catalog.ImageMeta{ContentType: ct, SizeBytes: int64(len(data)), Width: b.Dx(), Height: b.Dy()}, nil
}

// Remove deletes the image and its thumbnail. A missing file is not an
// error, so removing twice is harmless. Returns apperr Invalid for a bad id.
func (s *Store) Remove(id string) error {
	if err := checkID(id); err != nil {
		return err
	}
	// Original first, mirroring Store: a thumbnail without an original is
	// invisible, the reverse would serve a broken thumbnail.
	for _, p := range []string{s.originalPath(id), s.thumbPath(id)} {
		if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
			return fmt.Errorf("imagestore: remove %s: %w", id, err)
		}
	}
	return nil
}

func (s *Store) originalPath(id string) string { return filepath.Join(s.dir, id) }
func (s *Store) thumbPath(id string) string    { return filepath.Join(s.dir, id+".thumb.jpg") }

// imageErr is an apperr for the "image" field with any code: apperr.Field
// only makes Invalid errors.
func imageErr(code, format string, args ...any) error {
	e := apperr.New(code, format, args...)
	e.Field = "image"
	return e
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	default:
		return fmt.Sprintf("%d bytes", n)
	}
}

var _ catalog.ImageFiles = (*Store)(nil)

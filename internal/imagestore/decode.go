package imagestore

import (
	"bytes"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"

	"golang.org/x/image/webp"

	"github.com/liveshop/liveshop/internal/apperr"
)

// MaxDimension bounds either side of an accepted image in pixels. A few
// kilobytes of PNG can claim gigapixels; the limit keeps decoding memory
// at a few hundred megabytes at worst.
const MaxDimension = 8000

// AcceptedTypes lists the content types Store accepts, for messages and
// for clients that want to filter before uploading.
const AcceptedTypes = "image/jpeg, image/png, image/gif, image/webp"

type codec struct {
	decode       func(io.Reader) (image.Image, error)
	decodeConfig func(io.Reader) (image.Config, error)
}

// codecFor picks the decoder from the sniffed type rather than through
// image.Decode, so a file is decoded as what it claims to be and nothing
// depends on which formats some other package registered.
func codecFor(contentType string) (codec, bool) {
	switch contentType {
	case "image/jpeg":
		return codec{jpeg.Decode, jpeg.DecodeConfig}, true
	case "image/png":
		return codec{png.Decode, png.DecodeConfig}, true
	case "image/gif":
		// The first frame only: it is what the thumbnail shows, and
		// decoding every frame of an animation is a memory bomb.
		return codec{gif.Decode, gif.DecodeConfig}, true
	case "image/webp":
		return codec{webp.Decode, webp.DecodeConfig}, true
	}
	return codec{}, false
}

// decode sniffs, bounds and fully decodes data, returning the image and
// its content type.
func decode(data []byte) (image.Image, string, error) {
	ct := http.DetectContentType(data)
	c, ok := codecFor(ct)
	if !ok {
		return nil, "", imageErr(apperr.Unsupported, "image must be one of %s", AcceptedTypes)
	}
	// The header alone tells the size: check it before allocating pixels.
	cfg, err := c.decodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, "", apperr.Field("image", "image is corrupt or truncated")
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, "", apperr.Field("image", "image has no pixels")
	}
	if cfg.Width > MaxDimension || cfg.Height > MaxDimension {
		return nil, "", apperr.Field("image", "image must be at most %d×%d pixels, got %d×%d",
			MaxDimension, MaxDimension, cfg.Width, cfg.Height)
	}
	img, err := c.decode(bytes.NewReader(data))
	if err != nil {
		return nil, "", apperr.Field("image", "image is corrupt or truncated")
	}
	return img, ct, nil
}

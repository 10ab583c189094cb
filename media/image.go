package media

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"

	"github.com/disintegration/imaging"
	_ "golang.org/x/image/webp" // registers the WebP decoder (bmp and tiff come with imaging)
)

// ImageLimits bound what the server decodes and what variants it makes.
type ImageLimits struct {
	// MaxSide and MaxPixels are checked on the header before anything is decoded (a
	// decompression bomb declares a huge canvas in a small file). Defaults 16384 px and
	// 50 megapixels.
	MaxSide   int
	MaxPixels int64
	// ThumbnailSide and LargeSide are the boxes the thumbnail and the large image fit
	// in (aspect kept, never enlarged). Defaults 400 and 1280 px (parley's choice: ZIM
	// does not publish its sizes). An image already inside a box is its own variant.
	ThumbnailSide int
	LargeSide     int
	// JPEGQuality of the variants. Default 82.
	JPEGQuality int
}

func (l *ImageLimits) defaults() {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&l.MaxSide, 16384)
	if l.MaxPixels <= 0 {
		l.MaxPixels = 50_000_000
	}
	def(&l.ThumbnailSide, 400)
	def(&l.LargeSide, 1280)
	def(&l.JPEGQuality, 82)
}

// Errors of image checks.
var (
	ErrImageFormat = errors.New("media: not an image in a supported format")
	ErrImageTooBig = errors.New("media: image dimensions over the limit")
)

// ImageHeader reads only the image's header from r (format and dimensions) and checks
// them against the limits, before the pixels are decoded.
func ImageHeader(r io.Reader, lim ImageLimits) (image.Config, string, error) {
	lim.defaults()
	cfg, format, err := image.DecodeConfig(r)
	if err != nil {
		return cfg, "", ErrImageFormat
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return cfg, format, ErrImageFormat
	}
	if cfg.Width > lim.MaxSide || cfg.Height > lim.MaxSide || int64(cfg.Width)*int64(cfg.Height) > lim.MaxPixels {
		return cfg, format, ErrImageTooBig
	}
	return cfg, format, nil
}

// Variant is one derived image.
type Variant struct {
	Data          []byte
	Width, Height int
	ContentType   string
}

// Variants describes an uploaded image: its dimensions (after EXIF orientation) and its
// thumbnail and large image; a nil variant means the original is small enough to be it.
type Variants struct {
	Width, Height int
	Format        string
	Thumbnail     *Variant
	Large         *Variant
}

// MakeVariants checks the header of data and decodes it, then makes the large image
// and the thumbnail (from the large image: one full-size resampling).
func MakeVariants(data []byte, lim ImageLimits) (*Variants, error) {
	lim.defaults()
	_, format, err := ImageHeader(bytes.NewReader(data), lim)
	if err != nil {
		return nil, err
	}
	img, err := imaging.Decode(bytes.NewReader(data), imaging.AutoOrientation(true))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrImageFormat, err)
	}
	b := img.Bounds()
	v := &Variants{Width: b.Dx(), Height: b.Dy(), Format: format}
	src := img
	if b.Dx() > lim.LargeSide || b.Dy() > lim.LargeSide {
		large := imaging.Fit(img, lim.LargeSide, lim.LargeSide, imaging.Linear)
		if v.Large, err = encodeVariant(large, format, lim); err != nil {
			return nil, err
		}
		src = large
	}
	sb := src.Bounds()
	if sb.Dx() > lim.ThumbnailSide || sb.Dy() > lim.ThumbnailSide {
		thumb := imaging.Fit(src, lim.ThumbnailSide, lim.ThumbnailSide, imaging.Linear)
		if v.Thumbnail, err = encodeVariant(thumb, format, lim); err != nil {
			return nil, err
		}
	} else if src != img {
		v.Thumbnail = v.Large // the large image is small enough to be the thumbnail
	}
	return v, nil
}

// encodeVariant writes PNG for formats that may carry transparency (png, gif, webp),
// JPEG otherwise.
func encodeVariant(img image.Image, format string, lim ImageLimits) (*Variant, error) {
	var buf bytes.Buffer
	ct := "image/jpeg"
	var err error
	switch format {
	case "png", "gif", "webp":
		ct = "image/png"
		err = (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, img)
	default:
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: lim.JPEGQuality})
	}
	if err != nil {
		return nil, err
	}
	b := img.Bounds()
	return &Variant{Data: buf.Bytes(), Width: b.Dx(), Height: b.Dy(), ContentType: ct}, nil
}

package media

import (
	"bytes"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"math"

	"github.com/buckket/go-blurhash"
	"golang.org/x/image/draw"
	"golang.org/x/image/webp"
)

// jpegQuality balances size and quality for re-encoded photos.
const jpegQuality = 85

// decoderFor returns the decoders of a still-image format: only the one for the sniffed
// format ever sees the bytes.
func decoderFor(f Format) (decode func(io.Reader) (image.Image, error), config func(io.Reader) (image.Config, error), ok bool) {
	switch f {
	case JPEG:
		return jpeg.Decode, jpeg.DecodeConfig, true
	case PNG:
		return png.Decode, png.DecodeConfig, true
	case GIF:
		return gif.Decode, gif.DecodeConfig, true
	case WebP:
		return webp.Decode, webp.DecodeConfig, true
	}
	return nil, nil, false
}

// Decode decodes a still image after checking from its header that it is not too large
// to decode: a decompression bomb is refused without allocating its pixels.
// The image comes back upright (EXIF orientation applied).
func Decode(data []byte, f Format) (image.Image, error) {
	img, orientation, err := decodeRaw(data, f)
	if err != nil {
		return nil, err
	}
	return orient(img, orientation), nil
}

// decodeRaw decodes as stored, returning the EXIF orientation to apply.
func decodeRaw(data []byte, f Format) (image.Image, int, error) {
	decode, config, ok := decoderFor(f)
	if !ok {
		return nil, 0, refuse("%s images are not supported by this server", f.MIME)
	}
	cfg, err := config(bytes.NewReader(data))
	if err != nil {
		return nil, 0, corrupt(f.MIME+" image", err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, 0, refuse("the image has no pixels")
	}
	if int64(cfg.Width)*int64(cfg.Height) > MaxInputPixels {
		return nil, 0, refuse("the image is %d×%d pixels, more than the %d this server accepts", cfg.Width, cfg.Height, MaxInputPixels)
	}
	img, err := decode(bytes.NewReader(data))
	if err != nil {
		return nil, 0, corrupt(f.MIME+" image", err)
	}
	orientation := 1
	if f == JPEG {
		orientation = exifOrientation(data)
	}
	return img, orientation, nil
}

// ProcessImage re-encodes a still image: upright, at most MaxOriginalPixels, with a
// preview of at most MaxPreviewPixels and the preview's blurhash. Re-encoding keeps only
// pixels, so EXIF, GPS positions, comments and anything appended to the file are gone.
func ProcessImage(data []byte, f Format) (*Result, error) {
	img, orientation, err := decodeRaw(data, f)
	if err != nil {
		return nil, err
	}
	// Scaling first makes turning the image upright cheaper; the pixel count is the same.
	return ImageResult(orient(Fit(img, MaxOriginalPixels), orientation), f == PNG)
}

// ImageResult encodes a decoded image as an image attachment (also a video's preview
// frame); keepPNG keeps a lossless format for opaque images that came as PNG.
func ImageResult(img image.Image, keepPNG bool) (*Result, error) {
	original := Fit(img, MaxOriginalPixels)
	out, err := Encode(original, keepPNG)
	if err != nil {
		return nil, err
	}
	preview, err := Preview(original)
	if err != nil {
		return nil, err
	}
	return &Result{Kind: Image, Original: out, Preview: preview, Blurhash: Blurhash(preview.image)}, nil
}

// Preview scales img into the preview size and encodes it.
func Preview(img image.Image) (*File, error) {
	small := Fit(img, MaxPreviewPixels)
	f, err := Encode(small, false)
	if err != nil {
		return nil, err
	}
	f.image = small
	return &f, nil
}

// Fit scales img down, keeping its aspect, until it has at most maxPixels pixels.
func Fit(img image.Image, maxPixels int) image.Image {
	b := img.Bounds()
	w, h, ok := fitPixels(b.Dx(), b.Dy(), maxPixels)
	if !ok {
		return img
	}
	return scale(img, w, h, maxPixels <= MaxPreviewPixels)
}

func fitPixels(w, h, maxPixels int) (int, int, bool) {
	if w*h <= maxPixels {
		return w, h, false
	}
	f := math.Sqrt(float64(maxPixels) / float64(w*h))
	nw, nh := max(1, int(float64(w)*f)), max(1, int(float64(h)*f))
	return nw, nh, true
}

// scale resizes img to w×h. x/image's kernel scalers hold a float64 buffer of source
// height × target width × 4, hundreds of MB for a photo, so large reductions first halve
// the image (bilinear sampling at exactly ½ averages 2×2 blocks: a box filter) until it
// is within twice the target; the last step is bilinear, or Catmull-Rom for small
// images (previews) where its sharper result is worth its now small buffer.
func scale(img image.Image, w, h int, sharp bool) image.Image {
	for b := img.Bounds(); b.Dx() >= 2*w && b.Dy() >= 2*h; b = img.Bounds() {
		half := image.NewRGBA(image.Rect(0, 0, b.Dx()/2, b.Dy()/2))
		draw.ApproxBiLinear.Scale(half, half.Bounds(), img, b, draw.Src, nil)
		img = half
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	var scaler draw.Scaler = draw.ApproxBiLinear
	if sharp {
		scaler = draw.CatmullRom
	}
	scaler.Scale(dst, dst.Bounds(), img, img.Bounds(), draw.Src, nil)
	return dst
}

// Crop cuts img to the aspect of w×h around its centre and scales it down to at most
// w×h: avatars and headers.
func Crop(img image.Image, w, h int) image.Image {
	b := img.Bounds()
	cw, ch := b.Dx(), b.Dx()*h/w
	if ch > b.Dy() {
		cw, ch = b.Dy()*w/h, b.Dy()
	}
	r := image.Rect(0, 0, max(cw, 1), max(ch, 1)).Add(b.Min).Add(image.Pt((b.Dx()-cw)/2, (b.Dy()-ch)/2))
	tw, th := r.Dx(), r.Dy()
	if tw > w {
		tw, th = w, h
	}
	return scale(subImage(img, r), tw, th, true)
}

// subImage is the part of img inside r, sharing its pixels where the type allows.
func subImage(img image.Image, r image.Rectangle) image.Image {
	if s, ok := img.(interface {
		SubImage(image.Rectangle) image.Image
	}); ok {
		return s.SubImage(r)
	}
	dst := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
	draw.Draw(dst, dst.Bounds(), img, r.Min, draw.Src)
	return dst
}

// Encode writes img as JPEG when it is opaque and PNG when it has transparency (or
// keepPNG asks for a lossless copy).
func Encode(img image.Image, keepPNG bool) (File, error) {
	var buf bytes.Buffer
	b := img.Bounds()
	f := File{Dimensions: Dimensions{Width: b.Dx(), Height: b.Dy()}}
	if keepPNG || !opaque(img) {
		f.ContentType, f.Ext = "image/png", "png"
		err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, img)
		f.Data = buf.Bytes()
		return f, err
	}
	f.ContentType, f.Ext = "image/jpeg", "jpg"
	err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: jpegQuality})
	f.Data = buf.Bytes()
	return f, err
}

func opaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	return false
}

// Blurhash is the blurhash of img (4×3 components), computed on a thumbnail: the hash
// keeps only a few colours, so more pixels would only cost time.
func Blurhash(img image.Image) string {
	if img == nil {
		return ""
	}
	thumb := img
	if b := img.Bounds(); b.Dx()*b.Dy() > 32*32 {
		w, h, _ := fitPixels(b.Dx(), b.Dy(), 32*32)
		dst := image.NewRGBA(image.Rect(0, 0, w, h))
		draw.BiLinear.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
		thumb = dst
	}
	hash, err := blurhash.Encode(4, 3, thumb)
	if err != nil {
		return ""
	}
	return hash
}

package media

import (
	"errors"
	"image"

	"golang.org/x/image/draw"
)

// Animated reports whether a GIF has more than one frame, by walking its blocks
// without decoding any: a GIF of thousands of frames costs nothing to ask about.
func Animated(b []byte) (bool, error) {
	if len(b) < 13 {
		return false, corrupt("GIF", errors.New("short header"))
	}
	p := 13
	if flags := b[10]; flags&0x80 != 0 {
		p += 3 << (flags&7 + 1)
	}
	frames := 0
	for p < len(b) {
		switch b[p] {
		case 0x21: // extension: label, then sub-blocks
			p = skipSubBlocks(b, p+2)
		case 0x2C: // image descriptor, optional local colour table, LZW size, data
			if frames++; frames > 1 {
				return true, nil
			}
			if p+10 > len(b) {
				return false, corrupt("GIF", errors.New("truncated image descriptor"))
			}
			flags := b[p+9]
			p += 10
			if flags&0x80 != 0 {
				p += 3 << (flags&7 + 1)
			}
			p = skipSubBlocks(b, p+1)
		case 0x3B: // trailer
			return false, nil
		default:
			return false, corrupt("GIF", errors.New("unknown block"))
		}
	}
	return false, nil
}

func skipSubBlocks(b []byte, p int) int {
	for p < len(b) && b[p] != 0 {
		p += int(b[p]) + 1
	}
	return p + 1
}

func drawSrc(dst draw.Image, src image.Image) {
	draw.Draw(dst, dst.Bounds(), src, src.Bounds().Min, draw.Src)
}

package photo

import (
	"bytes"
	"context"
	"fmt"
	"image"
	_ "image/gif"  // register GIF
	_ "image/jpeg" // register JPEG
	_ "image/png"  // register PNG
	"io"

	"github.com/corona10/goimagehash"
	"github.com/unmask/unmask"
	_ "golang.org/x/image/webp" // register WebP
)

// Limits bound the work one photo may cost. Zero fields take the defaults.
type Limits struct {
	// MaxBytes is the largest file accepted; default 10 MiB.
	MaxBytes int64
	// MaxPixels is the largest width × height decoded; default 40 million.
	MaxPixels int64
}

func (l Limits) withDefaults() Limits {
	if l.MaxBytes == 0 {
		l.MaxBytes = 10 << 20
	}
	if l.MaxPixels == 0 {
		l.MaxPixels = 40_000_000
	}
	return l
}

// Hashes are the perceptual hashes of one image.
type Hashes struct {
	Format string `json:"format"` // jpeg, png, gif or webp
	// PHash is the DCT perceptual hash, robust to scaling and recompression.
	PHash uint64 `json:"phash"`
	// DHash is the difference hash, a second opinion.
	DHash uint64 `json:"dhash"`
}

// Hasher computes photo hashes. It is safe for concurrent use.
type Hasher struct {
	limits Limits
}

// NewHasher returns a hasher with the given limits.
func NewHasher(l Limits) *Hasher { return &Hasher{limits: l.withDefaults()} }

// Hash reads an image from r. It returns ETOOLARGE for files or dimensions over the limits,
// EINVALID for anything that is not a supported image, and EUNAVAILABLE when ctx ends
// before decoding finishes (the decode then completes in the background; MaxPixels bounds
// its cost).
func (h *Hasher) Hash(ctx context.Context, r io.Reader) (Hashes, error) {
	data, err := io.ReadAll(io.LimitReader(r, h.limits.MaxBytes+1))
	if err != nil {
		return Hashes{}, fmt.Errorf("read photo: %w", err)
	}
	if int64(len(data)) > h.limits.MaxBytes {
		return Hashes{}, unmask.Errorf(unmask.ETOOLARGE, "Photo is larger than %d bytes.", h.limits.MaxBytes)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return Hashes{}, unmask.WrapError(unmask.EINVALID, err, "Photo is not a JPEG, PNG, GIF or WebP image.")
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > h.limits.MaxPixels {
		return Hashes{}, unmask.Errorf(unmask.ETOOLARGE, "Photo dimensions %d×%d exceed the limit.", cfg.Width, cfg.Height)
	}
	type result struct {
		h   Hashes
		err error
	}
	done := make(chan result, 1)
	go func() {
		hs, err := decodeAndHash(data)
		hs.Format = format
		done <- result{hs, err}
	}()
	select {
	case res := <-done:
		return res.h, res.err
	case <-ctx.Done():
		return Hashes{}, unmask.WrapError(unmask.EUNAVAILABLE, ctx.Err(), "Photo hashing did not finish in time.")
	}
}

func decodeAndHash(data []byte) (hs Hashes, err error) {
	defer func() {
		if r := recover(); r != nil {
			hs, err = Hashes{}, unmask.WrapError(unmask.EINVALID, fmt.Errorf("image decoder: %v", r), "Photo is damaged.")
		}
	}()
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return Hashes{}, unmask.WrapError(unmask.EINVALID, err, "Photo cannot be decoded.")
	}
	p, err := goimagehash.PerceptionHash(img)
	if err != nil {
		return Hashes{}, unmask.WrapError(unmask.EINVALID, err, "Photo cannot be hashed.")
	}
	d, err := goimagehash.DifferenceHash(img)
	if err != nil {
		return Hashes{}, unmask.WrapError(unmask.EINVALID, err, "Photo cannot be hashed.")
	}
	return Hashes{PHash: p.GetHash(), DHash: d.GetHash()}, nil
}

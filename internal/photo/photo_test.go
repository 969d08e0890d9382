package photo

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/unmask/unmask"
	"golang.org/x/image/draw"
)

// portrait draws a deterministic w×h test picture: a gradient background and blobs placed
// by seed.
func portrait(seed uint64, w, h int) *image.RGBA {
	r := rand.New(rand.NewPCG(seed, seed^0x5eed))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	type blob struct{ x, y, rad, c float64 }
	var blobs []blob
	for range 6 {
		blobs = append(blobs, blob{r.Float64(), r.Float64(), 0.1 + 0.25*r.Float64(), 255 * r.Float64()})
	}
	for y := range h {
		for x := range w {
			fx, fy := float64(x)/float64(w), float64(y)/float64(h)
			v := 60 + 100*fy
			for _, b := range blobs {
				if math.Hypot(fx-b.x, fy-b.y) < b.rad {
					v = b.c
				}
			}
			img.Set(x, y, color.RGBA{uint8(v), uint8(v * 0.8), uint8(255 - v), 255})
		}
	}
	return img
}

func MustPNG(tb testing.TB, img image.Image) []byte {
	tb.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

func MustJPEG(tb testing.TB, img image.Image, q int) []byte {
	tb.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: q}); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

func scaled(img image.Image, w, h int) image.Image {
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.CatmullRom.Scale(dst, dst.Bounds(), img, img.Bounds(), draw.Over, nil)
	return dst
}

// MustHugePNG returns a valid PNG header that claims w×h pixels.
func MustHugePNG(tb testing.TB, w, h uint32) []byte {
	tb.Helper()
	b := MustPNG(tb, image.NewGray(image.Rect(0, 0, 1, 1)))
	binary.BigEndian.PutUint32(b[16:], w)
	binary.BigEndian.PutUint32(b[20:], h)
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

func MustFile(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func TestHash(t *testing.T) {
	base := portrait(1, 256, 256)
	ref, err := NewHasher(Limits{}).Hash(t.Context(), bytes.NewReader(MustPNG(t, base)))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		limits   Limits
		data     []byte
		near     bool // pHash within DefaultMaxDistance of ref
		wantCode string
	}{
		{name: "same_png", data: MustPNG(t, base), near: true},
		{name: "resized_jpeg", data: MustJPEG(t, scaled(base, 120, 120), 70), near: true},
		{name: "upscaled_png", data: MustPNG(t, scaled(base, 512, 512)), near: true},
		{name: "different_picture", data: MustPNG(t, portrait(2, 256, 256))},
		// portrait.webp is portrait(1, 256, 256) scaled to 200×200 and encoded by cwebp -q 75.
		{name: "webp_of_same_picture", data: MustFile(t, "portrait.webp"), near: true},
		{name: "text_file", data: []byte("this is not an image"), wantCode: unmask.EINVALID},
		{name: "truncated_png", data: MustPNG(t, base)[:200], wantCode: unmask.EINVALID},
		{name: "pixel_bomb_header", data: MustHugePNG(t, 100000, 100000), wantCode: unmask.ETOOLARGE},
		{name: "over_byte_limit", limits: Limits{MaxBytes: 100}, data: MustPNG(t, base), wantCode: unmask.ETOOLARGE},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NewHasher(tt.limits).Hash(t.Context(), bytes.NewReader(tt.data))
			if code := unmask.ErrorCode(err); code != tt.wantCode {
				t.Fatalf("Hash error = %v, want code %q", err, tt.wantCode)
			}
			if err != nil {
				return
			}
			if d := Distance(ref.PHash, got.PHash); (d <= DefaultMaxDistance) != tt.near {
				t.Errorf("pHash distance to reference = %d, want near = %v", d, tt.near)
			}
		})
	}
}

func TestHashFormat(t *testing.T) {
	img := portrait(3, 64, 64)
	for _, tt := range []struct{ name, want string }{{"png", "png"}, {"jpeg", "jpeg"}, {"webp", "webp"}} {
		t.Run(tt.name, func(t *testing.T) {
			data := MustPNG(t, img)
			switch tt.name {
			case "jpeg":
				data = MustJPEG(t, img, 90)
			case "webp":
				data = MustFile(t, "portrait.webp")
			}
			got, err := NewHasher(Limits{}).Hash(t.Context(), bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			if got.Format != tt.want {
				t.Errorf("Format = %q, want %q", got.Format, tt.want)
			}
		})
	}
}

func TestMultiIndexMatchesBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	var m multiIndex
	hashes := make([]uint64, 3000)
	for i := range hashes {
		hashes[i] = r.Uint64()
		if i%10 == 0 && i > 0 {
			hashes[i] = hashes[i-1] ^ (1 << (i % 64)) ^ (1 << ((i * 7) % 64)) // near neighbours
		}
		m.add(hashes[i])
	}
	for _, radius := range []int{0, 1, 3, 8, 12} {
		t.Run(fmt.Sprintf("radius_%d", radius), func(t *testing.T) {
			for q := range 50 {
				query := hashes[q*97%len(hashes)] ^ uint64(q)
				var want, got []int
				for i, h := range hashes {
					if Distance(h, query) <= radius {
						want = append(want, i)
					}
				}
				m.search(query, radius, func(item, _ int) { got = append(got, item) })
				slices.Sort(got)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Fatalf("query %d: mismatch (-want +got):\n%s", q, diff)
				}
			}
		})
	}
}

func TestIndexScreen(t *testing.T) {
	now := func() time.Time { return time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC) }
	const h = 0xF0F0F0F0F0F0F0F0
	tests := []struct {
		name     string
		existing []Photo
		query    Photo
		want     []string // persons signalled
	}{
		{name: "same_photo_other_name",
			existing: []Photo{{ID: "ph1", PersonID: "p1", Name: "Jane Roe", PHash: h}},
			query:    Photo{ID: "ph2", PersonID: "p2", Name: "Ivan Petrov", PHash: h ^ 0b111},
			want:     []string{"p2", "p1"}},
		{name: "same_photo_same_person_new_record",
			existing: []Photo{{ID: "ph1", PersonID: "p1", Name: "Jane Roe", PHash: h}},
			query:    Photo{ID: "ph2", PersonID: "e1", Name: "Jane M. Roe", PHash: h}},
		{name: "common_name_different_photos",
			existing: []Photo{{ID: "ph1", PersonID: "p1", Name: "John Smith", PHash: h}},
			query:    Photo{ID: "ph2", PersonID: "p2", Name: "John Smith", PHash: ^uint64(h)}},
		{name: "different_photo_other_name",
			existing: []Photo{{ID: "ph1", PersonID: "p1", Name: "Jane Roe", PHash: h}},
			query:    Photo{ID: "ph2", PersonID: "p2", Name: "Ivan Petrov", PHash: h ^ 0xFFFF}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := NewIndex(0, now)
			for _, p := range tt.existing {
				x.Add(p)
			}
			var got []string
			for _, s := range x.Screen(tt.query) {
				got = append(got, s.PersonID)
				if err := s.Validate(); err != nil {
					t.Errorf("invalid signal: %v", err)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Screen mismatch (-want +got):\n%s", diff)
			}
			if x.Len() != len(tt.existing)+1 {
				t.Errorf("Len = %d after Screen", x.Len())
			}
		})
	}
}

func FuzzHash(f *testing.F) {
	entries, err := os.ReadDir("testdata")
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		if b, err := os.ReadFile(filepath.Join("testdata", e.Name())); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("GIF89a"))
	h := NewHasher(Limits{MaxBytes: 1 << 20, MaxPixels: 1 << 20})
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := h.Hash(t.Context(), bytes.NewReader(data))
		if err != nil && unmask.ErrorCode(err) == unmask.EINTERNAL {
			t.Fatalf("Hash returned an uncoded error: %v", err)
		}
	})
}

func BenchmarkIndexSearch(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	x := NewIndex(0, nil)
	for i := range 100_000 {
		x.Add(Photo{ID: strconv.Itoa(i), PHash: r.Uint64()})
	}
	q := r.Uint64()
	for b.Loop() {
		_ = x.Search(q)
	}
}

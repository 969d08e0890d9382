package minhash

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// words returns n distinct words w<start>…w<start+n-1>.
func words(start, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("w%d", start+i)
	}
	return out
}

func jaccard(a, b []uint64) float64 {
	set := make(map[uint64]bool, len(a))
	for _, x := range a {
		set[x] = true
	}
	inter := 0
	for _, x := range b {
		if set[x] {
			inter++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}

func TestSimilarityEstimatesJaccard(t *testing.T) {
	tests := []struct {
		name       string
		a, b       []uint64
		wantExact  float64
		wantApprox bool
	}{
		{name: "identical", a: Shingles(words(0, 200), 1), b: Shingles(words(0, 200), 1), wantExact: 1},
		{name: "disjoint", a: Shingles(words(0, 200), 1), b: Shingles(words(1000, 200), 1), wantExact: 0},
		{name: "half_overlap", a: Shingles(words(0, 300), 1), b: Shingles(words(100, 300), 1), wantApprox: true},
		{name: "high_overlap", a: Shingles(words(0, 500), 1), b: Shingles(words(50, 500), 1), wantApprox: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sa, sb := Sign(tt.a), Sign(tt.b)
			got := Similarity(&sa, &sb)
			want := jaccard(tt.a, tt.b)
			if !tt.wantApprox && got != tt.wantExact {
				t.Fatalf("Similarity = %v, want exactly %v", got, tt.wantExact)
			}
			// Standard error of the estimate is sqrt(J(1-J)/128) ≤ 0.045; allow 3 sigma.
			if math.Abs(got-want) > 0.14 {
				t.Errorf("Similarity = %.3f, true Jaccard %.3f", got, want)
			}
		})
	}
}

func TestShingles(t *testing.T) {
	tests := []struct {
		name  string
		words []string
		k     int
		want  int
	}{
		{name: "five_word", words: strings.Fields("a b c d e f g"), k: 5, want: 3},
		{name: "short_doc", words: strings.Fields("a b"), k: 5, want: 1},
		{name: "repeats_dedup", words: strings.Fields("a b a b a b"), k: 2, want: 2},
		{name: "empty", words: nil, k: 5, want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := len(Shingles(tt.words, tt.k)); got != tt.want {
				t.Errorf("len(Shingles) = %d, want %d", got, tt.want)
			}
		})
	}
	// HashString is part of the storage format: its values must never change. The expected
	// values were computed independently (FNV-1a 64 plus the murmur3 finaliser, in Python).
	for in, want := range map[string]uint64{"resume": 0x669e2b8c4deaa902, "": 0xecba3df2c3383c52} {
		if got := HashString(in); got != want {
			t.Errorf("HashString(%q) = %#x, want %#x", in, got, want)
		}
	}
}

func TestSignatureBytesRoundTrip(t *testing.T) {
	s := Sign(Shingles(words(0, 50), 3))
	got, ok := SignatureFromBytes(s.Bytes())
	if !ok {
		t.Fatal("SignatureFromBytes rejected its own encoding")
	}
	if diff := cmp.Diff(s, got); diff != "" {
		t.Errorf("round trip mismatch (-want +got):\n%s", diff)
	}
	if _, ok := SignatureFromBytes([]byte{1, 2, 3}); ok {
		t.Error("SignatureFromBytes accepted a short blob")
	}
}

func TestParamsValidate(t *testing.T) {
	tests := []struct {
		name    string
		p       Params
		wantErr bool
	}{
		{name: "default", p: DefaultParams},
		{name: "32x4", p: Params{32, 4}},
		{name: "too_many_rows", p: Params{17, 8}, wantErr: true},
		{name: "zero", p: Params{}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.p.Validate(); (err != nil) != tt.wantErr {
				t.Errorf("Validate() = %v, wantErr %v", err, tt.wantErr)
			}
		})
	}
}

func BenchmarkSign(b *testing.B) {
	sh := Shingles(words(0, 60), 5)
	for b.Loop() {
		_ = Sign(sh)
	}
}

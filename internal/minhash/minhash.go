package minhash

import (
	"encoding/binary"
	"math"
	"strings"
)

// NumHashes is the signature length.
const NumHashes = 128

// Signature is a MinHash signature. Values are 32-bit to halve storage; the chance of a
// false collision at one position is 2⁻³².
type Signature [NumHashes]uint32

// hashA and hashB are the fixed coefficients of the NumHashes hash functions h_i(x) = a_i·x + b_i
// (mod 2⁶⁴, upper 32 bits), derived deterministically with splitmix64.
var hashA, hashB = coefficients()

func coefficients() (a, b [NumHashes]uint64) {
	s := uint64(0x9e3779b97f4a7c15)
	next := func() uint64 {
		s += 0x9e3779b97f4a7c15
		z := s
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		return z ^ (z >> 31)
	}
	for i := range NumHashes {
		a[i] = next() | 1
		b[i] = next()
	}
	return a, b
}

// HashString returns the stable 64-bit hash of s used for shingles (FNV-1a followed by a
// splitmix64 finaliser, so it does not depend on a per-process seed).
func HashString(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	return h
}

// Shingles returns the hashes of the k-word shingles of words, deduplicated. Fewer than k
// words give one shingle of all of them; no words give none.
func Shingles(words []string, k int) []uint64 {
	if len(words) == 0 || k <= 0 {
		return nil
	}
	if len(words) < k {
		k = len(words)
	}
	seen := make(map[uint64]struct{}, len(words))
	out := make([]uint64, 0, len(words)-k+1)
	for i := 0; i+k <= len(words); i++ {
		h := HashString(strings.Join(words[i:i+k], " "))
		if _, dup := seen[h]; !dup {
			seen[h] = struct{}{}
			out = append(out, h)
		}
	}
	return out
}

// Sign returns the signature of a set of shingle hashes. An empty set gives the all-ones
// signature, which is similar to no non-empty set.
func Sign(shingles []uint64) Signature {
	var sig Signature
	for i := range sig {
		sig[i] = math.MaxUint32
	}
	for _, x := range shingles {
		for i := range NumHashes {
			if v := uint32((hashA[i]*x + hashB[i]) >> 32); v < sig[i] {
				sig[i] = v
			}
		}
	}
	return sig
}

// Similarity estimates the Jaccard similarity of the sets behind a and b.
func Similarity(a, b *Signature) float64 {
	eq := 0
	for i := range a {
		if a[i] == b[i] {
			eq++
		}
	}
	return float64(eq) / NumHashes
}

// Bytes encodes s as 512 little-endian bytes, for storage as a blob.
func (s *Signature) Bytes() []byte {
	out := make([]byte, 4*NumHashes)
	for i, v := range s {
		binary.LittleEndian.PutUint32(out[4*i:], v)
	}
	return out
}

// SignatureFromBytes decodes the output of Bytes. ok is false if b has the wrong length.
func SignatureFromBytes(b []byte) (s Signature, ok bool) {
	if len(b) != 4*NumHashes {
		return s, false
	}
	for i := range s {
		s[i] = binary.LittleEndian.Uint32(b[4*i:])
	}
	return s, true
}

// Package minhash estimates Jaccard similarity between documents with MinHash signatures and
// finds near-duplicates with a banded locality-sensitive-hashing (LSH) index.
//
// A document is a set of 64-bit shingle hashes (see Shingles). Sign turns the set into a
// Signature of NumHashes values; the fraction of equal positions in two signatures
// estimates the Jaccard similarity of the sets. Params.Keys cuts a signature into b bands of r
// rows and hashes each band into a BandKey; documents sharing any BandKey are candidates.
// Signatures and band keys are plain integers so a store can keep them in SQL tables
// (see Store).
package minhash

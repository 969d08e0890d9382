// Package photo finds profile and ID photos reused across identities (H-08).
//
// Hash decodes a JPEG, PNG, GIF or WebP image within size and pixel limits and computes its
// 64-bit perceptual hash (pHash) and difference hash (dHash) with goimagehash. An Index
// keeps pHashes in a multi-index hash table, so near-duplicates within a Hamming distance
// are found without comparing against every photo, and raises a signal when one photo
// appears under different names.
package photo

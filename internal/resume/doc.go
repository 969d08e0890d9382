// Package resume finds résumés that are near-duplicates of other applicants' (H-05).
//
// Extract pulls plain text out of PDF, DOCX and text files within size and time limits, so
// a zip bomb or a broken PDF is rejected instead of exhausting the server. Words and
// minhash.Shingles turn text into 5-word shingles; a Corpus counts in how many résumés each
// shingle appears, so boilerplate shared by many (recruiter templates, bootcamp blurbs) is
// dropped before signing. A Detector indexes MinHash signatures with LSH and raises a
// signal when a résumé is a near-copy of one filed under a different name. HistoryPrint
// fingerprints the ordered employment history, which personas reuse even when the prose
// is rewritten.
package resume

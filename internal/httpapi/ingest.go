package httpapi

import (
	"compress/gzip"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/authz"
)

// Ingest defaults.
const (
	defaultIngestMaxBytes    = 32 << 20
	defaultIngestConcurrency = 4
)

// limitedReader fails with *http.MaxBytesError once more than n bytes are read, so a
// gzip bomb meets the same limit as a plain body.
type limitedReader struct {
	r io.Reader
	n int64
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.n < 0 {
		return 0, &http.MaxBytesError{}
	}
	if int64(len(p)) > l.n+1 {
		p = p[:l.n+1]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	if l.n < 0 {
		return n, &http.MaxBytesError{}
	}
	return n, err
}

func (s *Server) handleIngest(w http.ResponseWriter, r *http.Request) error {
	if u := actor(r); u == nil || !authz.CanTune(u.Role) {
		return unmask.Errorf(unmask.EFORBIDDEN, "Only analyst and admin tokens may ingest.")
	}
	if s.opts.Ingester == nil {
		return unmask.Errorf(unmask.EUNAVAILABLE, "Ingest over HTTP is not configured.")
	}
	select {
	case s.ingest <- struct{}{}:
		defer func() { <-s.ingest }()
	default:
		w.Header().Set("Retry-After", "1")
		return unmask.Errorf(unmask.ELIMITED, "Too many ingest requests at once; retry shortly.")
	}
	limit := s.opts.IngestMaxBytes
	if limit <= 0 {
		limit = defaultIngestMaxBytes
	}
	var body io.Reader = http.MaxBytesReader(w, r.Body, limit)
	switch enc := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
	case "gzip":
		zr, err := gzip.NewReader(body)
		if err != nil {
			if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
				return unmask.Errorf(unmask.ETOOLARGE, "Request body over %d bytes.", limit)
			}
			return unmask.WrapError(unmask.EINVALID, err, "Body is not valid gzip.")
		}
		defer zr.Close()
		body = &limitedReader{r: zr, n: limit}
	default:
		return unmask.Errorf(unmask.EINVALID, "Content-Encoding %q is not supported; use gzip or none.", enc)
	}
	res, err := s.opts.Ingester.Ingest(r.Context(), r.PathValue("source"), body)
	if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
		return unmask.Errorf(unmask.ETOOLARGE, "Request body over %d bytes.", limit)
	}
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, res)
}

// oktaChallengeHeader carries Okta's one-time event-hook verification challenge.
const oktaChallengeHeader = "X-Okta-Verification-Challenge"

// handleIngestVerify answers Okta's event-hook verification: when an event hook is
// registered, Okta sends a GET with a challenge (and the hook's Authorization header,
// here an API token) and activates the hook only if the challenge comes back.
func (s *Server) handleIngestVerify(w http.ResponseWriter, r *http.Request) error {
	if u := actor(r); u == nil || !authz.CanTune(u.Role) {
		return unmask.Errorf(unmask.EFORBIDDEN, "Only analyst and admin tokens may ingest.")
	}
	if r.PathValue("source") != "okta" {
		return unmask.Errorf(unmask.ENOTFOUND, "Source %q has no verification handshake; push records with POST.", r.PathValue("source"))
	}
	challenge := r.Header.Get(oktaChallengeHeader)
	if challenge == "" || len(challenge) > 1024 {
		return unmask.Errorf(unmask.EINVALID, "Missing or oversized %s header.", oktaChallengeHeader)
	}
	return writeJSON(w, http.StatusOK, map[string]string{"verification": challenge})
}

package httpapi

import (
	"context"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/unmask/unmask"
)

// handlerFunc is an HTTP handler that returns its error to the one error writer.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle registers fn at pattern; authenticated routes require a valid API token.
func (s *Server) handle(pattern string, authenticated bool, fn handlerFunc) {
	s.mux.Handle(pattern, s.metrics.instrument(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if authenticated {
			ctx, err := s.authenticate(r)
			if err != nil {
				s.writeError(w, r, err)
				return
			}
			r = r.WithContext(ctx)
		}
		if err := fn(w, r); err != nil {
			s.writeError(w, r, err)
		}
	})))
}

// authenticate returns the request context carrying the caller from its bearer token.
func (s *Server) authenticate(r *http.Request) (context.Context, error) {
	secret, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || secret == "" || s.opts.Tokens == nil {
		return nil, unmask.Errorf(unmask.EUNAUTHORIZED, "Authentication required: send an API token as Authorization: Bearer <token>.")
	}
	u, _, err := s.opts.Tokens.VerifyToken(r.Context(), strings.TrimSpace(secret))
	if err != nil {
		return nil, err
	}
	return unmask.NewContextWithUser(r.Context(), u), nil
}

// securityHeaders sets the headers every response carries.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// metrics are the server's request metrics.
type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics(reg *prometheus.Registry) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "unmask_http_requests_total", Help: "HTTP requests by route and status code.",
		}, []string{"route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "unmask_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route"}),
	}
	if reg != nil {
		reg.MustRegister(m.requests, m.duration)
	}
	return m
}

// instrument counts requests to route and times them.
func (m *metrics) instrument(route string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		m.requests.WithLabelValues(route, strconv.Itoa(sw.status)).Inc()
		m.duration.WithLabelValues(route).Observe(time.Since(start).Seconds())
	})
}

// statusWriter records the status code written.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// htmlCSP is the Content-Security-Policy of every HTML page: scripts, styles and images
// only from this origin, no inline script or style, no framing.
const htmlCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// api registers an API route: a bearer API token is required, and the pattern is recorded
// for the OpenAPI completeness check.
func (s *Server) api(pattern string, fn handlerFunc) {
	s.routes = append(s.routes, pattern)
	s.handle(pattern, true, func(w http.ResponseWriter, r *http.Request) error {
		return fn(w, r.WithContext(unmask.NewContextWithRemoteAddr(r.Context(), s.clientAddr(r))))
	})
}

// clientAddr returns the client's address for rate limits and the audit trail.
func (s *Server) clientAddr(r *http.Request) string {
	if s.opts.TrustProxyHeaders {
		if f := r.Header.Get("X-Forwarded-For"); f != "" {
			first, _, _ := strings.Cut(f, ",")
			return strings.TrimSpace(first)
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// APIRoutes returns every API route pattern registered, e.g. "GET /api/v1/people".
func (s *Server) APIRoutes() []string { return slices.Clone(s.routes) }

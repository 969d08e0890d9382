// Package httpapi is Unmask's HTTP face: the JSON API under /api/v1, health and readiness
// probes, and Prometheus metrics. Handlers return errors to one writer that maps each
// unmask error code to a status (errors.go); every response carries security headers, and
// every route except the two probes authenticates its caller.
package httpapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/unmask/unmask"
)

// TokenVerifier returns the acting user for an API token secret.
type TokenVerifier interface {
	VerifyToken(ctx context.Context, secret string) (*unmask.User, *unmask.APIToken, error)
}

// Options configures a Server.
type Options struct {
	Addr   string
	Logger *slog.Logger
	// Ready reports whether the server can do its work (the store answers, ...).
	Ready func(ctx context.Context) error
	// Tokens authenticates API callers.
	Tokens TokenVerifier
	// Registry receives the server's metrics and is served at /metrics; nil disables both.
	Registry *prometheus.Registry
	// Version is reported by /api/v1/version.
	Version      string
	ReadTimeout  time.Duration
	WriteTimeout time.Duration
	TLSCertFile  string
	TLSKeyFile   string
}

// Server serves HTTP.
type Server struct {
	opts    Options
	log     *slog.Logger
	mux     *http.ServeMux
	srv     *http.Server
	ln      net.Listener
	metrics *metrics
}

// New returns a server with every route registered; Open starts listening.
func New(opts Options) *Server {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Ready == nil {
		opts.Ready = func(context.Context) error { return nil }
	}
	s := &Server{opts: opts, log: opts.Logger, mux: http.NewServeMux(), metrics: newMetrics(opts.Registry)}
	s.routes()
	s.srv = &http.Server{
		Handler:           s.securityHeaders(s.mux),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       opts.ReadTimeout,
		WriteTimeout:      opts.WriteTimeout,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(opts.Logger.Handler(), slog.LevelWarn),
	}
	return s
}

// Handler returns the server's handler, for tests that drive it without a listener.
func (s *Server) Handler() http.Handler { return s.srv.Handler }

func (s *Server) routes() {
	s.handle("GET /healthz", false, func(w http.ResponseWriter, r *http.Request) error {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, err := fmt.Fprintln(w, "ok")
		return err
	})
	s.handle("GET /readyz", false, s.handleReady)
	if s.opts.Registry != nil {
		metrics := promhttp.HandlerFor(s.opts.Registry, promhttp.HandlerOpts{ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelWarn)})
		s.handle("GET /metrics", true, func(w http.ResponseWriter, r *http.Request) error {
			metrics.ServeHTTP(w, r)
			return nil
		})
	}
	s.handle("GET /api/v1/version", true, func(w http.ResponseWriter, r *http.Request) error {
		return writeJSON(w, http.StatusOK, map[string]string{"version": s.opts.Version})
	})
	s.handle("GET /api/v1/whoami", true, func(w http.ResponseWriter, r *http.Request) error {
		return writeJSON(w, http.StatusOK, unmask.UserFromContext(r.Context()))
	})
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, unmask.Errorf(unmask.ENOTFOUND, "No such route: %s %s.", r.Method, r.URL.Path))
	})
}

func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	if err := s.opts.Ready(ctx); err != nil {
		s.log.Warn("not ready", "err", err)
		return unmask.Errorf(unmask.EUNAVAILABLE, "Not ready.")
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, err := fmt.Fprintln(w, "ready")
	return err
}

// Open starts listening on the configured address.
func (s *Server) Open() error {
	ln, err := net.Listen("tcp", s.opts.Addr)
	if err != nil {
		return unmask.WrapError(unmask.EUNAVAILABLE, err, "Cannot listen on %s.", s.opts.Addr)
	}
	s.ln = ln
	return nil
}

// URL returns the base URL the server listens on; valid after Open.
func (s *Server) URL() string {
	scheme := "http"
	if s.opts.TLSCertFile != "" {
		scheme = "https"
	}
	addr := s.ln.Addr().(*net.TCPAddr)
	host := addr.IP.String()
	if addr.IP.IsUnspecified() {
		host = "localhost"
	}
	return fmt.Sprintf("%s://%s", scheme, net.JoinHostPort(host, fmt.Sprint(addr.Port)))
}

// Run serves until ctx is done, then shuts down gracefully within grace.
func (s *Server) Run(ctx context.Context, grace time.Duration) error {
	errc := make(chan error, 1)
	go func() {
		if s.opts.TLSCertFile != "" {
			errc <- s.srv.ServeTLS(s.ln, s.opts.TLSCertFile, s.opts.TLSKeyFile)
			return
		}
		errc <- s.srv.Serve(s.ln)
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := s.srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shut down http server: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Close stops the server at once, dropping open connections.
func (s *Server) Close() error {
	err := s.srv.Close()
	if s.ln != nil {
		if e := s.ln.Close(); e != nil && !errors.Is(e, net.ErrClosed) {
			err = errors.Join(err, e)
		}
	}
	return err
}

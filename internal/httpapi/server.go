// Package httpapi is Unmask's HTTP face: the JSON API under /api/v1 (described by the
// embedded OpenAPI document at /api/v1/openapi.json), the server-rendered web UI
// (internal/ui templates with htmx), health and readiness probes, and Prometheus metrics.
// Handlers return errors to one writer that maps each unmask error code to a status
// (errors.go); every response carries security headers, and every route except the probes,
// the OpenAPI document, the sign-in page and static assets authenticates its caller.
//
// API routes take bearer API tokens and speak JSON only. Browser routes take a server-side
// session (a random secret in a Secure, HttpOnly, SameSite=Lax cookie, Lax so that it
// survives the redirect back from single sign-on; only its hash is stored) and are
// guarded against cross-site requests by http.CrossOriginProtection. Every
// call reaches the store through internal/authz, which enforces roles, shapes data to them
// and writes the audit trail.
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
	"github.com/unmask/unmask/internal/authz"
)

// TokenVerifier returns the acting user for an API token secret.
type TokenVerifier interface {
	VerifyToken(ctx context.Context, secret string) (*unmask.User, *unmask.APIToken, error)
}

// Options configures a Server. Only Addr is needed for the probes; the API and the web UI
// are registered when Store is set.
type Options struct {
	// Addr is the listen address, e.g. ":8080" or "127.0.0.1:0".
	Addr string
	// Logger receives request errors; nil discards them.
	Logger *slog.Logger
	// Ready reports whether the server can do its work (the store answers, ...).
	Ready func(ctx context.Context) error
	// Tokens authenticates API callers (internal/auth.Authenticator).
	Tokens TokenVerifier
	// Registry receives the server's metrics and is served at /metrics; nil disables both.
	Registry *prometheus.Registry
	// Version is reported by /api/v1/version.
	Version string
	// ReadTimeout and WriteTimeout bound a request; zero means none.
	ReadTimeout  time.Duration
	WriteTimeout time.Duration
	// TLSCertFile and TLSKeyFile serve HTTPS when set.
	TLSCertFile string
	TLSKeyFile  string

	// Store is the raw store (internal/sqlite or internal/postgres). The server wraps it in
	// internal/authz itself, so every API and UI call is authorised in the service layer;
	// only sign-in reads users through it directly.
	Store authz.Store
	// Sessions stores browser sessions (the same store); required with Store.
	Sessions unmask.SessionService
	// Auth checks passwords and manages users and tokens (internal/auth.Authenticator over
	// the raw store); required with Store.
	Auth Authenticator
	// OIDC enables single sign-on to the web UI (oidc.go); nil disables it and its button.
	OIDC *OIDC
	// Ingester stores pushed records for POST /api/v1/ingest/{source}; nil answers 503.
	Ingester Ingester
	// Risk previews risk weights for the settings page and /api/v1/risk; nil answers 503.
	Risk RiskPreviewer
	// Rules tests a rule against a pasted event; nil answers 503.
	Rules RuleTester
	// Screener screens applicants for POST /api/v1/screen; nil answers 503.
	Screener Screener
	// Cases runs the case workflow (internal/casework.Service over the raw store) and
	// SpotChecks the spot-check workflow (internal/spotcheck.Service); every API and UI
	// change to cases and spot checks goes through them. When nil, New builds them over
	// Store with their defaults (see initWorkflows).
	Cases      CaseWorkflow
	SpotChecks SpotCheckWorkflow
	// Notifications lists the configured notification destinations, shown read-only.
	Notifications []Notification
	// Feeds reports the configured intelligence feeds for the settings page; nil shows none.
	Feeds func() []FeedStatus
	// Suppressions lists the alert suppressions with what each silenced; nil shows none.
	Suppressions func() []Suppression
	// IngestHealth reports each source's input since the server started, for the
	// dashboard; nil shows only the stored dead letters.
	IngestHealth func() []SourceHealth
	// SessionIdle ends a session after this long without a request; 0 means 30 minutes.
	SessionIdle time.Duration
	// SessionMaxAge ends a session this long after sign-in, however active; 0 means 12 hours.
	SessionMaxAge time.Duration
	// InsecureCookies drops the Secure attribute and the __Host- prefix from the session
	// cookie, for plain-HTTP development only.
	InsecureCookies bool
	// LoginsPerMinute is the sign-in attempts allowed per client address and, separately,
	// per username (with a burst of the same size); 0 means 10.
	LoginsPerMinute int
	// IngestMaxBytes caps an ingest request body, before and after gzip; 0 means 32 MiB.
	IngestMaxBytes int64
	// IngestConcurrency caps concurrent ingest requests; more get 429 with Retry-After;
	// 0 means 4.
	IngestConcurrency int
	// TrustProxyHeaders takes the client address from X-Forwarded-For (behind a proxy).
	TrustProxyHeaders bool
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
}

// Server serves HTTP.
type Server struct {
	opts     Options
	log      *slog.Logger
	mux      *http.ServeMux
	srv      *http.Server
	ln       net.Listener
	metrics  *metrics
	svc      *authz.Service  // the authorised store; nil without Store
	accounts *authz.Accounts // authorised user and token management
	pages    *pages
	logins   *loginLimiter
	ingest   chan struct{} // ingest concurrency slots
	routes   []string      // every API pattern registered, for the OpenAPI check
	now      func() time.Time
}

// New returns a server with every route registered; Open starts listening.
func New(opts Options) *Server {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Ready == nil {
		opts.Ready = func(context.Context) error { return nil }
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Server{opts: opts, log: opts.Logger, mux: http.NewServeMux(), metrics: newMetrics(opts.Registry), now: opts.Now}
	s.baseRoutes()
	if opts.Store != nil {
		s.svc = authz.New(opts.Store, authz.Options{Now: opts.Now})
		s.initWorkflows()
		if opts.Auth != nil {
			s.accounts = authz.NewAccounts(opts.Auth)
		}
		s.apiRoutes()
		s.uiRoutes()
	}
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

func (s *Server) baseRoutes() {
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
	s.api("GET /api/v1/version", func(w http.ResponseWriter, r *http.Request) error {
		return writeJSON(w, http.StatusOK, map[string]string{"version": s.opts.Version})
	})
	s.api("GET /api/v1/whoami", func(w http.ResponseWriter, r *http.Request) error {
		return writeJSON(w, http.StatusOK, unmask.UserFromContext(r.Context()))
	})
	s.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, unmask.Errorf(unmask.ENOTFOUND, "No such route: %s %s.", r.Method, r.URL.Path))
	})
	if s.opts.Store == nil {
		s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
			s.writeError(w, r, unmask.Errorf(unmask.ENOTFOUND, "No such route: %s %s.", r.Method, r.URL.Path))
		})
	}
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

package httpapi

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/ui"
)

// pages renders the web UI with a cross-origin guard for its state-changing requests.
type pages struct {
	*ui.Pages
	cop *http.CrossOriginProtection
}

// pageData is what every page template receives; D holds the page's own data.
type pageData struct {
	Nav   string
	User  *unmask.User
	Now   time.Time
	Flash string
	Error string
	D     any
}

// uiRoutes registers the browser routes.
func (s *Server) uiRoutes() {
	p, err := ui.New()
	if err != nil {
		panic(err) // the templates are embedded; a parse error is a build defect caught by tests
	}
	s.pages = &pages{Pages: p, cop: http.NewCrossOriginProtection()}
	s.logins = newLoginLimiter(s.opts.LoginsPerMinute)
	static := http.FileServerFS(ui.Static())
	s.mux.Handle("GET /static/", s.metrics.instrument("GET /static/", http.StripPrefix("/static/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		static.ServeHTTP(w, r)
	}))))
	s.public("GET /login", s.handleLoginPage)
	s.public("POST /login", s.handleLogin)
	s.public("POST /logout", s.handleLogout)
	s.oidcRoutes()
	s.uiPages()
	s.public("/", func(w http.ResponseWriter, r *http.Request) error {
		return unmask.Errorf(unmask.ENOTFOUND, "No such page: %s.", r.URL.Path)
	})
}

// public registers a browser route that needs no session.
func (s *Server) public(pattern string, fn handlerFunc) {
	s.mux.Handle(pattern, s.metrics.instrument(pattern, s.pages.cop.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", htmlCSP)
		if err := fn(w, r); err != nil {
			s.writePageError(w, r, err)
		}
	}))))
}

// page registers a browser route for signed-in users.
func (s *Server) page(pattern string, fn handlerFunc) {
	s.mux.Handle(pattern, s.metrics.instrument(pattern, s.pages.cop.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", htmlCSP)
		u, err := s.sessionUser(r)
		if err != nil {
			s.signInFirst(w, r, err)
			return
		}
		ctx := unmask.NewContextWithRemoteAddr(unmask.NewContextWithUser(r.Context(), u), s.clientAddr(r))
		if err := fn(w, r.WithContext(ctx)); err != nil {
			s.writePageError(w, r, err)
		}
	}))))
}

// signInFirst sends a browser without a session to the sign-in page.
func (s *Server) signInFirst(w http.ResponseWriter, r *http.Request, err error) {
	if unmask.ErrorCode(err) != unmask.EUNAUTHORIZED {
		s.writePageError(w, r, err)
		return
	}
	to := "/login"
	if r.Method == http.MethodGet && r.URL.Path != "/" {
		to += "?next=" + url.QueryEscape(r.URL.RequestURI())
	}
	if isHTMX(r) {
		w.Header().Set("HX-Redirect", to)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

func isHTMX(r *http.Request) bool { return r.Header.Get("HX-Request") == "true" }

// isFragment reports whether an htmx request targets part of a page (not a boosted page).
func isFragment(r *http.Request) bool { return isHTMX(r) && r.Header.Get("HX-Boosted") != "true" }

// render writes a whole page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page, nav string, d pageData) error {
	d.Nav, d.User, d.Now = nav, unmask.UserFromContext(r.Context()), s.now()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	return s.pages.Render(w, page, d)
}

// fragment writes one named template of a page, for an htmx swap.
func (s *Server) fragment(w http.ResponseWriter, r *http.Request, status int, page, name string, d pageData) error {
	d.User, d.Now = unmask.UserFromContext(r.Context()), s.now()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	return s.pages.Fragment(w, page, name, d)
}

// writePageError answers a browser request that failed: an error page, or an error
// fragment for htmx.
func (s *Server) writePageError(w http.ResponseWriter, r *http.Request, err error) {
	code := unmask.ErrorCode(err)
	if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
		code, err = unmask.ETOOLARGE, unmask.Errorf(unmask.ETOOLARGE, "The form is too large.")
	}
	if code == unmask.EINTERNAL {
		s.log.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	status, ok := statusOf[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	msg := unmask.ErrorMessage(err)
	if isFragment(r) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("HX-Reswap", "none")
		w.Header().Set("HX-Trigger", `{"unmask:error":`+strconv.Quote(msg)+`}`)
		w.WriteHeader(status)
		return
	}
	d := pageData{D: map[string]any{"Status": strconv.Itoa(status) + " " + http.StatusText(status), "Message": msg}}
	if rerr := s.render(w, r, status, "error", "", d); rerr != nil {
		s.log.Error("render error page", "err", rerr)
	}
}

// redirect answers a form post with a redirect to a page (Post/Redirect/Get).
func redirect(w http.ResponseWriter, r *http.Request, to string) error {
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// safeNext returns next when it is a local path, else "/".
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

func (s *Server) handleLoginPage(w http.ResponseWriter, r *http.Request) error {
	if u, err := s.sessionUser(r); err == nil && u != nil {
		return redirect(w, r, safeNext(r.URL.Query().Get("next")))
	}
	return s.render(w, r, http.StatusOK, "login", "", pageData{D: s.loginData(r.URL.Query().Get("next"), "")})
}

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		return unmask.Errorf(unmask.EINVALID, "Unreadable form.")
	}
	username, password, next := strings.TrimSpace(r.PostFormValue("username")), r.PostFormValue("password"), r.PostFormValue("next")
	again := func(status int, msg string) error {
		return s.render(w, r, status, "login", "", pageData{Error: msg, D: s.loginData(next, username)})
	}
	if s.opts.Auth == nil || s.opts.Sessions == nil {
		return again(http.StatusServiceUnavailable, "Sign-in is not configured on this server.")
	}
	if !s.logins.allow(s.now(), s.clientAddr(r), username) {
		w.Header().Set("Retry-After", "60")
		return again(http.StatusTooManyRequests, "Too many sign-in attempts. Wait a minute and try again.")
	}
	ctx := unmask.NewContextWithRemoteAddr(r.Context(), s.clientAddr(r))
	u, err := s.opts.Auth.Login(ctx, username, password)
	if unmask.ErrorCode(err) == unmask.EUNAUTHORIZED {
		return again(http.StatusUnauthorized, unmask.ErrorMessage(err))
	}
	if err != nil {
		return err
	}
	if err := s.startSession(w, r, u); err != nil {
		return err
	}
	return redirect(w, r, safeNext(next))
}

func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) error {
	s.endSession(w, r)
	return redirect(w, r, "/login")
}

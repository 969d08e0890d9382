// Package ui holds Unmask's web UI: html/template pages and partials, the vendored htmx
// script, the stylesheet and the small script that wires a few behaviours, all embedded
// in the binary. It also builds the server-rendered SVG views (the activity-hours heatmap
// and the linked-identities graph) from domain data. internal/httpapi serves it.
package ui

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"math"
	"path"
	"strings"
	"time"

	"github.com/unmask/unmask"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Static returns the static assets (htmx.min.js, app.css, app.js), rooted at their names.
func Static() fs.FS {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err) // the embedded directory exists at build time
	}
	return sub
}

// Pages renders the UI's pages. Each page template defines "title" and "content" and is
// rendered inside templates/layout.html; partials (templates/_*.html) are shared by all.
type Pages struct {
	pages map[string]*template.Template
}

// New parses every embedded template.
func New() (*Pages, error) {
	base, err := template.New("").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/_*.html")
	if err != nil {
		return nil, fmt.Errorf("parse ui layout: %w", err)
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	p := &Pages{pages: map[string]*template.Template{}}
	for _, n := range names {
		name := strings.TrimSuffix(path.Base(n), ".html")
		if name == "layout" || strings.HasPrefix(name, "_") {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(templateFS, n)
		if err != nil {
			return nil, fmt.Errorf("parse ui page %s: %w", name, err)
		}
		p.pages[name] = t
	}
	return p, nil
}

// Render writes page inside the layout. It renders to a buffer first, so a template
// error never leaves half a page.
func (p *Pages) Render(w io.Writer, page string, data any) error {
	return p.execute(w, page, "layout", data)
}

// Fragment writes one named template of page, for htmx swaps.
func (p *Pages) Fragment(w io.Writer, page, name string, data any) error {
	return p.execute(w, page, name, data)
}

func (p *Pages) execute(w io.Writer, page, name string, data any) error {
	t, ok := p.pages[page]
	if !ok {
		return fmt.Errorf("no ui page %q", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		return fmt.Errorf("render %s/%s: %w", page, name, err)
	}
	_, err := buf.WriteTo(w)
	return err
}

// funcs are the template functions.
var funcs = template.FuncMap{
	"when":       when,
	"date":       func(t time.Time) string { return fmtTime(t, "2006-01-02") },
	"ago":        ago,
	"score":      func(f float64) string { return fmt.Sprintf("%.0f", math.Round(f)) },
	"pct":        func(f float64) string { return fmt.Sprintf("%.0f%%", 100*f) },
	"family":     unmask.IndicatorFamily,
	"join":       strings.Join,
	"sevrank":    func(s unmask.Severity) int { return s.Rank() },
	"canRespond": func(u *unmask.User) bool { return u != nil && u.Role.CanRespond() },
	"canTune": func(u *unmask.User) bool {
		return u != nil && (u.Role == unmask.RoleAdmin || u.Role == unmask.RoleAnalyst)
	},
	"isAdmin":     func(u *unmask.User) bool { return u != nil && u.Role.CanAdminister() },
	"seeEndpoint": func(u *unmask.User) bool { return u != nil && u.Role.CanSeeEndpoint() },
	"seq": func(n int) []int {
		s := make([]int, n)
		for i := range s {
			s[i] = i
		}
		return s
	},
	"add":    func(a, b int) int { return a + b },
	"mul":    func(a, b int) int { return a * b },
	"string": func(v any) string { return fmt.Sprint(v) },
	"eqs":    func(a any, b string) bool { return fmt.Sprint(a) == b },
	"dict":   func(u, r any) map[string]any { return map[string]any{"U": u, "R": r} },
}

func fmtTime(t time.Time, layout string) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format(layout)
}

func when(t time.Time) string { return fmtTime(t, "2006-01-02 15:04 UTC") }

// ago describes how long before now t was, coarsely.
func ago(now, t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	d := now.Sub(t)
	future := d < 0
	if future {
		d = -d
	}
	var s string
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		s = fmt.Sprintf("%d min", int(d.Minutes()))
	case d < 48*time.Hour:
		s = fmt.Sprintf("%d h", int(d.Hours()))
	default:
		s = fmt.Sprintf("%d days", int(d.Hours()/24))
	}
	if future {
		return "in " + s
	}
	return s + " ago"
}

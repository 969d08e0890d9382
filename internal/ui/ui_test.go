package ui_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/unmask/unmask/internal/ui"
)

func TestVendoredHTMX(t *testing.T) {
	b, err := fs.ReadFile(ui.Static(), "htmx.min.js")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	if got, want := hex.EncodeToString(sum[:]), "d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717"; got != want {
		t.Errorf("htmx.min.js sha256 = %s, want %s (htmx.org@2.0.11; see static/README.md)", got, want)
	}
}

func TestNoInlineScriptOrStyle(t *testing.T) {
	err := fs.WalkDir(ui.TemplatesFS(t), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(ui.TemplatesFS(t), p)
		if err != nil {
			return err
		}
		for _, bad := range []string{"<script>", "<style", " style=", " onclick=", " onload=", " hx-on", "javascript:"} {
			if bytes.Contains(b, []byte(bad)) {
				t.Errorf("%s contains %q, which the Content-Security-Policy forbids", p, bad)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestRender(t *testing.T) {
	p, err := ui.New()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, page string
		data       any
		want       string
	}{
		{"Login", "login", map[string]any{"D": map[string]string{"Next": "/people", "Username": `<b>x</b>`}}, `value="&lt;b&gt;x&lt;/b&gt;"`},
		{"Error", "error", map[string]any{"D": map[string]string{"Status": "404 Not Found", "Message": "Person not found."}}, "Person not found."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := p.Render(&b, tt.page, tt.data); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(b.String(), tt.want) || !strings.Contains(b.String(), `<script src="/static/htmx.min.js"`) {
				t.Errorf("render %s lacks %q:\n%s", tt.page, tt.want, b.String())
			}
		})
	}
	if err := p.Render(&bytes.Buffer{}, "nope", nil); err == nil {
		t.Error("rendering an unknown page succeeded")
	}
}

// at returns a time on 2026-04-06 (a Monday) at hour:00 UTC, days later.
func at(days, hour int) time.Time {
	return time.Date(2026, 4, 6+days, hour, 30, 0, 0, time.UTC)
}

func TestHeatmap(t *testing.T) {
	chicago, err := time.LoadLocation("America/Chicago")
	if err != nil {
		t.Fatal(err)
	}
	times := []time.Time{at(0, 0), at(0, 1), at(1, 14), at(5, 3)} // Mon 00:30 UTC is Sun 19:30 in Chicago (CDT)
	h := ui.NewHeatmap(times, chicago, "claimed")
	got := map[[2]int]int{}
	for d := range h.Counts {
		for hr, c := range h.Counts[d] {
			if c > 0 {
				got[[2]int{d, hr}] = c
			}
		}
	}
	want := map[[2]int]int{{6, 19}: 1, {6, 20}: 1, {1, 9}: 1, {4, 22}: 1}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("counts (-want +got):\n%s", d)
	}
	if h.Total != 4 || h.Max != 1 || h.BusinessShare != 0.25 {
		t.Errorf("total %d max %d share %v", h.Total, h.Max, h.BusinessShare)
	}
	if n := len(h.Cells()); n != 168 {
		t.Errorf("cells = %d", n)
	}
}

func TestInferZone(t *testing.T) {
	var pyongyang, chicago []time.Time
	for d := range 5 {
		for hr := range 8 {
			pyongyang = append(pyongyang, at(d, hr)) // 09:30-16:30 at UTC+9
			chicago = append(chicago, at(d, hr+14))  // 09:30-16:30 CDT (UTC-5)
		}
	}
	tests := []struct {
		name  string
		times []time.Time
		want  string
	}{
		{"Pyongyang", pyongyang, "UTC+09:00"},
		{"Chicago", chicago, "UTC−05:00"},
		{"None", nil, "UTC"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc, share := ui.InferZone(tt.times)
			if loc.String() != tt.want {
				t.Errorf("zone = %s, want %s", loc, tt.want)
			}
			if tt.times != nil && share != 1 {
				t.Errorf("share = %v, want 1", share)
			}
		})
	}
}

func TestGraph(t *testing.T) {
	g := ui.NewGraph(ui.Node{Label: "Mei"}, []ui.Link{
		{Label: "phone +1 ***-***-0199", Others: []ui.Node{{Label: "Lee", Href: "/people/2"}}},
		{Label: "email m***@x", Others: []ui.Node{{Label: "Ann", Href: "/people/3"}, {Label: "Bo", Href: "/people/4"}}},
	})
	kinds := map[string]int{}
	for _, n := range g.Nodes {
		kinds[n.Kind]++
		if n.X < 0 || n.Y < 0 || n.X > g.Width || n.Y > g.Height {
			t.Errorf("node %q at (%d,%d) outside %dx%d", n.Label, n.X, n.Y, g.Width, g.Height)
		}
	}
	if d := cmp.Diff(map[string]int{"person": 1, "identifier": 2, "other": 3}, kinds); d != "" {
		t.Errorf("node kinds (-want +got):\n%s", d)
	}
	if len(g.Edges) != 5 {
		t.Errorf("edges = %d, want 5", len(g.Edges))
	}
}

func BenchmarkInferZone(b *testing.B) {
	var times []time.Time
	for i := range 2000 {
		times = append(times, at(i%28, i%24))
	}
	for b.Loop() {
		ui.InferZone(times)
	}
}

package httpapi_test

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// openAPIDoc is the part of the OpenAPI document the checks read.
type openAPIDoc struct {
	OpenAPI    string                                `json:"openapi"`
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		Schemas map[string]json.RawMessage `json:"schemas"`
	} `json:"components"`
}

func MustOpenAPI(tb testing.TB) (*openAPIDoc, string) {
	tb.Helper()
	w := MustWorld(tb)
	code, body := do(tb, MustServer(tb, w).Handler(), "", "GET", "/api/v1/openapi.json", "")
	if code != 200 {
		tb.Fatalf("GET /api/v1/openapi.json = %d", code)
	}
	var doc openAPIDoc
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		tb.Fatalf("openapi.json: %v", err)
	}
	return &doc, body
}

func TestOpenAPICoversRoutes(t *testing.T) {
	doc, _ := MustOpenAPI(t)
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}
	routes := MustServer(t, MustWorld(t)).APIRoutes()
	for _, r := range routes {
		method, path, _ := strings.Cut(r, " ")
		if _, ok := doc.Paths[path][strings.ToLower(method)]; !ok {
			t.Errorf("route %s is not in openapi.json", r)
		}
	}
	for path, ops := range doc.Paths {
		for method, raw := range ops {
			r := strings.ToUpper(method) + " " + path
			if path == "/api/v1/openapi.json" {
				continue
			}
			if !slices.Contains(routes, r) {
				t.Errorf("openapi.json documents %s, which is not registered", r)
			}
			var op struct {
				Responses map[string]json.RawMessage `json:"responses"`
			}
			if err := json.Unmarshal(raw, &op); err != nil {
				t.Fatalf("%s: %v", r, err)
			}
			if _, ok := op.Responses["401"]; !ok {
				t.Errorf("%s documents no 401", r)
			}
		}
	}
}

func TestOpenAPIRefsResolve(t *testing.T) {
	doc, body := MustOpenAPI(t)
	for _, m := range regexp.MustCompile(`"#/components/schemas/([A-Za-z]+)"`).FindAllStringSubmatch(body, -1) {
		if _, ok := doc.Components.Schemas[m[1]]; !ok {
			t.Errorf("$ref to missing schema %s", m[1])
		}
	}
}

package unmask_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/unmask/unmask"

// goPackage is one directory's non-test Go code.
type goPackage struct {
	path     string   // import path
	imports  []string // of non-test files
	docFiles []string // files carrying a package doc comment
}

// loadPackages parses every package of the module (imports and comments only).
func loadPackages(tb testing.TB) map[string]*goPackage {
	tb.Helper()
	pkgs := map[string]*goPackage{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && p != "." || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.ImportsOnly|parser.ParseComments)
		if err != nil {
			return err
		}
		dir := filepath.ToSlash(filepath.Dir(p))
		ip := module
		if dir != "." {
			ip += "/" + dir
		}
		pkg := pkgs[ip]
		if pkg == nil {
			pkg = &goPackage{path: ip}
			pkgs[ip] = pkg
		}
		for _, imp := range f.Imports {
			s, _ := strconv.Unquote(imp.Path.Value)
			if !slices.Contains(pkg.imports, s) {
				pkg.imports = append(pkg.imports, s)
			}
		}
		if f.Doc != nil && strings.HasPrefix(f.Doc.Text(), "Package ") || f.Doc != nil && strings.HasPrefix(f.Doc.Text(), "Command ") {
			pkg.docFiles = append(pkg.docFiles, p)
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return pkgs
}

func isStd(imp string) bool { return !strings.Contains(strings.Split(imp, "/")[0], ".") }

func internal(names ...string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = module + "/internal/" + n
	}
	return out
}

// hasPrefixAny reports whether imp is one of the packages or below one of them.
func hasPrefixAny(imp string, pkgs []string) bool {
	for _, p := range pkgs {
		if imp == p || strings.HasPrefix(imp, p+"/") {
			return true
		}
	}
	return false
}

var (
	storageAndTransport = internal("sqlite", "postgres", "sqlstore", "nats", "inmem", "httpapi", "config", "notify")
	pipelineStages      = internal("sigma", "ruleset", "detect", "analytics", "risk", "alerting")
	adapters            = internal("sqlite", "postgres", "nats", "inmem", "httpapi", "notify")
	testSupport         = internal("storetest", "bustest", "unmasktest", "browsertest", "ingest/ingesttest")
)

// TestDependencyRules enforces the layering of STYLE.md §7.
func TestDependencyRules(t *testing.T) {
	pkgs := loadPackages(t)
	if len(pkgs) < 10 {
		t.Fatalf("found only %d packages: is the test running at the module root?", len(pkgs))
	}
	for _, pkg := range pkgs {
		for _, imp := range pkg.imports {
			if reason := violation(pkg.path, imp); reason != "" {
				t.Errorf("%s imports %s: %s", pkg.path, imp, reason)
			}
		}
	}
}

// violation returns why pkg may not import imp, or "".
func violation(pkg, imp string) string {
	local := strings.HasPrefix(imp, module)
	switch {
	case pkg == module && (local || !isStd(imp) || imp == "database/sql" || imp == "net/http"):
		return "the domain package imports only the standard library, and not database/sql or net/http"
	case imp == module+"/cmd/unmask":
		return "nothing imports the command"
	case imp == "testing" && !slices.Contains(testSupport, pkg):
		return "only test-support packages import testing"
	case hasPrefixAny(imp, testSupport) && !slices.Contains(testSupport, pkg):
		return "test-support packages are imported only by tests"
	case hasPrefixAny(pkg, pipelineStages) && hasPrefixAny(imp, storageAndTransport):
		return "pipeline stages do not depend on storage, transport or configuration"
	// internal/ingest/ingesttest, test support under internal/ingest, may also import the
	// other test-support packages; test files are not parsed (loadPackages), so the sources'
	// tests may import it.
	case strings.HasPrefix(pkg, module+"/internal/ingest/") && local && imp != module && imp != module+"/internal/ingest" && !strings.HasPrefix(imp, pkg+"/") &&
		!(slices.Contains(testSupport, pkg) && hasPrefixAny(imp, testSupport)):
		return "an ingest source imports only the domain and internal/ingest"
	case hasPrefixAny(pkg, adapters) && (hasPrefixAny(imp, adapters) && !hasPrefixAny(imp, []string{pkg}) || hasPrefixAny(imp, pipelineStages)):
		return "adapters do not import each other or pipeline stages"
	case pkg == module+"/internal/config" && local && imp != module:
		return "config imports only the domain"
	}
	return ""
}

// TestPackageNames rejects grab-bag package names (STYLE.md §6.1).
func TestPackageNames(t *testing.T) {
	banned := []string{"util", "utils", "common", "helpers", "misc", "shared", "base", "pkg"}
	for path := range loadPackages(t) {
		for elem := range strings.SplitSeq(strings.TrimPrefix(path, module), "/") {
			if slices.Contains(banned, elem) {
				t.Errorf("package %s: %q says nothing about what it provides", path, elem)
			}
		}
	}
}

// TestPackageDocs requires exactly one package doc comment per package (STYLE.md §8).
func TestPackageDocs(t *testing.T) {
	for path, pkg := range loadPackages(t) {
		if len(pkg.docFiles) != 1 {
			t.Errorf("package %s has %d package doc comments (%v), want exactly 1", path, len(pkg.docFiles), pkg.docFiles)
		}
	}
}

func TestMain(m *testing.M) {
	if _, err := os.Stat("go.mod"); err != nil {
		panic("deps_test must run at the module root")
	}
	os.Exit(m.Run())
}

func TestViolationTable(t *testing.T) {
	tests := []struct {
		pkg, imp string
		bad      bool
	}{
		{module, "context", false},
		{module, "net/http", true},
		{module, "go.yaml.in/yaml/v3", true},
		{module, module + "/internal/sqlite", true},
		{module + "/internal/risk", module + "/internal/sqlite", true},
		{module + "/internal/sigma", module + "/internal/config", true},
		{module + "/internal/risk", module, false},
		{module + "/internal/ingest/okta", module + "/internal/ingest", false},
		{module + "/internal/ingest/okta", module + "/internal/ingest/entra", true},
		{module + "/internal/ingest/okta", module + "/internal/sqlite", true},
		{module + "/internal/ingest/okta", module + "/internal/ingest/ingesttest", true},
		{module + "/internal/ingest/ingesttest", "testing", false},
		{module + "/internal/ingest/ingesttest", module, false},
		{module + "/internal/ingest/ingesttest", module + "/internal/ingest", false},
		{module + "/internal/ingest/ingesttest", module + "/internal/unmasktest", false},
		{module + "/internal/ingest/ingesttest", module + "/internal/ingest/okta", true},
		{module + "/internal/ingest/ingesttest", module + "/internal/sqlite", true},
		{module + "/internal/sqlite", module + "/internal/sqlstore", false},
		{module + "/internal/sqlite", module + "/internal/postgres", true},
		{module + "/internal/httpapi", module + "/internal/risk", true},
		{module + "/internal/config", module + "/internal/idhash", true},
		{module + "/internal/auth", "testing", true},
		{module + "/internal/storetest", "testing", false},
		{module + "/cmd/unmask", module + "/internal/storetest", true},
		{module + "/cmd/unmask", module + "/internal/sqlite", false},
	}
	for _, tt := range tests {
		if got := violation(tt.pkg, tt.imp) != ""; got != tt.bad {
			t.Errorf("violation(%s, %s) = %v, want %v", tt.pkg, tt.imp, got, tt.bad)
		}
	}
}

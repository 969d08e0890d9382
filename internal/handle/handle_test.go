package handle

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/unmask/unmask"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		raw     string
		want    Handle
		wantErr bool
	}{
		{name: "github_https", raw: "https://github.com/OctoCat", want: Handle{GitHub, "octocat"}},
		{name: "github_no_scheme_repo", raw: "github.com/octocat/hello-world/tree/main", want: Handle{GitHub, "octocat"}},
		{name: "github_www_query", raw: "http://www.github.com/octo-cat?tab=repositories", want: Handle{GitHub, "octo-cat"}},
		{name: "github_pages", raw: "https://Octocat.github.io/portfolio", want: Handle{GitHub, "octocat"}},
		{name: "gist", raw: "https://gist.github.com/octocat/6cad326836d38bd3a7ae", want: Handle{GitHub, "octocat"}},
		{name: "linkedin_in", raw: "https://www.linkedin.com/in/Jane-Doe-1234/?trk=public", want: Handle{LinkedIn, "jane-doe-1234"}},
		{name: "linkedin_country", raw: "uk.linkedin.com/in/jane-doe-1234", want: Handle{LinkedIn, "jane-doe-1234"}},
		{name: "linkedin_escaped", raw: "https://linkedin.com/in/jos%C3%A9-garc%C3%ADa", want: Handle{LinkedIn, "josé-garcía"}},
		{name: "github_reserved", raw: "https://github.com/orgs/acme", wantErr: true},
		{name: "github_root", raw: "https://github.com/", wantErr: true},
		{name: "github_bad_login", raw: "https://github.com/-bad-", wantErr: true},
		{name: "github_too_long", raw: "https://github.com/" + strings.Repeat("a", 40), wantErr: true},
		{name: "linkedin_company", raw: "https://www.linkedin.com/company/acme", wantErr: true},
		{name: "other_site", raw: "https://gitlab.com/octocat", wantErr: true},
		{name: "lookalike_host", raw: "https://github.com.evil.example/octocat", wantErr: true},
		{name: "javascript", raw: "javascript://github.com/octocat", wantErr: true},
		{name: "empty", raw: "", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.raw)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Parse(%q) error = %v, wantErr %v", tt.raw, err, tt.wantErr)
			}
			if err != nil && unmask.ErrorCode(err) != unmask.EINVALID {
				t.Errorf("error code = %q, want EINVALID", unmask.ErrorCode(err))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse(%q) mismatch (-want +got):\n%s", tt.raw, diff)
			}
		})
	}
}

func TestKind(t *testing.T) {
	if got := (Handle{Site: LinkedIn, Name: "x"}).Kind(); got != unmask.IdentLinkedInHandle {
		t.Errorf("LinkedIn kind = %q", got)
	}
	if got := (Handle{Site: GitHub, Name: "x"}).Kind(); got != unmask.IdentGitHubLogin {
		t.Errorf("GitHub kind = %q", got)
	}
}

func FuzzParse(f *testing.F) {
	seeds, err := os.ReadFile(filepath.Join("testdata", "urls.txt"))
	if err != nil {
		f.Fatal(err)
	}
	for s := range strings.Lines(string(seeds)) {
		f.Add(strings.TrimSpace(s))
	}
	f.Fuzz(func(t *testing.T, raw string) {
		h, err := Parse(raw)
		if err != nil {
			return
		}
		if h.Name == "" || h.Name != strings.ToLower(h.Name) {
			t.Fatalf("Parse(%q) = %+v: name must be non-empty and lower-case", raw, h)
		}
		if h.Site == GitHub && !ValidGitHubLogin(h.Name) {
			t.Fatalf("Parse(%q) gave invalid login %q", raw, h.Name)
		}
	})
}

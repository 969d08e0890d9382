package handle

import (
	"net/url"
	"strings"

	"github.com/unmask/unmask"
)

// maxURLLen bounds the raw URL.
const maxURLLen = 2048

// Site is a profile site.
type Site string

// Sites.
const (
	GitHub   Site = "github"
	LinkedIn Site = "linkedin"
)

// Handle is a canonical account name on a site.
type Handle struct {
	Site Site `json:"site"`
	// Name is lower-cased: GitHub logins and LinkedIn vanity names are case-insensitive.
	Name string `json:"name"`
}

// Kind returns the identifier kind that holds h.
func (h Handle) Kind() unmask.IdentifierKind {
	if h.Site == LinkedIn {
		return unmask.IdentLinkedInHandle
	}
	return unmask.IdentGitHubLogin
}

// githubReserved are first path segments that are GitHub features, not accounts.
var githubReserved = map[string]bool{
	"about": true, "account": true, "apps": true, "collections": true, "contact": true,
	"customer-stories": true, "enterprise": true, "events": true, "explore": true,
	"features": true, "issues": true, "join": true, "login": true, "logout": true,
	"marketplace": true, "new": true, "notifications": true, "orgs": true, "organizations": true,
	"pricing": true, "pulls": true, "search": true, "security": true, "sessions": true,
	"settings": true, "site": true, "sponsors": true, "team": true, "topics": true,
	"trending": true, "users": true,
}

// Parse extracts the handle from a profile URL. It accepts URLs with or without a scheme
// ("github.com/octocat", "https://www.linkedin.com/in/jane-doe-1234/?trk=x",
// "octocat.github.io", "gist.github.com/octocat/abc"). It returns EINVALID for a URL that
// names no account on a known site.
func Parse(raw string) (Handle, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" || len(raw) > maxURLLen {
		return Handle{}, unmask.Errorf(unmask.EINVALID, "Profile URL is empty or too long.")
	}
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return Handle{}, unmask.WrapError(unmask.EINVALID, err, "Profile URL is not valid.")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return Handle{}, unmask.Errorf(unmask.EINVALID, "Profile URL scheme %q is not http(s).", u.Scheme)
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	segs := segments(u.Path)
	switch {
	case host == "github.com" || host == "www.github.com" || host == "gist.github.com":
		return github(segs)
	case strings.HasSuffix(host, ".github.io"):
		return github([]string{strings.TrimSuffix(host, ".github.io")})
	case host == "linkedin.com" || strings.HasSuffix(host, ".linkedin.com"):
		return linkedin(segs)
	}
	return Handle{}, unmask.Errorf(unmask.EINVALID, "Profile URL is not on GitHub or LinkedIn.")
}

func segments(p string) []string {
	var out []string
	for s := range strings.SplitSeq(p, "/") {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func github(segs []string) (Handle, error) {
	if len(segs) == 0 {
		return Handle{}, unmask.Errorf(unmask.EINVALID, "GitHub URL names no account.")
	}
	login := strings.ToLower(strings.TrimPrefix(segs[0], "@"))
	if githubReserved[login] || !ValidGitHubLogin(login) {
		return Handle{}, unmask.Errorf(unmask.EINVALID, "GitHub URL names no valid account.")
	}
	return Handle{Site: GitHub, Name: login}, nil
}

// ValidGitHubLogin reports whether s is a syntactically valid GitHub login: 1 to 39
// letters, digits or single hyphens, not starting or ending with a hyphen.
func ValidGitHubLogin(s string) bool {
	if len(s) == 0 || len(s) > 39 || s[0] == '-' || s[len(s)-1] == '-' || strings.Contains(s, "--") {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

func linkedin(segs []string) (Handle, error) {
	if len(segs) < 2 || (segs[0] != "in" && segs[0] != "pub") {
		return Handle{}, unmask.Errorf(unmask.EINVALID, "LinkedIn URL is not a personal profile.")
	}
	name := strings.ToLower(segs[1])
	if len(name) < 3 || len(name) > 100 || strings.ContainsAny(name, " \t?#") {
		return Handle{}, unmask.Errorf(unmask.EINVALID, "LinkedIn URL names no valid profile.")
	}
	return Handle{Site: LinkedIn, Name: name}, nil
}

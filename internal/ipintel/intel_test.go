package ipintel

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// MustIntel returns an Intel over the synthetic databases and the testdata lists, loaded.
func MustIntel(tb testing.TB, extra ...Feed) *Intel {
	tb.Helper()
	city, asn, anon := MustTestDatabases(tb, tb.TempDir())
	feeds := append([]Feed{
		{Name: "city", Kind: KindCity, Location: city},
		{Name: "asn", Kind: KindASN, Location: asn},
		{Name: "anon", Kind: KindAnonymousIP, Location: anon},
		{Name: "test-vpn", Kind: KindCIDR, Tag: TagVPN, Location: filepath.Join("testdata", "vpn.txt")},
		{Name: "test-hosting", Kind: KindCIDR, Tag: TagHosting, Location: filepath.Join("testdata", "ranges.csv")},
		{Name: "hosting-orgs", Kind: KindOrg, Tag: TagHosting, Location: filepath.Join("testdata", "orgs.txt")},
	}, extra...)
	in, err := New(Options{Feeds: feeds})
	if err != nil {
		tb.Fatal(err)
	}
	if err := in.Load(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return in
}

func TestLookup(t *testing.T) {
	dir := t.TempDir()
	corp := filepath.Join(dir, "corp.txt")
	MustWriteFile(t, corp, "192.0.2.128/25\n")
	in := MustIntel(t, Feed{Name: "corp-egress", Kind: KindCIDR, Tag: TagCorporate, Location: corp})
	tests := []struct {
		name string
		addr string
		want Info
	}{
		{
			name: "residential-with-vpn-list-hit",
			addr: "192.0.2.10",
			want: Info{
				Country: "US", City: "Chicago", TimeZone: "Etc/UTC", Lat: 41.88, Lon: -87.63, HasCoords: true,
				AccuracyKM: 20, ASN: 64496, Org: "Example Residential Broadband",
				Tags: TagSet(0).With(TagVPN), Matches: []Match{{TagVPN, "test-vpn"}},
			},
		},
		{
			name: "corporate-egress",
			addr: "192.0.2.200",
			want: Info{
				Country: "US", City: "Chicago", TimeZone: "Etc/UTC", Lat: 41.88, Lon: -87.63, HasCoords: true,
				AccuracyKM: 20, ASN: 64496, Org: "Example Residential Broadband",
				Tags:    TagSet(0).With(TagVPN).With(TagCorporate),
				Matches: []Match{{TagVPN, "test-vpn"}, {TagCorporate, "corp-egress"}},
			},
		},
		{
			name: "hosting-by-asn-number",
			addr: "198.51.100.1",
			want: Info{
				Country: "KR", City: "Seoul", TimeZone: "Etc/UTC", Lat: 37.57, Lon: 126.98, HasCoords: true,
				AccuracyKM: 50, ASN: 64500, Org: "Example Hosting",
				Tags: TagSet(0).With(TagHosting), Matches: []Match{{TagHosting, "hosting-orgs"}},
			},
		},
		{
			name: "anonymous-vpn-and-astrill-org",
			addr: "::ffff:203.0.113.5",
			want: Info{
				Country: "GB", City: "London", TimeZone: "Etc/UTC", Lat: 51.51, Lon: -0.13, HasCoords: true,
				AccuracyKM: 10, ASN: 9009, Org: "ASTRILL-VPN Ltd.",
				Tags:    TagSet(0).With(TagVPN).With(TagAnonymous).With(TagHosting),
				Matches: []Match{{TagVPN, "anon"}, {TagAnonymous, "anon"}, {TagHosting, "hosting-orgs"}},
			},
		},
		{
			name: "tor-and-listed-address",
			addr: "203.0.113.130",
			want: Info{
				Country: "GB", City: "London", TimeZone: "Etc/UTC", Lat: 51.51, Lon: -0.13, HasCoords: true,
				AccuracyKM: 10, ASN: 9009, Org: "ASTRILL-VPN Ltd.",
				Tags:    TagSet(0).With(TagTor).With(TagAnonymous).With(TagHosting),
				Matches: []Match{{TagTor, "anon"}, {TagAnonymous, "anon"}, {TagHosting, "hosting-orgs"}},
			},
		},
		{
			name: "v6-geo-and-list",
			addr: "2001:db8:100::1",
			want: Info{
				Country: "DE", City: "Berlin", TimeZone: "Etc/UTC", Lat: 52.52, Lon: 13.40, HasCoords: true,
				AccuracyKM: 100, Tags: TagSet(0).With(TagVPN), Matches: []Match{{TagVPN, "test-vpn"}},
			},
		},
		{name: "unknown", addr: "10.1.2.3", want: Info{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := in.LookupString(tt.addr)
			tt.want.Addr = netip.MustParseAddr(tt.addr).Unmap()
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateComparable(netip.Addr{})); diff != "" {
				t.Errorf("Lookup(%s) mismatch (-want +got):\n%s", tt.addr, diff)
			}
		})
	}
	if got := in.LookupString("not-an-ip"); got.Addr.IsValid() || got.Tags != 0 {
		t.Errorf("LookupString(not-an-ip) = %+v, want zero", got)
	}
}

// MustWriteFile writes data to path.
func MustWriteFile(tb testing.TB, path, data string) {
	tb.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		tb.Fatal(err)
	}
}

// TestReloadKeepsLastGood replaces a feed's file with bad versions and checks that each
// is rejected with a clear error while lookups keep using the last good version.
func TestReloadKeepsLastGood(t *testing.T) {
	dir := t.TempDir()
	city, _, _ := MustTestDatabases(t, dir)
	cityData, err := os.ReadFile(city)
	if err != nil {
		t.Fatal(err)
	}
	list := filepath.Join(dir, "ioc.txt")
	MustWriteFile(t, list, "192.0.2.0/24\n198.51.100.0/24\n203.0.113.0/24\n10.0.0.0/8\n")
	in, err := New(Options{Feeds: []Feed{
		{Name: "ioc", Kind: KindCIDR, Tag: TagIOC, Location: list},
		{Name: "city", Kind: KindCity, Location: city},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if err := in.Load(t.Context()); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		path    string
		data    []byte
		wantErr string
	}{
		{"list-garbled", list, []byte("192.0.2.0/24\n<html>\n"), `feed "ioc": line 2: parse address "<html>"`},
		{"list-empty", list, nil, `feed "ioc": list has no entries`},
		{"list-shrunk", list, []byte("192.0.2.0/24\n"), `feed "ioc": shrank from 4 to 1 entries`},
		{"mmdb-truncated", city, cityData[:len(cityData)/2], `feed "city": open mmdb`},
		{"mmdb-corrupt-tree", city, corrupt(cityData), `feed "city": verify mmdb`},
		{"list-missing", filepath.Join(dir, "gone"), nil, `feed "ioc": open`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "list-missing" {
				if err := os.Remove(list); err != nil {
					t.Fatal(err)
				}
			} else {
				MustWriteFile(t, tt.path, string(tt.data))
			}
			err := in.Load(t.Context())
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Load() error = %v, want %q", err, tt.wantErr)
			}
			got := in.LookupString("10.9.9.9")
			if !got.Tags.Has(TagIOC) {
				t.Errorf("after a rejected load the IOC list is gone: %+v", got)
			}
			if c := in.LookupString("203.0.113.1"); c.City != "London" {
				t.Errorf("after a rejected load the City database is gone: %+v", c)
			}
			MustWriteFile(t, list, "192.0.2.0/24\n198.51.100.0/24\n203.0.113.0/24\n10.0.0.0/8\n")
			MustWriteFile(t, city, string(cityData))
		})
	}
	st := in.Status()
	if st[0].Entries != 4 || st[0].Loaded.IsZero() {
		t.Errorf("Status()[0] = %+v, want 4 entries and a load time", st[0])
	}
}

// corrupt returns data with bytes in the middle of the search tree overwritten.
func corrupt(data []byte) []byte {
	out := append([]byte(nil), data...)
	for i := 0; i < 64 && i < len(out)/4; i++ {
		out[i] = 0xff
	}
	return out
}

func TestLoadURL(t *testing.T) {
	body := "192.0.2.0/24\n198.51.100.0/24\n"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/ok":
			_, _ = w.Write([]byte(body))
		case "/short":
			w.Header().Set("Content-Length", "100")
			_, _ = w.Write([]byte(body))
		case "/big":
			_, _ = w.Write([]byte(strings.Repeat("192.0.2.0/24\n", 100)))
		default:
			http.Error(w, "nope", http.StatusNotFound)
		}
	}))
	t.Cleanup(srv.Close)
	tests := []struct {
		name    string
		path    string
		wantErr string
	}{
		{"ok", "/ok", ""},
		{"truncated-body", "/short", "unexpected EOF"},
		{"too-large", "/big", "larger than the 512-byte limit"},
		{"not-found", "/missing", "HTTP status 404"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := New(Options{MaxBytes: 512, Client: srv.Client(), Feeds: []Feed{
				{Name: "remote", Kind: KindCIDR, Tag: TagVPN, Location: srv.URL + tt.path},
			}})
			if err != nil {
				t.Fatal(err)
			}
			err = in.Load(t.Context())
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if !in.LookupString("198.51.100.1").Tags.Has(TagVPN) {
					t.Error("URL feed not applied")
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Load() error = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestNewRejectsBadFeeds(t *testing.T) {
	tests := []struct {
		name    string
		feeds   []Feed
		wantErr string
	}{
		{"no-name", []Feed{{Kind: KindCIDR, Tag: TagVPN, Location: "x"}}, "feed name required"},
		{"no-location", []Feed{{Name: "a", Kind: KindCIDR, Tag: TagVPN}}, "location required"},
		{"no-tag", []Feed{{Name: "a", Kind: KindCIDR, Location: "x"}}, "needs a tag"},
		{"bad-kind", []Feed{{Name: "a", Kind: 99, Location: "x"}}, "unknown kind"},
		{"duplicate", []Feed{{Name: "a", Kind: KindCity, Location: "x"}, {Name: "a", Kind: KindASN, Location: "y"}}, "duplicate name"},
		{"two-city", []Feed{{Name: "a", Kind: KindCity, Location: "x"}, {Name: "b", Kind: KindCity, Location: "y"}}, "only one mmdb-city"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(Options{Feeds: tt.feeds})
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("New() error = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestWrongDatabaseType(t *testing.T) {
	_, asn, _ := MustTestDatabases(t, t.TempDir())
	in, err := New(Options{Feeds: []Feed{{Name: "city", Kind: KindCity, Location: asn}}})
	if err != nil {
		t.Fatal(err)
	}
	err = in.Load(t.Context())
	if err == nil || !strings.Contains(err.Error(), `"GeoLite2-ASN" is not usable as mmdb-city`) {
		t.Fatalf("Load() error = %v, want a database type error", err)
	}
}

// TestRunRefreshes checks that Run picks up a changed file at the next refresh, using
// synctest's fake clock.
func TestRunRefreshes(t *testing.T) {
	dir := t.TempDir()
	list := filepath.Join(dir, "astrill.txt")
	MustWriteFile(t, list, "192.0.2.1\n")
	synctest.Test(t, func(t *testing.T) {
		in, err := New(Options{Refresh: time.Hour, Feeds: []Feed{
			{Name: "astrill", Kind: KindCIDR, Tag: TagAstrill, Location: list, AllowShrink: true},
		}})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error)
		go func() { done <- in.Run(ctx) }()
		synctest.Wait()
		if !in.LookupString("192.0.2.1").Tags.Has(TagAstrill) {
			t.Fatal("first load not applied")
		}
		MustWriteFile(t, list, "198.51.100.2\n")
		time.Sleep(time.Hour + time.Second)
		synctest.Wait()
		if in.LookupString("192.0.2.1").Tags.Has(TagAstrill) || !in.LookupString("198.51.100.2").Tags.Has(TagAstrill) {
			t.Error("refresh not applied after one interval")
		}
		cancel()
		if err := <-done; err != context.Canceled {
			t.Errorf("Run() = %v, want context.Canceled", err)
		}
	})
}

// TestConcurrentReload looks addresses up while feeds are reloaded with alternating
// versions; every answer must be one whole version, never a mix (run with -race).
func TestConcurrentReload(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.txt"), filepath.Join(dir, "b.txt")
	versions := []string{"192.0.2.0/24\n", "198.51.100.0/24\n"}
	MustWriteFile(t, a, versions[0])
	MustWriteFile(t, b, versions[0])
	in, err := New(Options{Feeds: []Feed{
		{Name: "a", Kind: KindCIDR, Tag: TagVPN, Location: a},
		{Name: "b", Kind: KindCIDR, Tag: TagHosting, Location: b},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if err := in.Load(t.Context()); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	errs := make(chan string, 1)
	go func() {
		defer close(errs)
		x, y := netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("198.51.100.1")
		for {
			select {
			case <-done:
				return
			default:
			}
			ix, iy := in.Lookup(x), in.Lookup(y)
			// Both feeds always carry the same version, so each address has both tags or none.
			for _, info := range []Info{ix, iy} {
				if info.Tags.Has(TagVPN) != info.Tags.Has(TagHosting) {
					errs <- "mixed versions: " + info.Tags.String()
					return
				}
			}
		}
	}()
	for i := range 50 {
		v := versions[i%2]
		MustWriteFile(t, a, v)
		MustWriteFile(t, b, v)
		if err := in.Load(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	close(done)
	if msg, ok := <-errs; ok {
		t.Fatal(msg)
	}
}

// TestUnchangedFeedIsNotReloaded checks that a feed whose file content or HTTP ETag did
// not change keeps its version and load time, while Checked advances.
func TestUnchangedFeedIsNotReloaded(t *testing.T) {
	body := "192.0.2.0/24\n"
	var downloads int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		downloads++
		w.Header().Set("ETag", `"v1"`)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	file := filepath.Join(t.TempDir(), "list.txt")
	MustWriteFile(t, file, body)
	tests := []struct {
		name          string
		location      string
		wantDownloads int
	}{
		{"file-same-content", file, 0},
		{"url-etag", srv.URL, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			downloads = 0
			now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			in, err := New(Options{Client: srv.Client(), Now: func() time.Time { return now },
				Feeds: []Feed{{Name: "l", Kind: KindCIDR, Tag: TagVPN, Location: tt.location}}})
			if err != nil {
				t.Fatal(err)
			}
			for range 3 {
				if err := in.Load(t.Context()); err != nil {
					t.Fatal(err)
				}
				now = now.Add(time.Hour)
			}
			st := in.Status()[0]
			want := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			if !st.Loaded.Equal(want) || !st.Checked.Equal(want.Add(2*time.Hour)) {
				t.Errorf("Status() = loaded %v checked %v; want %v and two hours later", st.Loaded, st.Checked, want)
			}
			if tt.location == srv.URL && downloads != tt.wantDownloads {
				t.Errorf("downloads = %d, want %d", downloads, tt.wantDownloads)
			}
			if !in.LookupString("192.0.2.1").Tags.Has(TagVPN) {
				t.Error("feed lost")
			}
		})
	}
}

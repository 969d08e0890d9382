package ipintel

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/oschwald/geoip2-golang/v2"
	"github.com/oschwald/maxminddb-golang/v2"
)

// FeedKind is the format and meaning of a feed.
type FeedKind int

// Feed kinds.
const (
	KindCIDR        FeedKind = iota + 1 // a CIDR list (ParseCIDRList); needs a Tag
	KindOrg                             // an ASN organisation list (ParseOrgList); needs a Tag
	KindCity                            // a MaxMind City (or Country) database
	KindASN                             // a MaxMind ASN database
	KindAnonymousIP                     // a MaxMind Anonymous-IP database
)

// String returns the kind's name.
func (k FeedKind) String() string {
	switch k {
	case KindCIDR:
		return "cidr"
	case KindOrg:
		return "asn-org"
	case KindCity:
		return "mmdb-city"
	case KindASN:
		return "mmdb-asn"
	case KindAnonymousIP:
		return "mmdb-anonymous-ip"
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// Feed is one source of IP intelligence.
type Feed struct {
	// Name identifies the feed in matches, errors and logs, e.g. "x4bnet-vpn".
	Name string
	Kind FeedKind
	// Tag is what a match in a CIDR or organisation list means; unused for mmdb kinds.
	Tag Tag
	// Location is a file path or an http:// or https:// URL.
	Location string
	// AllowShrink turns off the guard that rejects a new version of a list with fewer
	// than Options.MinKeep of the previous version's entries.
	AllowShrink bool
}

// validate reports whether f is usable.
func (f *Feed) validate() error {
	switch {
	case f.Name == "":
		return fmt.Errorf("feed name required")
	case f.Location == "":
		return fmt.Errorf("feed %q: location required", f.Name)
	case f.Kind < KindCIDR || f.Kind > KindAnonymousIP:
		return fmt.Errorf("feed %q: unknown kind %d", f.Name, int(f.Kind))
	case (f.Kind == KindCIDR || f.Kind == KindOrg) && (f.Tag == 0 || int(f.Tag) >= len(tagNames)):
		return fmt.Errorf("feed %q: a %s feed needs a tag", f.Name, f.Kind)
	}
	return nil
}

// loaded is one parsed version of a feed. Exactly one of its fields is set.
type loaded struct {
	cidr *PrefixSet
	org  *OrgList
	mmdb *geoip2.Reader
	raw  *maxminddb.Reader // the same database, for decoding partial records

	sum                [sha256.Size]byte // of the feed's bytes, to skip reparsing
	etag, lastModified string            // HTTP validators of the version
}

// entries returns the size of a list version, or 0 for a database.
func (l *loaded) entries() int {
	switch {
	case l.cidr != nil:
		return l.cidr.Len()
	case l.org != nil:
		return l.org.Len()
	}
	return 0
}

// fetched is the result of fetching a feed.
type fetched struct {
	data []byte
	// etag and lastModified are the HTTP validators of the response, if any.
	etag, lastModified string
	// notModified is set when the server answered 304 to the previous validators.
	notModified bool
}

// fetch reads the feed's bytes from its file or URL, up to limit bytes. For a URL it
// sends prev's validators, so an unchanged feed is not downloaded again.
func fetch(ctx context.Context, client *http.Client, f *Feed, limit int64, prev *loaded) (fetched, error) {
	if !strings.HasPrefix(f.Location, "http://") && !strings.HasPrefix(f.Location, "https://") {
		fh, err := os.Open(f.Location)
		if err != nil {
			return fetched{}, err
		}
		defer fh.Close()
		data, err := readLimited(fh, limit, -1)
		return fetched{data: data}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, f.Location, nil)
	if err != nil {
		return fetched{}, err
	}
	if prev != nil && prev.etag != "" {
		req.Header.Set("If-None-Match", prev.etag)
	} else if prev != nil && prev.lastModified != "" {
		req.Header.Set("If-Modified-Since", prev.lastModified)
	}
	resp, err := client.Do(req)
	if err != nil {
		return fetched{}, err
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotModified && prev != nil:
		return fetched{notModified: true}, nil
	case resp.StatusCode != http.StatusOK:
		return fetched{}, fmt.Errorf("get feed: HTTP status %s", resp.Status)
	}
	data, err := readLimited(resp.Body, limit, resp.ContentLength)
	return fetched{data: data, etag: resp.Header.Get("ETag"), lastModified: resp.Header.Get("Last-Modified")}, err
}

// readLimited reads all of r, failing past limit bytes or when fewer bytes than a known
// length arrive (a truncated transfer).
func readLimited(r io.Reader, limit, length int64) ([]byte, error) {
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read feed after %d bytes: %w", n, err)
	}
	if n > limit {
		return nil, fmt.Errorf("feed is larger than the %d-byte limit", limit)
	}
	if length >= 0 && n != length {
		return nil, fmt.Errorf("feed truncated: got %d of %d bytes", n, length)
	}
	return buf.Bytes(), nil
}

// parse turns a feed's bytes into a loaded version.
func parse(f *Feed, data []byte) (*loaded, error) {
	switch f.Kind {
	case KindCIDR:
		s, err := ParseCIDRList(bytes.NewReader(data))
		if err != nil {
			return nil, err
		}
		return &loaded{cidr: s}, nil
	case KindOrg:
		l, err := ParseOrgList(bytes.NewReader(data))
		if err != nil {
			return nil, err
		}
		return &loaded{org: l}, nil
	}
	r, raw, err := openMMDB(data, f.Kind)
	if err != nil {
		return nil, err
	}
	return &loaded{mmdb: r, raw: raw}, nil
}

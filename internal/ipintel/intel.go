package ipintel

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults for Options.
const (
	DefaultRefresh  = 6 * time.Hour
	DefaultMaxBytes = 512 << 20
	DefaultMinKeep  = 0.5
)

// Options configures an Intel.
type Options struct {
	Feeds []Feed
	// Refresh is how often Run reloads every feed; DefaultRefresh if zero.
	Refresh time.Duration
	// MaxBytes caps one feed's size; DefaultMaxBytes if zero.
	MaxBytes int64
	// MinKeep rejects a new version of a list with fewer than this fraction of the
	// previous version's entries (a truncated download that still parses); DefaultMinKeep
	// if zero. Feed.AllowShrink turns the guard off for one feed.
	MinKeep float64
	// Client fetches URL feeds; http.DefaultClient if nil.
	Client *http.Client
	// Logger receives load results; a discarding logger if nil.
	Logger *slog.Logger
	// Now is the clock for load timestamps; time.Now if nil.
	Now func() time.Time
}

// Match says which feed gave an address a tag.
type Match struct {
	Tag  Tag
	Feed string
}

// Info is what is known about one address.
type Info struct {
	Addr    netip.Addr
	Country string // ISO 3166-1 alpha-2
	Region  string // ISO 3166-2 subdivision code, without the country
	City    string // English name
	// TimeZone is the IANA zone of the location, when the City database has it.
	TimeZone string
	// Lat and Lon are valid when HasCoords; AccuracyKM is the database's accuracy radius.
	Lat, Lon   float64
	HasCoords  bool
	AccuracyKM int
	ASN        uint
	Org        string
	Tags       TagSet
	// Matches lists every feed that tagged the address, in feed order.
	Matches []Match
}

// add records that feed tagged the address with t.
func (i *Info) add(t Tag, feed string) {
	i.Tags = i.Tags.With(t)
	i.Matches = append(i.Matches, Match{Tag: t, Feed: feed})
}

// FeedStatus reports the state of one feed.
type FeedStatus struct {
	Name string
	// Loaded is when the version in use was loaded; zero if none has loaded yet.
	Loaded time.Time
	// Checked is when the feed was last fetched, changed or not.
	Checked time.Time
	// Entries is the size of a list version in use (0 for databases).
	Entries int
	// Err is the error of the latest load attempt, nil if it succeeded.
	Err error
}

// snapshot is an immutable view of every feed's version in use, in feed order.
type snapshot struct {
	versions []*loaded // nil where a feed has not loaded yet
}

// Intel answers lookups from a set of feeds. It is safe for concurrent use: lookups read
// an immutable snapshot through an atomic pointer, and loads replace it.
type Intel struct {
	feeds   []Feed
	opts    Options
	log     *slog.Logger
	current atomic.Pointer[snapshot]

	loadMu sync.Mutex // serialises loads

	statusMu sync.Mutex // guards status
	status   []FeedStatus
}

// New validates opts and returns an Intel with nothing loaded; call Load or Run.
func New(opts Options) (*Intel, error) {
	kinds := map[FeedKind]string{}
	names := map[string]bool{}
	for i := range opts.Feeds {
		f := &opts.Feeds[i]
		if err := f.validate(); err != nil {
			return nil, err
		}
		if names[f.Name] {
			return nil, fmt.Errorf("feed %q: duplicate name", f.Name)
		}
		names[f.Name] = true
		if f.Kind >= KindCity {
			if other, ok := kinds[f.Kind]; ok {
				return nil, fmt.Errorf("feed %q: only one %s feed is allowed (%q is one)", f.Name, f.Kind, other)
			}
			kinds[f.Kind] = f.Name
		}
	}
	opts.Refresh = cmpOr(opts.Refresh, DefaultRefresh)
	opts.MaxBytes = cmpOr(opts.MaxBytes, DefaultMaxBytes)
	opts.MinKeep = cmpOr(opts.MinKeep, DefaultMinKeep)
	if opts.Client == nil {
		opts.Client = http.DefaultClient
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	in := &Intel{
		feeds:  append([]Feed(nil), opts.Feeds...),
		opts:   opts,
		log:    log.With("component", "ipintel"),
		status: make([]FeedStatus, len(opts.Feeds)),
	}
	for i, f := range in.feeds {
		in.status[i].Name = f.Name
	}
	in.current.Store(&snapshot{versions: make([]*loaded, len(in.feeds))})
	return in, nil
}

func cmpOr[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// Load fetches and parses every feed once. A feed that fails keeps its previous version
// (none on the first load); the error joins every feed's failure. Lookups see the new
// versions together, after all feeds were tried.
func (in *Intel) Load(ctx context.Context) error {
	in.loadMu.Lock()
	defer in.loadMu.Unlock()
	old := in.current.Load()
	next := &snapshot{versions: append([]*loaded(nil), old.versions...)}
	var errs []error
	for i := range in.feeds {
		f := &in.feeds[i]
		v, changed, err := in.loadFeed(ctx, f, old.versions[i])
		in.setStatus(i, v, changed, err)
		if err != nil {
			errs = append(errs, err)
			in.log.Warn("feed rejected; keeping the previous version", "feed", f.Name, "err", err)
			continue
		}
		if !changed {
			in.log.Debug("feed unchanged", "feed", f.Name)
			continue
		}
		next.versions[i] = v
		in.log.Info("feed loaded", "feed", f.Name, "kind", f.Kind.String(), "entries", v.entries())
	}
	in.current.Store(next)
	return errors.Join(errs...)
}

// setStatus records the outcome of loading feed i.
func (in *Intel) setStatus(i int, v *loaded, changed bool, err error) {
	in.statusMu.Lock()
	defer in.statusMu.Unlock()
	st := &in.status[i]
	st.Err, st.Checked = err, in.opts.Now()
	if err == nil && changed {
		st.Loaded, st.Entries = st.Checked, v.entries()
	}
}

// loadFeed fetches, parses and checks one feed against its previous version. It returns
// prev itself, and changed false, when the feed is unchanged.
func (in *Intel) loadFeed(ctx context.Context, f *Feed, prev *loaded) (v *loaded, changed bool, err error) {
	got, err := fetch(ctx, in.opts.Client, f, in.opts.MaxBytes, prev)
	if err != nil {
		return nil, false, fmt.Errorf("feed %q: %w", f.Name, err)
	}
	if got.notModified {
		return prev, false, nil
	}
	sum := sha256.Sum256(got.data)
	if prev != nil && prev.sum == sum {
		return prev, false, nil
	}
	v, err = parse(f, got.data)
	if err != nil {
		return nil, false, fmt.Errorf("feed %q: %w", f.Name, err)
	}
	if prev != nil && !f.AllowShrink {
		if n, p := v.entries(), prev.entries(); float64(n) < in.opts.MinKeep*float64(p) {
			return nil, false, fmt.Errorf("feed %q: shrank from %d to %d entries, below the %.0f%% guard", f.Name, p, n, in.opts.MinKeep*100)
		}
	}
	v.sum, v.etag, v.lastModified = sum, got.etag, got.lastModified
	return v, true, nil
}

// Run loads every feed now and then every Options.Refresh until ctx is done. Feed errors
// are logged, not returned: the last good versions stay in use. It returns ctx's error.
func (in *Intel) Run(ctx context.Context) error {
	t := time.NewTicker(in.opts.Refresh)
	defer t.Stop()
	for {
		if err := in.Load(ctx); err != nil && ctx.Err() == nil {
			in.log.Warn("feed refresh incomplete", "err", err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// Status returns the state of every feed, in feed order.
func (in *Intel) Status() []FeedStatus {
	in.statusMu.Lock()
	defer in.statusMu.Unlock()
	return append([]FeedStatus(nil), in.status...)
}

// Lookup returns what the loaded feeds say about a. An invalid address gives a zero Info.
func (in *Intel) Lookup(a netip.Addr) Info {
	if !a.IsValid() {
		return Info{}
	}
	a = a.Unmap().WithZone("")
	info := Info{Addr: a}
	s := in.current.Load()
	for i, v := range s.versions {
		if v == nil {
			continue
		}
		f := &in.feeds[i]
		switch f.Kind {
		case KindCity:
			lookupCity(v.raw, a, &info)
		case KindASN:
			lookupASN(v.mmdb, a, &info)
		case KindAnonymousIP:
			lookupAnonymous(v.mmdb, f.Name, a, &info)
		}
	}
	for i, v := range s.versions {
		if v == nil {
			continue
		}
		f := &in.feeds[i]
		switch {
		case v.cidr != nil && v.cidr.Contains(a):
			info.add(f.Tag, f.Name)
		case v.org != nil && v.org.Match(info.ASN, info.Org):
			info.add(f.Tag, f.Name)
		}
	}
	return info
}

// LookupString parses s as an address and looks it up; an unparsable s gives a zero Info.
func (in *Intel) LookupString(s string) Info {
	a, err := netip.ParseAddr(s)
	if err != nil {
		return Info{}
	}
	return in.Lookup(a)
}

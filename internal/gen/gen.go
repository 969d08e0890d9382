package gen

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	// The generator converts working hours through IANA zones; embedding the database
	// keeps output identical on hosts without one.
	_ "time/tzdata"

	"github.com/unmask/unmask"
)

// Defaults for Options fields left zero.
const (
	DefaultEmployees  = 200
	DefaultApplicants = 300
	DefaultDays       = 30
	DefaultSeed       = 1
	DefaultFraud      = 4
	DefaultClusters   = 3
)

// DefaultStart is the first day of generated activity when Options.Start is zero.
var DefaultStart = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)

// Domain is the company's e-mail domain; GitHubOrg its GitHub organisation.
const (
	Domain    = "northwind.example"
	GitHubOrg = "northwind-eng"
)

// minEmployees leaves room for every scenario and some benign colleagues; maxEmployees
// keeps every home on its own address of its city's residential block (7 × 254 hosts).
const (
	minEmployees = 20
	maxEmployees = 15000
)

// Options sizes the company. Zero fields take the defaults above. Employees may be 20 to
// 15,000.
type Options struct {
	Employees  int
	Applicants int
	Days       int
	Seed       int64
	// Start is the first day of activity (truncated to midnight UTC).
	Start time.Time
	// Fraud is the number of fraud scenarios planted among employees (laptop farm, Astrill,
	// remote access, subtle, repeating); a laptop farm has three members. Negative: none.
	Fraud int
	// Clusters is the number of fraudulent applicant clusters. Negative: none.
	Clusters int
}

func (o Options) withDefaults() Options {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
		if *v < 0 {
			*v = 0
		}
	}
	def(&o.Employees, DefaultEmployees)
	def(&o.Applicants, DefaultApplicants)
	def(&o.Days, DefaultDays)
	def(&o.Fraud, DefaultFraud)
	def(&o.Clusters, DefaultClusters)
	if o.Seed == 0 {
		o.Seed = DefaultSeed
	}
	if o.Start.IsZero() {
		o.Start = DefaultStart
	}
	o.Start = o.Start.UTC().Truncate(24 * time.Hour)
	return o
}

func (o Options) validate() error {
	switch {
	case o.Employees < minEmployees || o.Employees > maxEmployees:
		return unmask.Errorf(unmask.EINVALID, "Between %d and %d employees can be generated.", minEmployees, maxEmployees)
	case o.Employees < 10*fraudHeadcount(o.Fraud):
		return unmask.Errorf(unmask.EINVALID, "%d fraud scenarios need at least %d employees.", o.Fraud, 10*fraudHeadcount(o.Fraud))
	case o.Days < 1 || o.Days > 366:
		return unmask.Errorf(unmask.EINVALID, "Between 1 and 366 days can be generated.")
	case o.Applicants < 4*o.Clusters:
		return unmask.Errorf(unmask.EINVALID, "%d applicant clusters need at least %d applicants.", o.Clusters, 4*o.Clusters)
	}
	return nil
}

// Generate writes a synthetic company into dir (created if missing) and returns its
// manifest, which it also writes as dir/manifest.json.
func Generate(dir string, opts Options) (*Manifest, error) {
	opts = opts.withDefaults()
	if err := opts.validate(); err != nil {
		return nil, err
	}
	g := newGenerator(dir, opts)
	if err := g.run(); err != nil {
		g.closeAll()
		return nil, err
	}
	b, err := json.MarshalIndent(g.man, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode manifest: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "manifest.json"), append(b, '\n'), 0o644); err != nil {
		return nil, fmt.Errorf("write manifest: %w", err)
	}
	return g.man, nil
}

// generator holds the state of one Generate call.
type generator struct {
	opts    Options
	dir     string
	start   time.Time
	end     time.Time
	people  []*person
	nets    *netplan
	repos   []string
	man     *Manifest
	streams streams
	hr      *hrFiles
	seq     uint64
	phones  int // phone numbers handed out
	cases   []*fraudCase
	workers []*generator // copies writing people's days in parallel
}

func newGenerator(dir string, opts Options) *generator {
	g := &generator{opts: opts, dir: dir, start: opts.Start, end: opts.Start.AddDate(0, 0, opts.Days), hr: &hrFiles{}}
	g.man = &Manifest{Seed: opts.Seed, Start: opts.Start, Days: opts.Days, Domain: Domain, GitHubOrg: GitHubOrg,
		Employees: opts.Employees, Applicants: opts.Applicants}
	for _, w := range repoWords {
		for _, s := range repoSuffixes {
			g.repos = append(g.repos, GitHubOrg+"/"+w+s)
		}
	}
	return g
}

// rng returns the PCG stream for one purpose (a person, a day, a file): the same
// (seed, a, b) always gives the same stream.
func (g *generator) rng(a, b uint64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(g.opts.Seed)*0x9e3779b97f4a7c15^a, b*0xbf58476d1ce4e5b9+0x756e6d61736b))
}

// run builds the population and writes every file.
func (g *generator) run() error {
	g.nets = newNetplan()
	g.buildPeople()
	g.plantFraud()
	if err := g.openAll(); err != nil {
		return err
	}
	g.writeOnboarding()
	for d := range g.opts.Days {
		day := g.start.AddDate(0, 0, d)
		g.simulateDay(d, day)
		g.plantDay(d, day)
		if err := g.streams.flush(day.Add(9 * time.Hour).UnixNano()); err != nil {
			return err
		}
	}
	if err := g.streams.flush(1 << 62); err != nil {
		return err
	}
	if err := g.writeInventory(); err != nil {
		return err
	}
	if err := g.writeApplicants(); err != nil {
		return err
	}
	if err := g.writeHR(); err != nil {
		return err
	}
	if err := g.closeAll(); err != nil {
		return err
	}
	g.man.Networks = g.nets.manifest()
	g.man.Networks = append(g.man.Networks, Network{CIDR: "198.19.0.0/16", Role: RoleSaaS, ASN: asnSaaS, ASOrg: "Example SaaS Cloud",
		Country: "US", Region: "VA", City: "Ashburn", Lat: ashburn.Lat, Lon: ashburn.Lon})
	for _, f := range g.cases {
		g.man.Fraud = append(g.man.Fraud, *f.planted)
	}
	g.lookalikes()
	if err := g.writeIntel(); err != nil {
		return err
	}
	slices.SortFunc(g.man.Files, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	return nil
}

// simulateDay writes every person's day d. Contiguous runs of people are simulated in
// parallel on copies of g with their own record buffers; the buffers are merged in
// person order and sequence numbers assigned then, so the output does not depend on the
// number of workers.
func (g *generator) simulateDay(d int, day time.Time) {
	if g.workers == nil {
		n := max(1, min(runtime.GOMAXPROCS(0), 8, len(g.people)/50))
		for range n {
			w := *g
			w.workers = nil
			w.streams = streams{}
			for i, s := range g.streams.all() {
				*w.streams.ptr(i) = &stream{Path: s.Path, Source: s.Source}
			}
			g.workers = append(g.workers, &w)
		}
	}
	chunk := (len(g.people) + len(g.workers) - 1) / len(g.workers)
	var wg sync.WaitGroup
	for i, w := range g.workers {
		people := g.people[min(len(g.people), i*chunk):min(len(g.people), (i+1)*chunk)]
		wg.Go(func() {
			for _, p := range people {
				w.personDay(p, d, day)
			}
		})
	}
	wg.Wait()
	for _, w := range g.workers {
		mine := g.streams.all()
		for i, s := range w.streams.all() {
			for _, it := range s.pending {
				g.seq++
				it.seq = int64(g.seq)
				mine[i].pending = append(mine[i].pending, it)
			}
			clear(s.pending)
			s.pending = s.pending[:0]
		}
	}
}

package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"fmt"
	"go.yaml.in/yaml/v3"
	"io"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/alerting"
	"github.com/unmask/unmask/internal/casework"
	"github.com/unmask/unmask/internal/detect"
	"github.com/unmask/unmask/internal/httpapi"
	"github.com/unmask/unmask/internal/identifiers"
	"github.com/unmask/unmask/internal/idhash"
	"github.com/unmask/unmask/internal/ingest"
	"github.com/unmask/unmask/internal/resolve"
	"github.com/unmask/unmask/internal/risk"
	"github.com/unmask/unmask/internal/roster"
	"github.com/unmask/unmask/internal/ruleset"
	"github.com/unmask/unmask/internal/screen"
	"github.com/unmask/unmask/internal/spotcheck"
)

// processor is the chain every input goes through, whichever way it arrives (CLI file,
// HTTP push, poller): decode → roster → resolve → store → detect → score → alert.
type processor struct {
	m        *Main
	hasher   *idhash.Hasher
	resolver *resolve.Resolver
	roster   *roster.Roster
	risk     *risk.Engine
	screen   *screen.Screener
	sweepers []interface{ Sweep() []unmask.Signal }
	detect   *detect.Engine
	// forward takes the events that were new: onto the bus (serve) or straight to
	// detection (the CLI).
	forward func(ctx context.Context, events []*unmask.Event) error
	metrics *ingestMetrics
	// rules is the Sigma rule set: the bundled pack and the user's rules.
	rules *ruleset.Set
	// notifier sends new alerts to the configured destinations; nil without any.
	notifier *alertNotifier
	// alerts groups signals into alerts, under the configured suppressions.
	alerts *alerting.Manager
	// cases and spotChecks run the response workflows for the API and UI.
	cases      *casework.Service
	spotChecks *spotcheck.Service
	// expired counts the new events already older than retention.events.
	expired atomic.Int64
}

// newProcessor builds the chain over the open store. With bus nil, detection runs inline.
func (m *Main) newProcessor(ctx context.Context, bus unmask.EventBus, reg prometheus.Registerer) (*processor, error) {
	h, err := m.hasher()
	if err != nil {
		return nil, err
	}
	res := resolve.New(resolve.Options{Store: m.db, Hasher: h})
	p := &processor{m: m, hasher: h, resolver: res, metrics: newIngestMetrics(reg, m.sourceHealth()),
		roster: roster.New(roster.Options{Store: m.db, Hasher: h, Resolver: res})}
	if p.risk, err = m.loadRisk(ctx); err != nil {
		return nil, err
	}
	alerts, err := alerting.NewManager(alerting.Options{Store: m.db, Logger: m.Logger.With("component", "alerting"),
		Suppressions: m.suppressionsOf(m.Config.Alerting.Suppressions, time.Now())})
	if err != nil {
		return nil, invalid(err)
	}
	p.alerts = alerts
	p.screen = m.screener(h)
	if p.rules, err = m.loadRuleSet(ctx); err != nil {
		return nil, err
	}
	dets, err := m.detectors(ctx, p.screen)
	if err != nil {
		return nil, err
	}
	rules, err := withApprovals(ruleset.NewDetector(p.rules), p.rules, m.db, m.Config.Analytics.Approvals)
	if err != nil {
		return nil, err
	}
	dets = append(dets, rules)
	for _, d := range dets {
		if s, ok := d.(interface{ Sweep() []unmask.Signal }); ok {
			p.sweepers = append(p.sweepers, s)
		}
	}
	if p.notifier, err = m.notifier(); err != nil {
		return nil, err
	}
	opts := detect.Options{Detectors: dets, Store: m.db, Risk: p.risk, Alerts: alerts, Logger: m.Logger.With("component", "detect")}
	if p.notifier != nil {
		opts.OnAlerts = p.notifier.OnAlerts
	}
	p.detect, err = detect.NewEngine(opts)
	if err != nil {
		return nil, err
	}
	if p.cases, p.spotChecks, err = m.workflows(p); err != nil {
		return nil, err
	}
	p.forward = p.detectInline
	if bus != nil {
		p.forward = func(ctx context.Context, events []*unmask.Event) error { return bus.Publish(ctx, events...) }
	}
	return p, nil
}

// detectors returns the event detectors: identity screening of HR and ATS records, the
// Sigma rule engine and behavioural analytics.
func (m *Main) detectors(ctx context.Context, s *screen.Screener) ([]detect.Detector, error) {
	intel, err := m.openIntel(ctx)
	if err != nil {
		return nil, err
	}
	an, err := newAnalyticsDetector(m.db, intel, m.Config.Analytics)
	if err != nil {
		return nil, err
	}
	return []detect.Detector{s.Detector(), an}, nil
}

// loadRuleSet loads the bundled Sigma pack and the rules of rules.dirs, reporting bad
// files as warnings (they never stop the others), and records every rule's metadata in
// the store, keeping what users enabled or disabled there.
func (m *Main) loadRuleSet(ctx context.Context) (*ruleset.Set, error) {
	opts := m.ruleOptions(m.Config.Rules.Dirs...)
	if approvals := approvalFilters(m.Config.Analytics.Approvals, time.Now()); approvals != nil {
		opts.User = append(opts.User, ruleset.Source{Name: "analytics.approvals", FS: approvals})
	}
	set, err := ruleset.Load(opts)
	if err != nil {
		return nil, invalid(err)
	}
	for _, p := range set.Problems() {
		m.Logger.Warn("rule not loaded", "problem", p.Error())
	}
	if _, err := set.Sync(adminContext(ctx), m.db); err != nil {
		return nil, err
	}
	return set, nil
}

// screener returns the applicant and identity screener over the open store.
func (m *Main) screener(h *idhash.Hasher) *screen.Screener {
	return screen.New(screen.Options{Store: m.db, Builder: identifiers.NewBuilder(h, nil), Hasher: h})
}

// loadRisk returns a risk engine holding every stored signal, so that scores continue
// across restarts.
func (m *Main) loadRisk(ctx context.Context) (*risk.Engine, error) {
	cfg, err := m.riskConfig()
	if err != nil {
		return nil, err
	}
	e, err := risk.NewEngine(risk.Options{Config: cfg})
	if err != nil {
		return nil, err
	}
	for off := 0; ; off += unmask.MaxLimit {
		people, _, err := m.db.FindPeople(ctx, unmask.PersonFilter{Page: unmask.Page{Offset: off, Limit: unmask.MaxLimit}})
		if err != nil {
			return nil, err
		}
		for _, p := range people {
			e.SetSubject(risk.SubjectOf(p))
		}
		if len(people) < unmask.MaxLimit {
			break
		}
	}
	for off := 0; ; off += unmask.MaxLimit {
		sigs, _, err := m.db.FindSignals(ctx, unmask.SignalFilter{Page: unmask.Page{Offset: off, Limit: unmask.MaxLimit}})
		if err != nil {
			return nil, err
		}
		batch := make([]unmask.Signal, len(sigs))
		for i, s := range sigs {
			batch[i] = *s
		}
		if _, err := e.Upsert(batch...); err != nil {
			return nil, err
		}
		if len(sigs) < unmask.MaxLimit {
			return e, nil
		}
	}
}

// ruleTester returns the rule tester, or nil (an untyped nil, so the server answers 503).
func (p *processor) ruleTester() httpapi.RuleTester {
	if p.rules == nil {
		return nil
	}
	return ruleTester{p.rules}
}

// riskConfig reads risk.file over the default scoring configuration; nil without a file.
func (m *Main) riskConfig() (*risk.Config, error) {
	path := m.Config.Risk.File
	if path == "" {
		return nil, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, unmask.WrapError(unmask.EINVALID, err, "risk.file: %v", err)
	}
	cfg := risk.DefaultConfig()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil && !errors.Is(err, io.EOF) {
		return nil, unmask.WrapError(unmask.EINVALID, err, "risk.file %s: %v", path, err)
	}
	if err := cfg.Validate(); err != nil {
		return nil, unmask.WrapError(unmask.EINVALID, err, "risk.file %s: %v", path, err)
	}
	return &cfg, nil
}

// sweep runs the time-based checks and records what they find.
func (p *processor) sweep(ctx context.Context) error {
	for _, s := range p.sweepers {
		if err := p.detect.Record(ctx, s.Sweep()...); err != nil {
			return err
		}
	}
	return nil
}

// detectInline runs detection on new events in this process.
func (p *processor) detectInline(ctx context.Context, events []*unmask.Event) error {
	for i, e := range events {
		if err := p.detect.HandleDelivery(ctx, unmask.Delivery{Event: e, Partition: 0, Attempt: 1}); err != nil {
			return fmt.Errorf("detect event %d of %d: %w", i+1, len(events), err)
		}
	}
	return nil
}

// resolveEvent attributes an event: HR and inventory records through the roster, others
// through their account, host or serial.
func (p *processor) resolveEvent(ctx context.Context, e *unmask.Event) error {
	if err := p.roster.Observe(ctx, e); err != nil {
		return err
	}
	if e.PersonID != "" {
		return nil
	}
	return p.resolver.Resolve(ctx, e)
}

// eventWriter stores events and forwards the new ones.
type eventWriter struct{ p *processor }

// CreateEvents stores events and forwards those that were new to detection.
func (w eventWriter) CreateEvents(ctx context.Context, events []*unmask.Event) (int, error) {
	created, err := w.p.m.db.InsertEvents(ctx, events)
	if err != nil {
		return 0, err
	}
	if keep := w.p.m.Config.Retention.Events.Std(); keep > 0 {
		cut := time.Now().Add(-keep)
		for _, e := range created {
			if e.Time.Before(cut) {
				w.p.expired.Add(1)
			}
		}
	}
	if len(created) > 0 {
		if err := w.p.forward(ctx, created); err != nil {
			return len(created), err
		}
	}
	return len(created), nil
}

// run ingests one input of source, reporting progress.
func (p *processor) run(ctx context.Context, source, file string, r io.Reader, progress func(ingest.Stats)) (ingest.Stats, error) {
	return p.runObserved(ctx, source, file, r, progress, nil)
}

// runObserved is run that also shows every rejected record to onReject.
func (p *processor) runObserved(ctx context.Context, source, file string, r io.Reader, progress func(ingest.Stats), onReject func(*unmask.DeadLetter)) (ingest.Stats, error) {
	f, err := openSource(source, p.m.Config, p.hasher)
	if err != nil {
		return ingest.Stats{}, err
	}
	var dl ingest.DeadLetterWriter = p.m.db
	if onReject != nil {
		dl = observedDeadLetters{dl, onReject}
	}
	// writeBatchFactor is how many decoded batches one store write may combine.
	const writeBatchFactor = 8
	batch := p.m.Config.Ingest.BatchSize
	pl := ingest.NewPipeline(ingest.Options{
		Events: eventWriter{p}, DeadLetters: dl, BatchSize: batch,
		// A store that falls behind the decoder commits up to this many events at once:
		// SQLite writes each changed page once per transaction, and the id index's
		// changes spread over the whole index.
		MaxWriteBatch: writeBatchFactor * batch,
		Resolve:       p.resolveEvent, Progress: progress, Logger: p.m.Logger.With("component", "ingest"),
	})
	st, err := pl.Run(ctx, f, file, r)
	p.metrics.observe(source, st)
	return st, err
}

// observedDeadLetters stores dead letters and shows each to a callback.
type observedDeadLetters struct {
	ingest.DeadLetterWriter
	observe func(*unmask.DeadLetter)
}

func (o observedDeadLetters) CreateDeadLetters(ctx context.Context, dls []*unmask.DeadLetter) error {
	for _, d := range dls {
		o.observe(d)
	}
	return o.DeadLetterWriter.CreateDeadLetters(ctx, dls)
}

// ingestMetrics counts ingested records per source for /metrics and the dashboard.
type ingestMetrics struct {
	records *prometheus.CounterVec
	bytes   *prometheus.CounterVec

	health *sourceHealth
}

// sourceHealth is what each source delivered since the process started, shared by every
// processor of the process (the demo's ingest and the server that follows it).
type sourceHealth struct {
	mu       sync.Mutex // guards bySource
	bySource map[string]*httpapi.SourceHealth
}

func newIngestMetrics(reg prometheus.Registerer, health *sourceHealth) *ingestMetrics {
	m := &ingestMetrics{health: health,
		records: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "unmask_ingest_records_total", Help: "Ingested records by source and result (accepted, duplicate, rejected).",
		}, []string{"source", "result"}),
		bytes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "unmask_ingest_bytes_total", Help: "Bytes read by ingestion, by source.",
		}, []string{"source"}),
	}
	if reg != nil {
		reg.MustRegister(m.records, m.bytes)
	}
	return m
}

func (m *ingestMetrics) observe(source string, st ingest.Stats) {
	m.records.WithLabelValues(source, "accepted").Add(float64(st.Accepted))
	m.records.WithLabelValues(source, "duplicate").Add(float64(st.Duplicates))
	m.records.WithLabelValues(source, "rejected").Add(float64(st.Rejected))
	m.bytes.WithLabelValues(source).Add(float64(st.Bytes))
	m.health.mu.Lock()
	defer m.health.mu.Unlock()
	h := m.health.bySource[source]
	if h == nil {
		h = &httpapi.SourceHealth{Source: source}
		m.health.bySource[source] = h
	}
	h.Accepted += st.Accepted
	h.Duplicates += st.Duplicates
	h.Rejected += st.Rejected
	h.Last = time.Now()
}

// sources returns what each source delivered since start.
func (s *sourceHealth) sources() []httpapi.SourceHealth {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]httpapi.SourceHealth, 0, len(s.bySource))
	for _, h := range s.bySource {
		out = append(out, *h)
	}
	return out
}

package ruleset

import (
	"fmt"
	"io/fs"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/sigma"
	"github.com/unmask/unmask/rules"
)

// Options configures Load.
type Options struct {
	// Bundled is the rule pack shipped in the binary; nil means rules.FS.
	Bundled fs.FS
	// Dirs are rule directories or single rule files on disk that the user adds (config
	// rules.dirs). Rules from them have origin user and paths under the directory.
	Dirs []string
	// User are further user rule trees as file systems.
	User []Source
	// Disabled lists rule ids that never raise signals (config rules.disabled), whatever
	// the store says.
	Disabled []string
	// Pipeline maps field names and logsources; nil means DefaultPipeline.
	Pipeline *sigma.Pipeline
	// StrictLogsource makes rules whose logsource the pipeline does not map match
	// nothing, instead of every event.
	StrictLogsource bool
	// MaxGroups caps the groups each correlation keeps per shard (default 10,000), the
	// least recently seen evicted first; MaxEventsPerGroup caps the timestamps or values
	// kept per group (default 1,000).
	MaxGroups, MaxEventsPerGroup int
	// Logger receives load problems; nil discards them.
	Logger *slog.Logger
	// Now returns the current time, the time of a tested event that has none; nil means
	// time.Now.
	Now func() time.Time
}

// Source is a tree of user rule files.
type Source struct {
	// Name prefixes the paths of its rules and problems, usually the directory it was
	// read from; empty leaves them relative.
	Name string
	FS   fs.FS
}

// Problem is a rule file, document or rule that could not be loaded or compiled.
type Problem struct {
	Path string // the file, as its source names it; empty when not known
	Line int    // 1-based line of the problem or of its document; 0 when not known
	Rule string // the id or name of the rule concerned, when known
	Err  error  // the reason
}

// Error returns path:line: reason.
func (p Problem) Error() string {
	var b strings.Builder
	if p.Path != "" {
		b.WriteString(p.Path)
		if p.Line > 0 {
			fmt.Fprintf(&b, ":%d", p.Line)
		}
		b.WriteString(": ")
	}
	b.WriteString(p.Err.Error())
	return b.String()
}

// Unwrap returns the reason.
func (p Problem) Unwrap() error { return p.Err }

// Set is a loaded, compiled rule set with the enablement of its rules. It is safe for
// concurrent use; Reload and the enablement setters swap state atomically.
type Set struct {
	opts      Options
	pipeline  *sigma.Pipeline
	log       *slog.Logger
	alwaysOff map[string]bool // Options.Disabled

	cur atomic.Pointer[state]
	off atomic.Pointer[map[string]bool] // rule ids the store disables; replaced, never changed

	mu sync.Mutex // serialises Reload and the writers of off
}

// state is one immutable compiled rule set.
type state struct {
	engine   *sigma.Engine
	docs     []*sigma.Rule          // every compiled document, in load order
	entries  []*entry               // detection and correlation rules, in load order
	byRef    map[string]*entry      // by id and by name
	byRule   map[*sigma.Rule]*entry // by document, for hits
	index    *refIndex              // over docs
	problems []Problem
	opts     sigma.Options // the engine options, without rules

	mu       sync.Mutex // guards closures
	closures map[*sigma.Rule]*sigma.Engine
}

// entry is a rule that raises signals: a detection or a correlation.
type entry struct {
	rule      *sigma.Rule
	meta      unmask.Rule // Enabled is not used
	indicator string
	weight    float64
}

// Load reads and compiles the bundled pack and the user's rules. Bad files, documents
// and rules are left out and reported by Problems; the error is only for options that
// cannot be used (an EINVALID error).
func Load(opts Options) (*Set, error) {
	s := &Set{opts: opts, pipeline: opts.Pipeline, log: opts.Logger, alwaysOff: map[string]bool{}}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.opts.Bundled == nil {
		s.opts.Bundled = rules.FS
	}
	if s.opts.MaxGroups <= 0 {
		s.opts.MaxGroups = 10_000
	}
	if s.opts.MaxEventsPerGroup <= 0 {
		s.opts.MaxEventsPerGroup = 1_000
	}
	if s.opts.Now == nil {
		s.opts.Now = time.Now
	}
	if s.pipeline == nil {
		p, err := DefaultPipeline()
		if err != nil {
			return nil, unmask.WrapError(unmask.EINVALID, err, "Rule pipeline: %v", err)
		}
		s.pipeline = p
	}
	for _, id := range opts.Disabled {
		s.alwaysOff[id] = true
	}
	s.off.Store(&map[string]bool{})
	if err := s.Reload(); err != nil {
		return nil, err
	}
	return s, nil
}

// Reload re-reads every rule source and swaps in the new set; matchers built on the old
// one start afresh, losing their correlation state. Problems reports the new set's
// problems. The error is only for a set that cannot be compiled at all, which keeps the
// old set.
func (s *Set) Reload() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.build()
	if err != nil {
		return err
	}
	for _, p := range st.problems {
		s.log.Warn("sigma rule not loaded", "path", p.Path, "line", p.Line, "rule", p.Rule, "err", p.Err)
	}
	s.log.Info("sigma rules loaded", "rules", len(st.entries), "problems", len(st.problems))
	s.cur.Store(st)
	return nil
}

// Problems returns why files, documents and rules were left out of the current set.
func (s *Set) Problems() []Problem {
	return s.cur.Load().problems
}

// Len returns the number of rules that raise signals (detections and correlations).
func (s *Set) Len() int { return len(s.cur.Load().entries) }

// Pipeline returns the pipeline the set is compiled with.
func (s *Set) Pipeline() *sigma.Pipeline { return s.pipeline }

// DefaultPipeline returns the pipeline Load uses by default: field names as they are,
// logsource product "unmask" (the bundled pack, rules.PipelineYAML) on every event, and
// the Windows logsource conditions of the shipped sysmon-flat pipeline.
func DefaultPipeline() (*sigma.Pipeline, error) {
	ps, err := sigma.ParsePipelines([]byte(rules.PipelineYAML))
	if err != nil {
		return nil, err
	}
	pack, win := ps[rules.PipelineName], ps["sysmon-flat"]
	if pack == nil || win == nil {
		return nil, fmt.Errorf("pipelines %q and sysmon-flat are not defined", rules.PipelineName)
	}
	p := *pack
	p.Logsources = append(append([]sigma.LogsourceMapping{}, pack.Logsources...), win.Logsources...)
	return &p, nil
}

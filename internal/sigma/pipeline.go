package sigma

import (
	_ "embed"
	"fmt"
	"maps"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

//go:embed pipelines.yaml
var defaultPipelines []byte

// Pipeline maps Sigma field names and logsources onto the events of one log format. It
// is data: users load their own with ParsePipelines or extend a shipped one.
type Pipeline struct {
	Name    string `yaml:"name"`              // how rules and options refer to it
	Extends string `yaml:"extends,omitempty"` // a pipeline this one overlays
	// FieldMappings maps a Sigma field to the event paths (dotted for nested JSON) that
	// may hold it; the first present path wins.
	FieldMappings map[string][]string `yaml:"fieldmappings,omitempty"`
	// DefaultPaths are templates for fields without a mapping; {field} is replaced by
	// the Sigma field name. Empty means the field name itself.
	DefaultPaths []string `yaml:"defaultpaths,omitempty"`
	// Logsources give the event conditions that select each logsource.
	Logsources []LogsourceMapping `yaml:"logsources,omitempty"`
	// StripKeySpaces makes event keys with spaces match field names without them.
	StripKeySpaces bool `yaml:"stripkeyspaces,omitempty"`
	// Placeholders gives values for %name% placeholders (expand modifier).
	Placeholders map[string][]string `yaml:"placeholders,omitempty"`
}

// LogsourceMapping says which events belong to a logsource: every field in Conditions
// must equal one of its values (Sigma string syntax, case-insensitive).
type LogsourceMapping struct {
	Logsource  Logsource           `yaml:"logsource"`  // the fields a rule's logsource must have
	Conditions map[string][]string `yaml:"conditions"` // Sigma field -> accepted values
}

// pipelineFile is the YAML form of a pipelines file.
type pipelineFile struct {
	Pipelines []*Pipeline `yaml:"pipelines"` // in file order
}

// ParsePipelines parses a pipelines YAML file and resolves extends between its
// pipelines and the shipped ones (a pipeline in data overrides a shipped one by name).
func ParsePipelines(data []byte) (map[string]*Pipeline, error) {
	base, err := parsePipelineFile(defaultPipelines, nil)
	if err != nil {
		return nil, fmt.Errorf("shipped pipelines: %w", err)
	}
	if data == nil {
		return base, nil
	}
	return parsePipelineFile(data, base)
}

// DefaultPipeline returns a shipped pipeline by name: sigma (field names as they are),
// sysmon-evtx (Windows events as evtx JSON, Event.System and Event.EventData) or
// ecs-windows (winlogbeat/ECS).
func DefaultPipeline(name string) (*Pipeline, error) {
	ps, err := ParsePipelines(nil)
	if err != nil {
		return nil, err
	}
	p, ok := ps[name]
	if !ok {
		return nil, fmt.Errorf("no shipped pipeline %q (have %s)", name, strings.Join(slices.Sorted(maps.Keys(ps)), ", "))
	}
	return p, nil
}

func parsePipelineFile(data []byte, base map[string]*Pipeline) (map[string]*Pipeline, error) {
	var f pipelineFile
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("parse pipelines: %w", err)
	}
	out := maps.Clone(base)
	if out == nil {
		out = map[string]*Pipeline{}
	}
	for _, p := range f.Pipelines {
		if p.Name == "" {
			return nil, fmt.Errorf("parse pipelines: pipeline without name")
		}
		if p.Extends != "" {
			parent, ok := out[p.Extends]
			if !ok {
				return nil, fmt.Errorf("pipeline %q extends unknown pipeline %q", p.Name, p.Extends)
			}
			p = parent.merge(p)
		}
		out[p.Name] = p
	}
	return out, nil
}

// merge returns p overlaid with child: child mappings win, logsources are appended.
func (p *Pipeline) merge(child *Pipeline) *Pipeline {
	m := &Pipeline{Name: child.Name, Extends: child.Extends}
	m.FieldMappings = maps.Clone(p.FieldMappings)
	if m.FieldMappings == nil {
		m.FieldMappings = map[string][]string{}
	}
	maps.Copy(m.FieldMappings, child.FieldMappings)
	m.StripKeySpaces = p.StripKeySpaces || child.StripKeySpaces
	m.DefaultPaths = p.DefaultPaths
	if len(child.DefaultPaths) > 0 {
		m.DefaultPaths = child.DefaultPaths
	}
	m.Logsources = append(slices.Clone(p.Logsources), child.Logsources...)
	m.Placeholders = maps.Clone(p.Placeholders)
	if m.Placeholders == nil {
		m.Placeholders = map[string][]string{}
	}
	maps.Copy(m.Placeholders, child.Placeholders)
	return m
}

// Paths returns the event paths that may hold a Sigma field, in priority order.
func (p *Pipeline) Paths(field string) []string {
	if p == nil {
		return []string{field}
	}
	if ps, ok := p.FieldMappings[field]; ok {
		return ps
	}
	if len(p.DefaultPaths) == 0 {
		return []string{field}
	}
	out := make([]string, len(p.DefaultPaths))
	for i, t := range p.DefaultPaths {
		out[i] = strings.ReplaceAll(t, "{field}", field)
	}
	return out
}

// logsourceConditions returns the mappings that apply to ls (joined by OR); nil with ok
// false when the pipeline maps none.
func (p *Pipeline) logsourceConditions(ls Logsource) ([]LogsourceMapping, bool) {
	if p == nil {
		return nil, false
	}
	var out []LogsourceMapping
	for _, m := range p.Logsources {
		if m.Logsource.covers(ls) && (m.Logsource != Logsource{}) {
			out = append(out, m)
		}
	}
	return out, len(out) > 0
}

// ParseOptions returns parse options that expand placeholders with the pipeline's
// values, so that rules loaded for this pipeline can use the expand modifier.
func (p *Pipeline) ParseOptions() ParseOptions {
	if p == nil {
		return ParseOptions{}
	}
	return ParseOptions{Placeholders: p.Placeholders}
}

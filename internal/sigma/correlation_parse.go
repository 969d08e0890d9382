package sigma

import (
	"strconv"

	"go.yaml.in/yaml/v3"
)

// Correlation types.
const (
	EventCount      = "event_count"
	ValueCount      = "value_count"
	Temporal        = "temporal"
	TemporalOrdered = "temporal_ordered"
	ValueSum        = "value_sum"
	ValueAvg        = "value_avg"
)

// parseCorrelation parses the correlation section; gen is the top-level generate
// attribute, if any.
func (r *Rule) parseCorrelation(n, gen *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return errAt(n, "correlation must be a mapping")
	}
	c := &Correlation{}
	var cond *yaml.Node
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		seen[k.Value] = true
		var err error
		switch k.Value {
		case "type":
			c.Type = v.Value
		case "rules":
			err = decodeStrings(v, &c.Rules, "correlation rules")
		case "group-by":
			err = decodeStrings(v, &c.GroupBy, "group-by")
		case "timespan", "timeframe":
			c.Timespan, err = parseTimespan(v.Value)
			if err != nil {
				err = errAt(v, "%v", err)
			}
		case "condition":
			cond = v
		case "aliases":
			err = c.parseAliases(v)
		case "generate":
			c.Generate = v.Value == "true"
		}
		if err != nil {
			return err
		}
	}
	if gen != nil && gen.Value == "true" {
		c.Generate = true
	}
	if err := c.validate(n, cond, seen); err != nil {
		return err
	}
	r.Kind, r.Correlation = KindCorrelation, c
	return nil
}

// validate checks the required attributes per correlation type and parses the condition.
func (c *Correlation) validate(n, cond *yaml.Node, seen map[string]bool) error {
	switch c.Type {
	case EventCount, ValueCount, Temporal, TemporalOrdered, ValueSum, ValueAvg:
	case "value_percentile":
		return errAt(n, "correlation type value_percentile is not supported (its semantics are not specified)")
	default:
		return errAt(n, "correlation type %q is not event_count, value_count, value_sum, value_avg, temporal or temporal_ordered", c.Type)
	}
	if len(c.Rules) == 0 {
		return errAt(n, "correlation has no rules")
	}
	if !seen["timespan"] && !seen["timeframe"] {
		return errAt(n, "correlation has no timespan")
	}
	if cond == nil {
		if c.Type != Temporal && c.Type != TemporalOrdered {
			return errAt(n, "correlation %s needs a condition", c.Type)
		}
		return nil
	}
	if cond.Kind != yaml.MappingNode {
		return errAt(cond, "correlation condition must be a mapping")
	}
	for i := 0; i+1 < len(cond.Content); i += 2 {
		k, v := cond.Content[i], cond.Content[i+1]
		if k.Value == "field" {
			c.Field = v.Value
			continue
		}
		switch k.Value {
		case "gt", "gte", "lt", "lte", "eq", "neq":
		default:
			return errAt(k, "correlation condition operator %q is not gt, gte, lt, lte, eq or neq", k.Value)
		}
		x, err := strconv.ParseInt(v.Value, 10, 64)
		if err != nil {
			return errAt(v, "correlation condition %s needs an integer, got %q", k.Value, v.Value)
		}
		c.Conditions = append(c.Conditions, CountCondition{Op: k.Value, Value: x})
	}
	if (c.Type == ValueCount || c.Type == ValueSum || c.Type == ValueAvg) && c.Field == "" {
		return errAt(cond, "%s condition needs a field", c.Type)
	}
	if len(c.Conditions) == 0 {
		return errAt(cond, "correlation condition has no comparison")
	}
	return nil
}

// parseAliases parses aliases: {alias: {rule: field}}.
func (c *Correlation) parseAliases(v *yaml.Node) error {
	if v.Kind != yaml.MappingNode {
		return errAt(v, "aliases must be a mapping")
	}
	c.Aliases = map[string]map[string]string{}
	for i := 0; i+1 < len(v.Content); i += 2 {
		m := map[string]string{}
		if err := v.Content[i+1].Decode(&m); err != nil {
			return errAt(v.Content[i+1], "alias %q: %v", v.Content[i].Value, err)
		}
		c.Aliases[v.Content[i].Value] = m
	}
	return nil
}

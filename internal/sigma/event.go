package sigma

import (
	"github.com/unmask/unmask"
)

// EventFields returns the fields of a domain event for MatchFields: the event's Fields
// map (Sigma names after mapping) first, then its standard fields under their JSON
// names (actor, source_ip, host, ...). The event must not change while it is matched.
func EventFields(e *unmask.Event) FieldRanger {
	return domainEvent{e}
}

// domainEvent adapts *unmask.Event to FieldRanger.
type domainEvent struct {
	e *unmask.Event
}

// Field returns a field from Fields or a standard field; empty standard fields are
// absent.
func (d domainEvent) Field(name string) (string, bool) {
	if v, ok := d.e.Fields[name]; ok {
		return v, true
	}
	v := d.standard(name)
	return v, v != ""
}

// standardNames are the JSON names of the standard fields, in struct order.
var standardNames = []string{"id", "source", "kind", "action", "outcome", "actor", "person_id",
	"source_ip", "user_agent", "session_id", "device_id", "serial", "host", "target"}

func (d domainEvent) standard(name string) string {
	e := d.e
	switch name {
	case "id":
		return e.ID
	case "source":
		return e.Source
	case "kind":
		return string(e.Kind)
	case "action":
		return e.Action
	case "outcome":
		return e.Outcome
	case "actor":
		return e.Actor
	case "person_id":
		return e.PersonID
	case "source_ip":
		return e.SourceIP
	case "user_agent":
		return e.UserAgent
	case "session_id":
		return e.SessionID
	case "device_id":
		return e.DeviceID
	case "serial":
		return e.Serial
	case "host":
		return e.Host
	case "target":
		return e.Target
	}
	return ""
}

// RangeFields calls fn for every field and non-empty standard field.
func (d domainEvent) RangeFields(fn func(name, value string) bool) {
	for k, v := range d.e.Fields {
		if !fn(k, v) {
			return
		}
	}
	for _, n := range standardNames {
		if _, shadowed := d.e.Fields[n]; shadowed {
			continue
		}
		if v := d.standard(n); v != "" && !fn(n, v) {
			return
		}
	}
}

package ruleset

import (
	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/sigma"
)

// Pseudo-fields: the names under which rules read an event's standard fields.
const (
	FieldSource = "event.source"  // Event.Source
	FieldKind   = "event.kind"    // Event.Kind
	FieldAction = "event.action"  // Event.Action
	FieldUser   = "user.name"     // Event.Actor
	FieldPerson = "person.id"     // Event.PersonID
	FieldHost   = "host.name"     // Event.Host
	FieldIP     = "source.ip"     // Event.SourceIP
	FieldSerial = "device.serial" // Event.Serial
)

// PseudoFields lists the pseudo-fields, in the order above.
var PseudoFields = []string{FieldSource, FieldKind, FieldAction, FieldUser, FieldPerson, FieldHost, FieldIP, FieldSerial}

// EventFields returns the fields rules see for a domain event: its Fields, and the
// pseudo-fields, which win over a field of the same name when not empty. The event must
// not change while it is matched. Converting it allocates nothing.
func EventFields(e *unmask.Event) sigma.FieldRanger { return eventFields{e} }

// eventFields adapts *unmask.Event to sigma.FieldRanger.
type eventFields struct{ e *unmask.Event }

// pseudo returns the value of a pseudo-field, and whether name is one.
func (f eventFields) pseudo(name string) (string, bool) {
	e := f.e
	switch name {
	case FieldSource:
		return e.Source, true
	case FieldKind:
		return string(e.Kind), true
	case FieldAction:
		return e.Action, true
	case FieldUser:
		return e.Actor, true
	case FieldPerson:
		return e.PersonID, true
	case FieldHost:
		return e.Host, true
	case FieldIP:
		return e.SourceIP, true
	case FieldSerial:
		return e.Serial, true
	}
	return "", false
}

// Field returns a non-empty pseudo-field, else the event's field.
func (f eventFields) Field(name string) (string, bool) {
	if v, ok := f.pseudo(name); ok && v != "" {
		return v, true
	}
	v, ok := f.e.Fields[name]
	return v, ok
}

// RangeFields calls fn for every field and non-empty pseudo-field until fn returns false.
func (f eventFields) RangeFields(fn func(name, value string) bool) {
	for k, v := range f.e.Fields {
		if p, ok := f.pseudo(k); ok && p != "" {
			continue // shadowed
		}
		if !fn(k, v) {
			return
		}
	}
	for _, n := range PseudoFields {
		if v, _ := f.pseudo(n); v != "" && !fn(n, v) {
			return
		}
	}
}

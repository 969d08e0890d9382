package authz

import (
	"context"
	"time"

	"github.com/unmask/unmask"
)

// shapeDevice returns a copy of d as role may see it: without endpoint access only the
// serials, platform and management state remain (enough for the serial check); without
// HR access the serial is reduced to its last four characters.
func shapeDevice(role unmask.Role, d *unmask.Device) *unmask.Device {
	c := *d
	if !role.CanSeeEndpoint() {
		c.Hostname, c.LastIP, c.UserLogin, c.OSVersion, c.SourceID = "", "", "", "", ""
	}
	if !role.CanSeeHR() && len(c.Serial) > 4 {
		c.Serial = "****" + c.Serial[len(c.Serial)-4:]
	}
	return &c
}

// shapeEvent returns a copy of e as role may see it: without endpoint access, the host,
// network and raw fields are dropped and only the time, kind, action, outcome and coarse
// geography remain (HR records keep their fields for roles with HR access); without names,
// the actor account is dropped too.
func shapeEvent(role unmask.Role, e *unmask.Event) *unmask.Event {
	c := *e
	c.Raw = nil
	hrRecord := e.Kind == unmask.KindHRChange || e.Kind == unmask.KindApplication
	if !role.CanSeeEndpoint() {
		c.SourceIP, c.UserAgent, c.SessionID, c.DeviceID, c.Serial, c.Host, c.Target = "", "", "", "", "", "", ""
		if !hrRecord || !role.CanSeeHR() {
			c.Fields = nil
		}
		if e.Geo != nil {
			c.Geo = &unmask.GeoPoint{Country: e.Geo.Country, City: e.Geo.City, ASOrg: e.Geo.ASOrg}
		}
	}
	if !role.CanSeeNames() {
		c.Actor = ""
	}
	return &c
}

// FindDeviceByID returns a device shaped to the role.
func (s *Service) FindDeviceByID(ctx context.Context, id string) (*unmask.Device, error) {
	u, err := require(ctx, "view devices", anyone)
	if err != nil {
		return nil, err
	}
	d, err := s.s.FindDeviceByID(ctx, id)
	if err != nil {
		return nil, err
	}
	return shapeDevice(u.Role, d), nil
}

// FindDevices lists devices shaped to the role.
func (s *Service) FindDevices(ctx context.Context, f unmask.DeviceFilter) ([]*unmask.Device, int, error) {
	u, err := require(ctx, "view devices", anyone)
	if err != nil {
		return nil, 0, err
	}
	if !u.Role.CanSeeEndpoint() && (f.Hostname != nil || f.SourceID != nil) {
		return nil, 0, unmask.Errorf(unmask.EFORBIDDEN, "A %s may not search devices by endpoint details.", u.Role)
	}
	list, total, err := s.s.FindDevices(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	for i, d := range list {
		list[i] = shapeDevice(u.Role, d)
	}
	return list, total, nil
}

// CreateDevice stores a device; administrators only (inventory sync runs as system).
func (s *Service) CreateDevice(ctx context.Context, d *unmask.Device) error {
	if _, err := require(ctx, "add devices", administers); err != nil {
		return err
	}
	if err := s.s.CreateDevice(ctx, d); err != nil {
		return err
	}
	return s.audit(ctx, "device.create", "device", d.ID, d.Source)
}

// UpdateDevice changes a device; administrators only.
func (s *Service) UpdateDevice(ctx context.Context, id string, upd unmask.DeviceUpdate) (*unmask.Device, error) {
	if _, err := require(ctx, "change devices", administers); err != nil {
		return nil, err
	}
	d, err := s.s.UpdateDevice(ctx, id, upd)
	if err != nil {
		return nil, err
	}
	return d, s.audit(ctx, "device.update", "device", id, changes(map[string]bool{"person": upd.PersonID != nil, "serial": upd.Serial != nil}))
}

// DeleteDevice removes a device; administrators only.
func (s *Service) DeleteDevice(ctx context.Context, id string) error {
	if _, err := require(ctx, "delete devices", administers); err != nil {
		return err
	}
	if err := s.s.DeleteDevice(ctx, id); err != nil {
		return err
	}
	return s.audit(ctx, "device.delete", "device", id, "")
}

// FindEventByID returns an event shaped to the role.
func (s *Service) FindEventByID(ctx context.Context, id string) (*unmask.Event, error) {
	u, err := require(ctx, "view events", anyone)
	if err != nil {
		return nil, err
	}
	e, err := s.s.FindEventByID(ctx, id)
	if err != nil {
		return nil, err
	}
	return shapeEvent(u.Role, e), nil
}

// FindEvents lists events shaped to the role. Without endpoint access one may not search
// by address or actor account.
func (s *Service) FindEvents(ctx context.Context, f unmask.EventFilter) ([]*unmask.Event, int, error) {
	u, err := require(ctx, "view events", anyone)
	if err != nil {
		return nil, 0, err
	}
	if !u.Role.CanSeeEndpoint() && (f.SourceIP != nil || f.Actor != nil) {
		return nil, 0, unmask.Errorf(unmask.EFORBIDDEN, "A %s may not search events by address or account.", u.Role)
	}
	list, total, err := s.s.FindEvents(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	for i, e := range list {
		list[i] = shapeEvent(u.Role, e)
	}
	return list, total, nil
}

// CreateEvents stores events; administrators and the system user only.
func (s *Service) CreateEvents(ctx context.Context, events []*unmask.Event) (int, error) {
	if _, err := require(ctx, "store events", administers); err != nil {
		return 0, err
	}
	return s.s.CreateEvents(ctx, events)
}

// InsertEvents stores events and returns the new ones; administrators and the system user only.
func (s *Service) InsertEvents(ctx context.Context, events []*unmask.Event) ([]*unmask.Event, error) {
	if _, err := require(ctx, "store events", administers); err != nil {
		return nil, err
	}
	return s.s.InsertEvents(ctx, events)
}

// UpdateEvent resolves an event; responders may link events to people.
func (s *Service) UpdateEvent(ctx context.Context, id string, upd unmask.EventUpdate) (*unmask.Event, error) {
	u, err := require(ctx, "resolve events", tuner)
	if err != nil {
		return nil, err
	}
	e, err := s.s.UpdateEvent(ctx, id, upd)
	if err != nil {
		return nil, err
	}
	return shapeEvent(u.Role, e), s.audit(ctx, "event.update", "event", id, "person")
}

// ResolveActor links an actor's events to a person; analysts and administrators.
func (s *Service) ResolveActor(ctx context.Context, source, actor, personID string) (int, error) {
	if _, err := require(ctx, "resolve events", tuner); err != nil {
		return 0, err
	}
	n, err := s.s.ResolveActor(ctx, source, actor, personID)
	if err != nil {
		return 0, err
	}
	return n, s.audit(ctx, "event.resolve", "person", personID, "source="+source)
}

// DeleteEvent removes an event; administrators only.
func (s *Service) DeleteEvent(ctx context.Context, id string) error {
	if _, err := require(ctx, "delete events", administers); err != nil {
		return err
	}
	if err := s.s.DeleteEvent(ctx, id); err != nil {
		return err
	}
	return s.audit(ctx, "event.delete", "event", id, "")
}

// DeleteEventsBefore applies retention; administrators only.
func (s *Service) DeleteEventsBefore(ctx context.Context, t time.Time, hold []string) (int, error) {
	if _, err := require(ctx, "apply event retention", administers); err != nil {
		return 0, err
	}
	n, err := s.s.DeleteEventsBefore(ctx, t, hold)
	if err != nil {
		return 0, err
	}
	return n, s.audit(ctx, "event.retention", "event", "", t.UTC().Format(time.RFC3339))
}

// FindSignalByID returns a signal; any role may read signals.
func (s *Service) FindSignalByID(ctx context.Context, id string) (*unmask.Signal, error) {
	u, err := require(ctx, "view signals", anyone)
	if err != nil {
		return nil, err
	}
	sig, err := s.s.FindSignalByID(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.newNamer(ctx, u.Role).signal(sig), nil
}

// FindSignals lists signals; any role may read signals.
func (s *Service) FindSignals(ctx context.Context, f unmask.SignalFilter) ([]*unmask.Signal, int, error) {
	u, err := require(ctx, "view signals", anyone)
	if err != nil {
		return nil, 0, err
	}
	list, total, err := s.s.FindSignals(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	return mapAll(list, s.newNamer(ctx, u.Role).signal), total, nil
}

// CreateSignal stores a signal; administrators and the system user only.
func (s *Service) CreateSignal(ctx context.Context, sig *unmask.Signal) error {
	if _, err := require(ctx, "store signals", administers); err != nil {
		return err
	}
	return s.s.CreateSignal(ctx, sig)
}

// UpdateSignal changes a signal; administrators and the system user only.
func (s *Service) UpdateSignal(ctx context.Context, id string, upd unmask.SignalUpdate) (*unmask.Signal, error) {
	if _, err := require(ctx, "change signals", administers); err != nil {
		return nil, err
	}
	return s.s.UpdateSignal(ctx, id, upd)
}

// DeleteSignal removes a signal; administrators only.
func (s *Service) DeleteSignal(ctx context.Context, id string) error {
	if _, err := require(ctx, "delete signals", administers); err != nil {
		return err
	}
	if err := s.s.DeleteSignal(ctx, id); err != nil {
		return err
	}
	return s.audit(ctx, "signal.delete", "signal", id, "")
}

// FindRiskScore returns a person's score; any role may read scores.
func (s *Service) FindRiskScore(ctx context.Context, personID string) (*unmask.RiskScore, error) {
	u, err := require(ctx, "view risk scores", anyone)
	if err != nil {
		return nil, err
	}
	sc, err := s.s.FindRiskScore(ctx, personID)
	if err != nil {
		return nil, err
	}
	return s.newNamer(ctx, u.Role).score(sc), nil
}

// FindRiskScores lists scores; any role may read scores.
func (s *Service) FindRiskScores(ctx context.Context, f unmask.RiskFilter) ([]*unmask.RiskScore, int, error) {
	u, err := require(ctx, "view risk scores", anyone)
	if err != nil {
		return nil, 0, err
	}
	list, total, err := s.s.FindRiskScores(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	return mapAll(list, s.newNamer(ctx, u.Role).score), total, nil
}

// SaveRiskScore stores a score; administrators and the system user only.
func (s *Service) SaveRiskScore(ctx context.Context, sc *unmask.RiskScore) error {
	if _, err := require(ctx, "store risk scores", administers); err != nil {
		return err
	}
	return s.s.SaveRiskScore(ctx, sc)
}

// DeleteRiskScore removes a score; administrators only.
func (s *Service) DeleteRiskScore(ctx context.Context, personID string) error {
	if _, err := require(ctx, "delete risk scores", administers); err != nil {
		return err
	}
	if err := s.s.DeleteRiskScore(ctx, personID); err != nil {
		return err
	}
	return s.audit(ctx, "risk.delete", "person", personID, "")
}

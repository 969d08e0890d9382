package sqlstore

import (
	"context"

	"github.com/unmask/unmask"
)

const deviceCols = "id, source, source_id, serial, hostname, person_id, user_login, platform, os_version, model, managed, last_ip, enrolled_at, last_seen_at, created_at, updated_at"

func scanDevice(r scanner) (*unmask.Device, error) {
	var d unmask.Device
	var enrolled, seen, created, updated int64
	err := r.Scan(&d.ID, &d.Source, &d.SourceID, &d.Serial, &d.Hostname, &d.PersonID, &d.UserLogin,
		&d.Platform, &d.OSVersion, &d.Model, &d.Managed, &d.LastIP, &enrolled, &seen, &created, &updated)
	if err != nil {
		return nil, err
	}
	d.EnrolledAt, d.LastSeenAt, d.CreatedAt, d.UpdatedAt = fromTS(enrolled), fromTS(seen), fromTS(created), fromTS(updated)
	return &d, nil
}

// FindDeviceByID returns one device.
func (s *Store) FindDeviceByID(ctx context.Context, id string) (*unmask.Device, error) {
	return one(ctx, s, "FindDeviceByID", "Device", "SELECT "+deviceCols+" FROM devices WHERE id = ?", scanDevice, id)
}

// FindDevices returns matching devices ordered by hostname then serial.
func (s *Store) FindDevices(ctx context.Context, f unmask.DeviceFilter) ([]*unmask.Device, int, error) {
	var w where
	eq(&w, "person_id", f.PersonID)
	eq(&w, "source", f.Source)
	eq(&w, "source_id", f.SourceID)
	eq(&w, "serial", f.Serial)
	eq(&w, "hostname", f.Hostname)
	return list(ctx, s, "FindDevices", deviceCols, "devices", w, "hostname, serial, id", f.Page, scanDevice)
}

// CreateDevice stores a new device.
func (s *Store) CreateDevice(ctx context.Context, d *unmask.Device) error {
	if err := d.Validate(); err != nil {
		return err
	}
	if d.ID == "" {
		d.ID = newID()
	}
	now := s.now()
	d.CreatedAt, d.UpdatedAt = now, now
	_, err := s.exec(ctx, "INSERT INTO devices ("+deviceCols+") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
		d.ID, d.Source, d.SourceID, d.Serial, d.Hostname, d.PersonID, d.UserLogin, d.Platform,
		d.OSVersion, d.Model, d.Managed, d.LastIP, ts(d.EnrolledAt), ts(d.LastSeenAt), ts(d.CreatedAt), ts(d.UpdatedAt))
	return s.classify("CreateDevice", err)
}

// UpdateDevice changes a device.
func (s *Store) UpdateDevice(ctx context.Context, id string, upd unmask.DeviceUpdate) (*unmask.Device, error) {
	var u set
	setv(&u, "serial", upd.Serial)
	setv(&u, "hostname", upd.Hostname)
	setv(&u, "person_id", upd.PersonID)
	setv(&u, "user_login", upd.UserLogin)
	setv(&u, "platform", upd.Platform)
	setv(&u, "os_version", upd.OSVersion)
	setv(&u, "model", upd.Model)
	setv(&u, "managed", upd.Managed)
	setv(&u, "last_ip", upd.LastIP)
	sett(&u, "enrolled_at", upd.EnrolledAt)
	sett(&u, "last_seen_at", upd.LastSeenAt)
	if !u.empty() {
		u.add("updated_at", ts(s.now()))
	}
	if err := s.update(ctx, "UpdateDevice", "Device", "devices", id, &u); err != nil {
		return nil, err
	}
	return s.FindDeviceByID(ctx, id)
}

// DeleteDevice removes a device.
func (s *Store) DeleteDevice(ctx context.Context, id string) error {
	return s.deleteByID(ctx, "DeleteDevice", "Device", "devices", id)
}

package storetest

import (
	"testing"

	"github.com/unmask/unmask"
)

func testDevice(t *testing.T, s Store) {
	ctx := ctx(t)
	p := MustCreatePerson(t, ctx, s, "Dev Owner", unmask.PersonEmployee)
	d := &unmask.Device{Source: "jamf", SourceID: "42", Serial: "C02XK1JHJGH5", Hostname: "mbp-dana",
		PersonID: p.ID, UserLogin: "dana@corp.example", Platform: "macos", OSVersion: "15.1",
		Model: "MacBookPro18,3", Managed: true, LastIP: "198.51.100.7", EnrolledAt: day, LastSeenAt: day}
	must(t, s.CreateDevice(ctx, d))
	got, err := s.FindDeviceByID(ctx, d.ID)
	must(t, err)
	diff(t, "FindDeviceByID", d, got)
	wantCode(t, s.CreateDevice(ctx, &unmask.Device{Source: "jamf", SourceID: "42"}), unmask.ECONFLICT)
	wantCode(t, s.CreateDevice(ctx, &unmask.Device{Source: "jamf"}), unmask.EINVALID)
	must(t, s.CreateDevice(ctx, &unmask.Device{Source: "intune", SourceID: "abc", Serial: "PF3ABCDE", Hostname: "win-1"}))

	list, total, err := s.FindDevices(ctx, unmask.DeviceFilter{PersonID: &p.ID})
	must(t, err)
	if total != 1 || list[0].ID != d.ID {
		t.Errorf("devices of person = %d", total)
	}
	list, total, err = s.FindDevices(ctx, unmask.DeviceFilter{Serial: new("PF3ABCDE")})
	must(t, err)
	if total != 1 || list[0].Source != "intune" {
		t.Errorf("devices by serial = %d", total)
	}
	page, total, err := s.FindDevices(ctx, unmask.DeviceFilter{Page: unmask.Page{Offset: 1, Limit: 1}})
	must(t, err)
	if total != 2 || len(page) != 1 || page[0].Hostname != "win-1" {
		t.Errorf("second device by hostname = %+v", page)
	}
	upd, err := s.UpdateDevice(ctx, d.ID, unmask.DeviceUpdate{Managed: new(false), LastIP: new("203.0.113.9")})
	must(t, err)
	if upd.Managed || upd.LastIP != "203.0.113.9" || upd.Serial != d.Serial {
		t.Errorf("UpdateDevice = %+v", upd)
	}
	must(t, s.DeleteDevice(ctx, d.ID))
	wantCode(t, s.DeleteDevice(ctx, d.ID), unmask.ENOTFOUND)
	_, err = s.UpdateDevice(ctx, d.ID, unmask.DeviceUpdate{Model: new("x")})
	wantCode(t, err, unmask.ENOTFOUND)
}

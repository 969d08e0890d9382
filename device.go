package unmask

import (
	"context"
	"time"
)

// Device is an endpoint as inventory (Jamf, Intune, osquery) reports it.
type Device struct {
	ID       string `json:"id"`
	Source   string `json:"source"`    // jamf, intune, osquery, ...
	SourceID string `json:"source_id"` // the device's id in that source
	Serial   string `json:"serial,omitempty"`
	Hostname string `json:"hostname,omitempty"`
	// PersonID is the person the device resolves to; UserLogin is the user the source names.
	PersonID   string    `json:"person_id,omitempty"`
	UserLogin  string    `json:"user_login,omitempty"`
	Platform   string    `json:"platform,omitempty"` // macos, windows, linux, ios, android
	OSVersion  string    `json:"os_version,omitempty"`
	Model      string    `json:"model,omitempty"`
	Managed    bool      `json:"managed"`
	LastIP     string    `json:"last_ip,omitempty"`
	EnrolledAt time.Time `json:"enrolled_at,omitzero"`
	LastSeenAt time.Time `json:"last_seen_at,omitzero"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// Validate reports whether d is complete enough to store.
func (d *Device) Validate() error {
	if d.Source == "" || d.SourceID == "" {
		return Errorf(EINVALID, "Device source and source id required.")
	}
	return nil
}

// DeviceFilter selects devices. Nil fields do not filter.
type DeviceFilter struct {
	PersonID *string
	Source   *string
	SourceID *string
	Serial   *string
	Hostname *string
	Page
}

// DeviceUpdate changes the non-nil fields of a device.
type DeviceUpdate struct {
	Serial     *string
	Hostname   *string
	PersonID   *string
	UserLogin  *string
	Platform   *string
	OSVersion  *string
	Model      *string
	Managed    *bool
	LastIP     *string
	EnrolledAt *time.Time
	LastSeenAt *time.Time
}

// DeviceService stores devices.
type DeviceService interface {
	FindDeviceByID(ctx context.Context, id string) (*Device, error)
	// FindDevices returns matching devices ordered by hostname then serial.
	FindDevices(ctx context.Context, filter DeviceFilter) ([]*Device, int, error)
	// CreateDevice returns ECONFLICT if (Source, SourceID) exists.
	CreateDevice(ctx context.Context, d *Device) error
	UpdateDevice(ctx context.Context, id string, upd DeviceUpdate) (*Device, error)
	DeleteDevice(ctx context.Context, id string) error
}

package mdm

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/unmask/unmask/internal/ingest"
)

// jamfPro is a Jamf Pro API v1 computers-inventory result.
type jamfPro struct {
	ID      ingest.Text `json:"id"`
	UDID    string      `json:"udid"`
	General *struct {
		Name             string      `json:"name"`
		LastIPAddress    string      `json:"lastIpAddress"`
		LastReportedIP   string      `json:"lastReportedIp"`
		LastContactTime  ingest.Time `json:"lastContactTime"`
		ReportDate       ingest.Time `json:"reportDate"`
		LastEnrolledDate ingest.Time `json:"lastEnrolledDate"`
		Platform         string      `json:"platform"`
		RemoteManagement *struct {
			Managed ingest.Text `json:"managed"`
		} `json:"remoteManagement"`
	} `json:"general"`
	Hardware *struct {
		SerialNumber    string `json:"serialNumber"`
		Model           string `json:"model"`
		ModelIdentifier string `json:"modelIdentifier"`
		Make            string `json:"make"`
		MacAddress      string `json:"macAddress"`
	} `json:"hardware"`
	UserAndLocation *struct {
		Username string `json:"username"`
		Email    string `json:"email"`
	} `json:"userAndLocation"`
	OperatingSystem *struct {
		Name    string `json:"name"`
		Version string `json:"version"`
	} `json:"operatingSystem"`
}

func decodeJamfPro(raw []byte) (*inventory, error) {
	var c jamfPro
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, err
	}
	inv := &inventory{action: "jamf.computer", deviceID: first(c.UDID, string(c.ID))}
	if g := c.General; g != nil {
		inv.name, inv.lastIP, inv.os = g.Name, first(g.LastIPAddress, g.LastReportedIP), g.Platform
		inv.seen, inv.enrolled = firstTime(g.LastContactTime, g.ReportDate), g.LastEnrolledDate.Time
		if g.RemoteManagement != nil {
			inv.managed = string(g.RemoteManagement.Managed)
		}
	}
	if h := c.Hardware; h != nil {
		inv.serial, inv.model, inv.manufacturer, inv.mac = h.SerialNumber, first(h.ModelIdentifier, h.Model), h.Make, h.MacAddress
	}
	if u := c.UserAndLocation; u != nil {
		inv.user, inv.email = u.Username, u.Email
	}
	if o := c.OperatingSystem; o != nil {
		inv.os, inv.osVersion = first(o.Name, inv.os), o.Version
	}
	return inv, nil
}

// classic is a Jamf Classic API mobile_device or computer.
type classic struct {
	General struct {
		ID             ingest.Text `json:"id"`
		Name           string      `json:"name"`
		SerialNumber   string      `json:"serial_number"`
		UDID           string      `json:"udid"`
		IPAddress      string      `json:"ip_address"`
		LastReportedIP string      `json:"last_reported_ip"`
		Model          string      `json:"model"`
		ModelID        string      `json:"model_identifier"`
		OSType         string      `json:"os_type"`
		OSVersion      string      `json:"os_version"`
		WifiMAC        string      `json:"wifi_mac_address"`
		MACAddress     string      `json:"mac_address"`
		Managed        ingest.Text `json:"managed"`
		LastInventory  ingest.Time `json:"last_inventory_update_utc"`
		ReportDateUTC  ingest.Time `json:"report_date_utc"`
		LastEnrolled   ingest.Time `json:"last_enrollment_utc"`
		RemoteMgmt     *struct {
			Managed ingest.Text `json:"managed"`
		} `json:"remote_management"`
	} `json:"general"`
	Location struct {
		Username string `json:"username"`
		Email    string `json:"email_address"`
	} `json:"location"`
}

func decodeClassic(raw []byte, action string) (*inventory, error) {
	var c classic
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, err
	}
	g := c.General
	inv := &inventory{action: action, deviceID: first(g.UDID, string(g.ID)), serial: g.SerialNumber, name: g.Name,
		lastIP: first(g.IPAddress, g.LastReportedIP), model: first(g.ModelID, g.Model), os: g.OSType,
		osVersion: g.OSVersion, mac: first(g.WifiMAC, g.MACAddress), managed: string(g.Managed),
		seen: firstTime(g.LastInventory, g.ReportDateUTC), enrolled: g.LastEnrolled.Time,
		user: c.Location.Username, email: c.Location.Email}
	if inv.managed == "" && g.RemoteMgmt != nil {
		inv.managed = string(g.RemoteMgmt.Managed)
	}
	return inv, nil
}

// graphDevice is a Microsoft Graph managedDevice.
type graphDevice struct {
	ID                string      `json:"id"`
	DeviceName        string      `json:"deviceName"`
	SerialNumber      string      `json:"serialNumber"`
	UserPrincipalName string      `json:"userPrincipalName"`
	EmailAddress      string      `json:"emailAddress"`
	Model             string      `json:"model"`
	Manufacturer      string      `json:"manufacturer"`
	OperatingSystem   string      `json:"operatingSystem"`
	OSVersion         string      `json:"osVersion"`
	WiFiMAC           string      `json:"wiFiMacAddress"`
	ComplianceState   string      `json:"complianceState"`
	OwnerType         string      `json:"managedDeviceOwnerType"`
	ManagementAgent   string      `json:"managementAgent"`
	IsEncrypted       ingest.Text `json:"isEncrypted"`
	LastSync          ingest.Time `json:"lastSyncDateTime"`
	Enrolled          ingest.Time `json:"enrolledDateTime"`
}

func decodeGraph(raw []byte) (*inventory, error) {
	var d graphDevice
	if err := json.Unmarshal(raw, &d); err != nil {
		return nil, err
	}
	return &inventory{action: "intune.managed_device", deviceID: d.ID, serial: d.SerialNumber, name: d.DeviceName,
		user: d.UserPrincipalName, email: d.EmailAddress, model: d.Model, manufacturer: d.Manufacturer,
		os: d.OperatingSystem, osVersion: d.OSVersion, mac: d.WiFiMAC, compliance: d.ComplianceState,
		ownership: d.OwnerType, encryption: string(d.IsEncrypted), managed: managedBy(d.ManagementAgent),
		seen: d.LastSync.Time, enrolled: d.Enrolled.Time}, nil
}

// intuneExport is a record of Intune's diagnostic-settings Devices export.
type intuneExport struct {
	Time       ingest.Time `json:"time"`
	Properties struct {
		DeviceID       string      `json:"DeviceId"`
		DeviceName     string      `json:"DeviceName"`
		SerialNumber   string      `json:"SerialNumber"`
		UPN            string      `json:"UPN"`
		UserEmail      string      `json:"UserEmail"`
		Model          string      `json:"Model"`
		Manufacturer   string      `json:"Manufacturer"`
		OS             string      `json:"OS"`
		OSVersion      string      `json:"OSVersion"`
		WifiMAC        string      `json:"WifiMacAddress"`
		CompliantState string      `json:"CompliantState"`
		Ownership      string      `json:"Ownership"`
		Encryption     string      `json:"EncryptionStatusString"`
		ManagedBy      string      `json:"ManagedBy"`
		DeviceState    string      `json:"DeviceState"`
		LastContact    ingest.Time `json:"LastContact"`
		CreatedDate    ingest.Time `json:"CreatedDate"`
	} `json:"properties"`
}

func decodeIntuneExport(raw []byte) (*inventory, error) {
	var x intuneExport
	if err := json.Unmarshal(raw, &x); err != nil {
		return nil, err
	}
	p := x.Properties
	if p.DeviceID == "" && p.SerialNumber == "" {
		return nil, errShape
	}
	inv := &inventory{action: "intune.device", deviceID: p.DeviceID, serial: p.SerialNumber, name: p.DeviceName,
		user: p.UPN, email: p.UserEmail, model: p.Model, manufacturer: p.Manufacturer, os: p.OS, osVersion: p.OSVersion,
		mac: p.WifiMAC, compliance: p.CompliantState, ownership: p.Ownership, encryption: p.Encryption,
		managed: managedBy(first(p.ManagedBy, p.DeviceState)), seen: firstTime(p.LastContact, x.Time), enrolled: p.CreatedDate.Time}
	return inv, nil
}

// managedBy reports a management agent or state as "true" when it is MDM-managed.
func managedBy(agent string) string {
	switch a := strings.ToLower(agent); {
	case a == "":
		return ""
	case strings.Contains(a, "mdm"), strings.Contains(a, "intune"), a == "managed", strings.Contains(a, "configurationmanager"):
		return "true"
	}
	return "false"
}

func firstTime(ts ...ingest.Time) (t time.Time) {
	for _, v := range ts {
		if !v.IsZero() {
			return v.Time
		}
	}
	return t
}

package gen

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

type jamfComputer struct {
	ID      string `json:"id"`
	UDID    string `json:"udid"`
	General struct {
		Name             string `json:"name"`
		LastIPAddress    string `json:"lastIpAddress"`
		LastReportedIP   string `json:"lastReportedIp"`
		Platform         string `json:"platform"`
		ReportDate       string `json:"reportDate"`
		LastContactTime  string `json:"lastContactTime"`
		LastEnrolledDate string `json:"lastEnrolledDate"`
		RemoteManagement struct {
			Managed bool `json:"managed"`
		} `json:"remoteManagement"`
		Supervised bool `json:"supervised"`
	} `json:"general"`
	Hardware struct {
		Make            string `json:"make"`
		Model           string `json:"model"`
		ModelIdentifier string `json:"modelIdentifier"`
		SerialNumber    string `json:"serialNumber"`
		MacAddress      string `json:"macAddress"`
	} `json:"hardware"`
	UserAndLocation struct {
		Username string `json:"username"`
		Realname string `json:"realname"`
		Email    string `json:"email"`
		Position string `json:"position"`
	} `json:"userAndLocation"`
	OperatingSystem struct {
		Name    string `json:"name"`
		Version string `json:"version"`
		Build   string `json:"build"`
	} `json:"operatingSystem"`
}

type intuneDevice struct {
	ODataType         string `json:"@odata.type"`
	ID                string `json:"id"`
	UserID            string `json:"userId"`
	DeviceName        string `json:"deviceName"`
	OwnerType         string `json:"managedDeviceOwnerType"`
	EnrolledDateTime  string `json:"enrolledDateTime"`
	LastSyncDateTime  string `json:"lastSyncDateTime"`
	OperatingSystem   string `json:"operatingSystem"`
	ComplianceState   string `json:"complianceState"`
	ManagementAgent   string `json:"managementAgent"`
	OSVersion         string `json:"osVersion"`
	AzureADDeviceID   string `json:"azureADDeviceId"`
	EmailAddress      string `json:"emailAddress"`
	Model             string `json:"model"`
	Manufacturer      string `json:"manufacturer"`
	SerialNumber      string `json:"serialNumber"`
	UserPrincipalName string `json:"userPrincipalName"`
	WiFiMacAddress    string `json:"wiFiMacAddress"`
	IsEncrypted       bool   `json:"isEncrypted"`
}

// writeInventory writes the Jamf and Intune device snapshots as of the window's end.
func (g *generator) writeInventory() error {
	var macs []jamfComputer
	var wins []intuneDevice
	for _, p := range g.people {
		if p.Hire.After(g.end) {
			continue
		}
		enrolled := p.Hire.Add(10 * time.Hour)
		if f := p.Fraud; f != nil && !f.planted.Delivered.IsZero() {
			enrolled = f.planted.Delivered.Add(20 * time.Hour)
		}
		seen := p.LastSeen
		if seen.IsZero() {
			seen = g.start
		}
		if p.Mac {
			macs = append(macs, g.jamf(p, enrolled, seen))
		} else {
			wins = append(wins, g.intune(p, enrolled, seen))
		}
	}
	jamfPage := struct {
		TotalCount int            `json:"totalCount"`
		Results    []jamfComputer `json:"results"`
	}{len(macs), macs}
	intunePage := struct {
		Context string         `json:"@odata.context"`
		Value   []intuneDevice `json:"value"`
	}{"https://graph.microsoft.com/v1.0/$metadata#deviceManagement/managedDevices", wins}
	if err := g.writeJSONPage("mdm/jamf_computers.json", jamfPage, len(macs)); err != nil {
		return err
	}
	return g.writeJSONPage("mdm/intune_devices.json", intunePage, len(wins))
}

func (g *generator) jamf(p *person, enrolled, seen time.Time) jamfComputer {
	var c jamfComputer
	c.ID, c.UDID = fmt.Sprint(101+p.idx), strings.ToUpper(p.DeviceID)
	gen := &c.General
	gen.Name, gen.LastIPAddress, gen.LastReportedIP, gen.Platform = p.Host, p.LastIP.String(), "192.168.1."+fmt.Sprint(20+p.idx%200), "Mac"
	gen.ReportDate, gen.LastContactTime = seen.Add(-5*time.Minute).UTC().Format("2006-01-02T15:04:05.000Z"), seen.UTC().Format("2006-01-02T15:04:05.000Z")
	gen.LastEnrolledDate, gen.RemoteManagement.Managed = enrolled.UTC().Format("2006-01-02T15:04:05.000Z"), true
	c.Hardware.Make, c.Hardware.Model, c.Hardware.ModelIdentifier = "Apple", "MacBook Pro (14-inch, M3 Pro, 2023)", "Mac15,6"
	c.Hardware.SerialNumber, c.Hardware.MacAddress = p.MDMSer, macAddr(p.DeviceID)
	c.UserAndLocation.Username, c.UserAndLocation.Realname, c.UserAndLocation.Email = p.Username, p.First+" "+p.Last, p.Email
	c.UserAndLocation.Position = p.Title
	c.OperatingSystem.Name, c.OperatingSystem.Version, c.OperatingSystem.Build = "macOS", "15.3.2", "24D81"
	return c
}

func (g *generator) intune(p *person, enrolled, seen time.Time) intuneDevice {
	return intuneDevice{ODataType: "#microsoft.graph.managedDevice", ID: p.DeviceID, UserID: p.EntraUser, DeviceName: p.Host,
		OwnerType: "company", EnrolledDateTime: rfc(enrolled), LastSyncDateTime: rfc(seen), OperatingSystem: "Windows",
		ComplianceState: "compliant", ManagementAgent: "mdm", OSVersion: "10.0.26100.3194", AzureADDeviceID: p.AADID,
		EmailAddress: p.Email, Model: "Latitude 7440", Manufacturer: "Dell Inc.", SerialNumber: p.MDMSer,
		UserPrincipalName: p.Email, WiFiMacAddress: strings.ReplaceAll(strings.ToLower(macAddr(p.DeviceID)), ":", ""), IsEncrypted: true}
}

// macAddr derives a stable locally administered MAC address from an id.
func macAddr(id string) string {
	h := stableID("", id, 10)
	return strings.ToUpper(fmt.Sprintf("3A:%s:%s:%s:%s:%s", h[0:2], h[2:4], h[4:6], h[6:8], h[8:10]))
}

func (g *generator) writeJSONPage(path string, v any, records int) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encode %s: %w", path, err)
	}
	full := filepath.Join(g.dir, path)
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	if err := os.WriteFile(full, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	g.man.Files = append(g.man.Files, File{Path: path, Source: "mdm", Records: records, Events: records})
	return nil
}

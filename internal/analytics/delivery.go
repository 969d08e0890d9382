package analytics

import (
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/unmask/unmask"
)

// DeliveryOptions configures Delivery. Zero fields take the documented defaults; the
// default lists are small, well-known values from THREAT.md §3.
type DeliveryOptions struct {
	// Within is how soon after delivery (or first MDM enrolment) a remote-access, VPN or
	// KVM indicator raises O-09; default 7 days.
	Within time.Duration
	// Tools are process or program names, compared case-insensitively with the base
	// name of Fields["Image"] or with Fields["name"].
	Tools []string
	// Domains are domain suffixes matched against DNS queries, TLS SNI and HTTP hosts.
	Domains []string
	// USB are "vendor:product" ids in lowercase hex of IP-KVM USB gadgets.
	USB []string
}

var (
	defaultTools = []string{
		"anydesk.exe", "anydesk", "teamviewer.exe", "teamviewer", "teamviewer_service.exe", "rustdesk.exe", "rustdesk",
		"remoting_host.exe", "g2host.exe", "logmein.exe", "screenconnect.clientservice.exe", "parsecd.exe",
		"srserver.exe", "astrill.exe", "astrill", "asovpnc", "asproxy", "tvnserver.exe", "winvnc.exe",
	}
	defaultRemoteDomains = []string{
		"anydesk.com", "teamviewer.com", "rustdesk.com", "remotedesktop.google.com", "remotedesktop-pa.googleapis.com",
		"logmein.com", "screenconnect.com", "parsec.app", "splashtop.com", "astrill.com",
	}
	// 1d6b:0104 is the Linux Foundation composite gadget (PiKVM, TinyPilot, JetKVM,
	// GL.iNet Comet); 3346:1009 is Sipeed NanoKVM.
	defaultKVM = []string{"1d6b:0104", "3346:1009"}
)

// Delivery raises O-09 when a remote-access tool, VPN client or IP-KVM shows up on a
// person's activity within Within of their laptop's delivery (hr_change
// laptop.delivered, or else the first device_inventory mdm.enroll). The finding's Value
// is the matched tool, domain or USB id, so an approved tool for the IT team is a
// suppression by group and value. State: one time per person.
type Delivery struct {
	opts DeliveryOptions
	at   map[string]time.Time
}

// NewDelivery returns a Delivery detector.
func NewDelivery(opts DeliveryOptions) *Delivery {
	opts.Within = cmpOr(opts.Within, 7*24*time.Hour)
	if opts.Tools == nil {
		opts.Tools = defaultTools
	}
	if opts.Domains == nil {
		opts.Domains = defaultRemoteDomains
	}
	if opts.USB == nil {
		opts.USB = defaultKVM
	}
	return &Delivery{opts: opts, at: map[string]time.Time{}}
}

var specDelivery = spec{"analytics:delivery", "O-09", unmask.SeverityHigh, 0.7}

// Observe implements Detector.
func (d *Delivery) Observe(in *Input) []Finding {
	ev := in.Event
	switch {
	case ev.Kind == unmask.KindHRChange && ev.Action == ActionLaptopDelivered:
		d.at[ev.PersonID] = ev.Time
		return nil
	case ev.Kind == unmask.KindDeviceInventory && ev.Action == ActionEnroll:
		if _, ok := d.at[ev.PersonID]; !ok {
			d.at[ev.PersonID] = ev.Time
		}
		return nil
	}
	at, ok := d.at[ev.PersonID]
	if !ok {
		return nil
	}
	since := ev.Time.Sub(at)
	if since < 0 || since > d.opts.Within {
		return nil
	}
	what, value := d.classify(ev)
	if value == "" {
		return nil
	}
	expl := fmt.Sprintf("%s %s was seen %s after the laptop was delivered.", what, value, durationText(since))
	return []Finding{specDelivery.finding(ev.PersonID, ev.Time, 1, "O-09:"+value, value, expl, ev.ID)}
}

// classify returns what kind of indicator ev shows and the matched value, or "" when it
// shows none.
func (d *Delivery) classify(ev *unmask.Event) (what, value string) {
	switch ev.Kind {
	case unmask.KindProcessStart, unmask.KindSoftware:
		name := ev.Fields[FieldName]
		if img := ev.Fields[FieldImage]; img != "" {
			name = path.Base(strings.ReplaceAll(img, `\`, "/"))
		}
		for _, t := range d.opts.Tools {
			if strings.EqualFold(t, name) {
				return "Remote-access or VPN software", strings.ToLower(name)
			}
		}
	case unmask.KindDNS, unmask.KindTLS, unmask.KindHTTP:
		if dom, ok := matchDomain(eventDomain(ev), d.opts.Domains); ok {
			return "A connection to remote-access or VPN service", dom
		}
	case unmask.KindUSBDevice:
		id := strings.ToLower(strings.TrimPrefix(ev.Fields[FieldUSBVendor], "0x") + ":" + strings.TrimPrefix(ev.Fields[FieldUSBModel], "0x"))
		if slices.Contains(d.opts.USB, id) {
			return "An IP-KVM USB device", id
		}
	}
	return "", ""
}

// eventDomain returns the domain an event contacted, lowercased, without a trailing dot.
func eventDomain(ev *unmask.Event) string {
	for _, k := range domainFields {
		if v := ev.Fields[k]; v != "" {
			return strings.TrimSuffix(strings.ToLower(v), ".")
		}
	}
	return strings.TrimSuffix(strings.ToLower(ev.Target), ".")
}

// matchDomain returns the suffix in list that domain equals or is a subdomain of.
func matchDomain(domain string, list []string) (string, bool) {
	if domain == "" {
		return "", false
	}
	for _, s := range list {
		if domain == s || strings.HasSuffix(domain, "."+s) {
			return s, true
		}
	}
	return "", false
}

// Forget implements Forgetter.
func (d *Delivery) Forget(person string) {
	delete(d.at, person)
}

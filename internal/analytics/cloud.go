package analytics

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/unmask/unmask"
)

// CloudOptions configures Cloud. Zero fields take the documented defaults.
type CloudOptions struct {
	// Domains are personal cloud storage domain suffixes; default mega.nz, mega.io,
	// mega.co.nz, dropbox.com, dropboxusercontent.com, dropboxapi.com, onedrive.live.com,
	// 1drv.ms, wetransfer.com, we.tl, pcloud.com, mediafire.com, gofile.io, transfer.sh.
	// Sanctioned corporate storage belongs in a suppression (Value is the suffix).
	Domains []string
	// UploadBytes per day to one domain that raise a high-weight N-10; default 50 MB.
	UploadBytes int64
	// Visibilities are Fields["visibility"] values that share outside the organisation;
	// default people_with_link, public_on_the_web, shared_externally.
	Visibilities []string
	// MaxDomains caps the domains tracked per person per day; default 8.
	MaxDomains int
}

// Cloud raises N-10 for files shared outside the organisation (file_share events with an
// external visibility or Fields["share.external"] "true") and for traffic to personal
// cloud storage: a low weight for the first DNS or TLS contact with each domain, a high weight once the day's
// Fields["bytes_out"] to one domain passes UploadBytes. State: today's bytes per domain.
type Cloud struct {
	opts      CloudOptions
	st        map[string]*cloudDay
	contacted map[string][]string // person → domains already reported as contacted
}

type cloudDay struct {
	day   int64
	bytes map[string]int64
}

// NewCloud returns a Cloud detector.
func NewCloud(opts CloudOptions) *Cloud {
	if opts.Domains == nil {
		opts.Domains = []string{"mega.nz", "mega.io", "mega.co.nz", "dropbox.com", "dropboxusercontent.com", "dropboxapi.com",
			"onedrive.live.com", "1drv.ms", "wetransfer.com", "we.tl", "pcloud.com", "mediafire.com", "gofile.io", "transfer.sh"}
	}
	if opts.Visibilities == nil {
		opts.Visibilities = []string{"people_with_link", "public_on_the_web", "shared_externally"}
	}
	opts.UploadBytes = cmpOr(opts.UploadBytes, 50<<20)
	opts.MaxDomains = cmpOr(opts.MaxDomains, 8)
	return &Cloud{opts: opts, st: map[string]*cloudDay{}, contacted: map[string][]string{}}
}

var (
	specShare   = spec{"analytics:cloud", "N-10", unmask.SeverityMedium, 0.4}
	specUpload  = spec{"analytics:cloud", "N-10", unmask.SeverityHigh, 0.6}
	specContact = spec{"analytics:cloud", "N-10", unmask.SeverityLow, 0.1}
)

// Observe implements Detector.
func (d *Cloud) Observe(in *Input) []Finding {
	ev := in.Event
	switch ev.Kind {
	case unmask.KindFileShare:
		return d.share(ev)
	case unmask.KindDNS, unmask.KindTLS, unmask.KindHTTP, unmask.KindConn:
	default:
		return nil
	}
	dom, ok := matchDomain(eventDomain(ev), d.opts.Domains)
	if !ok {
		return nil
	}
	n, _ := strconv.ParseInt(ev.Fields[FieldBytesOut], 10, 64)
	if n <= 0 {
		seen := d.contacted[ev.PersonID]
		if contains(seen, dom) || len(seen) >= d.opts.MaxDomains {
			return nil
		}
		d.contacted[ev.PersonID] = append(seen, dom)
		expl := fmt.Sprintf("Contacted personal cloud storage %s.", dom)
		return []Finding{specContact.finding(ev.PersonID, ev.Time, 1, "N-10:contact:"+dom, dom, expl, ev.ID)}
	}
	day := ev.Time.Unix() / 86400
	st := d.st[ev.PersonID]
	if st == nil || st.day != day {
		st = &cloudDay{day: day, bytes: map[string]int64{}}
		d.st[ev.PersonID] = st
	}
	before, tracked := st.bytes[dom]
	if !tracked && len(st.bytes) >= d.opts.MaxDomains {
		return nil
	}
	st.bytes[dom] = before + n
	if before >= d.opts.UploadBytes || before+n < d.opts.UploadBytes {
		return nil
	}
	expl := fmt.Sprintf("Uploaded %d MB to personal cloud storage %s in one day.", (before+n)>>20, dom)
	return []Finding{specUpload.finding(ev.PersonID, ev.Time, 1, fmt.Sprintf("N-10:upload:%s:%d", dom, day), dom, expl, ev.ID)}
}

func (d *Cloud) share(ev *unmask.Event) []Finding {
	vis := ev.Fields[FieldVisibility]
	external := ev.Fields[FieldShareExternal] == "true"
	for _, v := range d.opts.Visibilities {
		if strings.EqualFold(v, vis) {
			external = true
		}
	}
	if !external {
		return nil
	}
	how := "outside the organisation"
	if vis != "" {
		how += " (visibility " + vis + ")"
	}
	expl := fmt.Sprintf("Shared %s %s.", orUnknown(ev.Target), how)
	return []Finding{specShare.finding(ev.PersonID, ev.Time, 1, "N-10:share:"+ev.Target, vis, expl, ev.ID)}
}

// Forget implements Forgetter.
func (d *Cloud) Forget(person string) {
	delete(d.st, person)
	delete(d.contacted, person)
}

package identity

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/contact"
	"github.com/unmask/unmask/internal/handle"
	"github.com/unmask/unmask/internal/postal"
)

// samplesDir holds third-party vendor samples, read in place (never copied).
const samplesDir = "../../../shared/samples/ats"

type ghValue struct {
	Value string `json:"value"`
}

type ghCandidate struct {
	ID             int64     `json:"id"`
	FirstName      string    `json:"first_name"`
	LastName       string    `json:"last_name"`
	PhoneNumbers   []ghValue `json:"phone_numbers"`
	EmailAddresses []ghValue `json:"email_addresses"`
	Addresses      []ghValue `json:"addresses"`
	Websites       []ghValue `json:"website_addresses"`
	Social         []ghValue `json:"social_media_addresses"`
}

// normalised is every identifier key one candidate yields; values that are not valid (the
// vendor examples use 555-555-5555) are counted as rejected.
type normalised struct {
	Emails, Phones, Buildings, Units, Handles []string
	Rejected                                  int
}

func normaliseCandidate(tb testing.TB, c ghCandidate) normalised {
	tb.Helper()
	emails := contact.NewEmailNormalizer(nil, nil)
	var n normalised
	reject := func(err error) {
		if code := unmask.ErrorCode(err); code != unmask.EINVALID {
			tb.Errorf("candidate %d: error %v has code %q, want EINVALID", c.ID, err, code)
		}
		n.Rejected++
	}
	for _, e := range c.EmailAddresses {
		if v, err := emails.Parse(e.Value); err == nil {
			n.Emails = append(n.Emails, v.Canonical)
		} else {
			reject(err)
		}
	}
	for _, p := range c.PhoneNumbers {
		if v, err := contact.ParsePhone(p.Value, "US"); err == nil {
			n.Phones = append(n.Phones, v.E164)
		} else {
			reject(err)
		}
	}
	for _, a := range c.Addresses {
		if v, err := postal.Parse(a.Value); err == nil {
			n.Buildings, n.Units = append(n.Buildings, v.BuildingKey()), append(n.Units, v.FullKey())
		} else {
			reject(err)
		}
	}
	for _, u := range append(c.Websites, c.Social...) {
		if h, err := handle.Parse(u.Value); err == nil {
			n.Handles = append(n.Handles, string(h.Site)+":"+h.Name)
		} else {
			reject(err)
		}
	}
	return n
}

// TestGreenhouseSamples normalises the identifiers of the Greenhouse Harvest candidate
// examples in shared/samples.
func TestGreenhouseSamples(t *testing.T) {
	if _, err := os.Stat(samplesDir); err != nil {
		t.Skipf("vendor samples not available at %s: %v", samplesDir, err)
	}
	want := normalised{
		Buildings: []string{"US|10001|123 CITY ST"},
		Units:     []string{"US|10001|123 CITY ST|"},
	}
	tests := []struct {
		name       string
		file       string
		list       bool
		wantEmails []string
		rejected   int
	}{
		{name: "list_candidates", file: "greenhouse_harvest_list_candidates_response.json", list: true,
			wantEmails: []string{"test@work.com"}, rejected: 2},
		{name: "retrieve_candidate", file: "greenhouse_harvest_retrieve_candidate_response.json",
			wantEmails: []string{"test@work.com", "test@example.com"}, rejected: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(samplesDir, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			var cands []ghCandidate
			if tt.list {
				err = json.Unmarshal(b, &cands)
			} else {
				cands = make([]ghCandidate, 1)
				err = json.Unmarshal(b, &cands[0])
			}
			if err != nil {
				t.Fatal(err)
			}
			w := want
			w.Emails, w.Rejected = tt.wantEmails, tt.rejected
			if diff := cmp.Diff(w, normaliseCandidate(t, cands[0])); diff != "" {
				t.Errorf("normalised identifiers mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

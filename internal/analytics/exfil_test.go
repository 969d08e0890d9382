package analytics

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/unmask/unmask"
)

func git(person, action, target string, t time.Time) *unmask.Event {
	return event(unmask.KindGit, person, t, func(e *unmask.Event) { e.Action, e.Target = action, target })
}

// clones returns n clones of distinct repositories by person on day.
func clones(person string, day, n int) []*unmask.Event {
	var out []*unmask.Event
	for i := range n {
		out = append(out, git(person, ActionGitClone, fmt.Sprintf("acme/repo-%d", i), at(day, 9+float64(i)/float64(n+1))))
	}
	return out
}

// peerHistory returns 30 peer person-days of 2 to 4 clones each in group eng.
func peerHistory() ([]Profile, []*unmask.Event) {
	var ps []Profile
	var evs []*unmask.Event
	for p := range 6 {
		id := "peer" + strconv.Itoa(p)
		ps = append(ps, Profile{PersonID: id, HireDate: at(-400, 0), Groups: []string{"eng"}})
		for d := range 6 {
			evs = append(evs, clones(id, d-10, 2+(p+d)%3)...)
		}
	}
	return ps, evs
}

func TestGit(t *testing.T) {
	peers, history := peerHistory()
	veteran := Profile{PersonID: "p1", HireDate: at(-400, 0), Groups: []string{"eng"}}
	newHire := Profile{PersonID: "p1", HireDate: at(-7, 0), Groups: []string{"eng"}}
	opts := GitOptions{OrgNamespaces: []string{"acme", "acme-labs"}}
	tests := []struct {
		name string
		sc   scenario
		want []sig
	}{
		{"push-to-personal-namespace", scenario{events: []*unmask.Event{git("p1", ActionGitPush, "jdoe-dev/acme-api", at(0, 9))}},
			[]sig{{"p1", "N-09", "N-09:out:jdoe-dev"}}},
		{"fork-to-personal-namespace", scenario{events: []*unmask.Event{git("p1", ActionRepoFork, "jdoe-dev/acme-web", at(0, 9))}},
			[]sig{{"p1", "N-09", "N-09:out:jdoe-dev"}}},
		{"push-to-org", scenario{events: []*unmask.Event{git("p1", ActionGitPush, "ACME-labs/tool", at(0, 9))}}, nil},
		{"new-hire-bulk-clone-no-baseline", scenario{profiles: []Profile{newHire}, events: clones("p1", 0, 16)},
			[]sig{{"p1", "N-09", fmt.Sprintf("N-09:clone:%d", at(0, 0).Unix()/86400)}}},
		{"new-hire-normal-first-day", scenario{profiles: []Profile{newHire}, events: clones("p1", 0, 8)}, nil},
		{"veteran-above-peer-baseline", scenario{profiles: append(peers, veteran), events: append(history, clones("p1", 0, 14)...)},
			[]sig{{"p1", "N-09", fmt.Sprintf("N-09:clone:%d", at(0, 0).Unix()/86400)}}},
		{"veteran-within-peer-baseline", scenario{profiles: append(peers, veteran), events: append(history, clones("p1", 0, 4)...)}, nil},
		{"veteran-without-baseline-needs-bulk", scenario{profiles: []Profile{veteran}, events: clones("p1", 0, 30)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := summarize(MustRun(t, tt.sc, NewGit(opts)))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("signals mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCloud(t *testing.T) {
	share := func(vis, external string) *unmask.Event {
		return event(unmask.KindFileShare, "p1", at(0, 9), func(e *unmask.Event) {
			e.Target = "drive:file-123"
			e.Fields[FieldVisibility] = vis
			e.Fields[FieldShareExternal] = external
		})
	}
	upload := func(h float64, host string, bytes int) *unmask.Event {
		return event(unmask.KindHTTP, "p1", at(0, h), field("host", host), field(FieldBytesOut, strconv.Itoa(bytes)))
	}
	tests := []struct {
		name string
		sc   scenario
		want []sig
	}{
		{"shared-with-link", scenario{events: []*unmask.Event{share("people_with_link", "")}},
			[]sig{{"p1", "N-10", "N-10:share:drive:file-123"}}},
		{"shared-to-external-account", scenario{events: []*unmask.Event{share("private", "true")}},
			[]sig{{"p1", "N-10", "N-10:share:drive:file-123"}}},
		{"shared-inside-org", scenario{events: []*unmask.Event{share("shared_internally", "false")}}, nil},
		{"bulk-upload-to-mega", scenario{events: []*unmask.Event{upload(9, "g.api.mega.co.nz", 30<<20), upload(10, "g.api.mega.co.nz", 30<<20)}},
			[]sig{{"p1", "N-10", fmt.Sprintf("N-10:upload:mega.co.nz:%d", at(0, 0).Unix()/86400)}}},
		{"small-upload", scenario{events: []*unmask.Event{upload(9, "www.dropbox.com", 1<<20)}}, nil},
		{"dns-contact", scenario{events: []*unmask.Event{event(unmask.KindDNS, "p1", at(0, 9), field("query", "mega.nz"))}},
			[]sig{{"p1", "N-10", "N-10:contact:mega.nz"}}},
		{"suppression-covers-only-its-domain", scenario{
			suppressions: []Suppression{{Indicator: "N-10", Value: "dropbox.com", Reason: "company Dropbox Business"}},
			events:       []*unmask.Event{upload(9, "content.dropboxapi.com", 80<<20), event(unmask.KindDNS, "p1", at(0, 9), field("query", "www.dropbox.com"))},
		}, []sig{{"p1", "N-10", fmt.Sprintf("N-10:upload:dropboxapi.com:%d", at(0, 0).Unix()/86400)}}},
		{"lookalike-domain", scenario{events: []*unmask.Event{event(unmask.KindDNS, "p1", at(0, 9), field("query", "notmega.nz"))}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := summarize(MustRun(t, tt.sc, NewCloud(CloudOptions{})))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("signals mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

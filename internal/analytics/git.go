package analytics

import (
	"fmt"
	"hash/maphash"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/unmask/unmask"
)

// GitOptions configures Git. Zero fields take the documented defaults.
type GitOptions struct {
	// OrgNamespaces are the organisation's GitHub owners (organisations); a push or fork
	// to any other owner raises N-09. Without them only bulk cloning is checked.
	OrgNamespaces []string
	// NewHire is how long after hire the new-hire threshold applies; default 42 days.
	NewHire time.Duration
	// NewHireClones is the distinct repositories cloned in one day that raise N-09 for a
	// new hire, with no baseline needed; default 15.
	NewHireClones int
	// NewHireBoost multiplies a new hire's weight; default 1.5.
	NewHireBoost float64
	// PeerSigmas flags a day above the peer group's mean plus this many standard
	// deviations of distinct repositories cloned per active day; default 4.
	PeerSigmas float64
	// MinPeerDays is how many peer person-days a baseline needs; default 20.
	MinPeerDays int
	// MinClones is the floor of the peer threshold; default 10.
	MinClones int
	// BulkClones is the threshold without a usable baseline; default 50.
	BulkClones int
}

// Git raises N-09 for code copied out: pushes or forks to namespaces outside the
// organisation, and bulk cloning (distinct repositories per day, git.clone) against the
// person's peer group, or against a fixed threshold in their first weeks. The peer
// baseline is a running mean and variance per group (Welford) over established
// employees' active days. State: the current day's repository hashes per person.
type Git struct {
	opts  GitOptions
	seed  maphash.Seed
	st    map[string]*gitState
	peers map[string]*welford
}

type gitState struct {
	day      int64
	repos    []uint64
	reported bool
	newHire  bool
	group    string
}

type welford struct{ n, mean, m2 float64 }

func (w *welford) add(x float64) {
	w.n++
	d := x - w.mean
	w.mean += d / w.n
	w.m2 += d * (x - w.mean)
}

func (w *welford) sd() float64 {
	if w.n < 2 {
		return 0
	}
	return math.Sqrt(w.m2 / (w.n - 1))
}

// NewGit returns a Git detector.
func NewGit(opts GitOptions) *Git {
	opts.NewHire = cmpOr(opts.NewHire, 42*24*time.Hour)
	opts.NewHireClones = cmpOr(opts.NewHireClones, 15)
	opts.NewHireBoost = cmpOr(opts.NewHireBoost, 1.5)
	opts.PeerSigmas = cmpOr(opts.PeerSigmas, 4)
	opts.MinPeerDays = cmpOr(opts.MinPeerDays, 20)
	opts.MinClones = cmpOr(opts.MinClones, 10)
	opts.BulkClones = cmpOr(opts.BulkClones, 50)
	return &Git{opts: opts, seed: maphash.MakeSeed(), st: map[string]*gitState{}, peers: map[string]*welford{}}
}

var (
	specGitPush  = spec{"analytics:git", "N-09", unmask.SeverityHigh, 0.7}
	specGitClone = spec{"analytics:git", "N-09", unmask.SeverityMedium, 0.4}
)

// Observe implements Detector.
func (d *Git) Observe(in *Input) []Finding {
	ev := in.Event
	if ev.Kind != unmask.KindGit || ev.Target == "" {
		return nil
	}
	switch ev.Action {
	case ActionGitPush, ActionRepoFork:
		return d.push(ev)
	case ActionGitClone:
		return d.clone(in)
	}
	return nil
}

func (d *Git) push(ev *unmask.Event) []Finding {
	owner, _, _ := strings.Cut(ev.Target, "/")
	if len(d.opts.OrgNamespaces) == 0 || owner == "" {
		return nil
	}
	for _, o := range d.opts.OrgNamespaces {
		if strings.EqualFold(o, owner) {
			return nil
		}
	}
	verb := "Pushed to"
	if ev.Action == ActionRepoFork {
		verb = "Forked a repository to"
	}
	expl := fmt.Sprintf("%s %s, outside the organisation's namespaces.", verb, ev.Target)
	return []Finding{specGitPush.finding(ev.PersonID, ev.Time, 1, "N-09:out:"+strings.ToLower(owner), owner, expl, ev.ID)}
}

func (d *Git) clone(in *Input) []Finding {
	ev := in.Event
	day := ev.Time.Unix() / 86400
	st := d.st[ev.PersonID]
	if st == nil {
		st = &gitState{day: day}
		d.st[ev.PersonID] = st
	}
	if day > st.day {
		d.closeDay(st)
		*st = gitState{day: day, repos: st.repos[:0]}
	} else if day < st.day {
		return nil // a late event from a closed day
	}
	t, ok := in.Profile.tenure(ev.Time)
	st.newHire = ok && t >= 0 && t < d.opts.NewHire
	st.group = in.Profile.peerGroup()
	h := maphash.String(d.seed, strings.ToLower(ev.Target))
	if len(st.repos) < 4*d.opts.BulkClones && !containsHash(st.repos, h) {
		st.repos = append(st.repos, h)
	}
	limit, basis, boost := d.threshold(st)
	if st.reported || len(st.repos) < limit {
		return nil
	}
	st.reported = true
	expl := fmt.Sprintf("Cloned %d different repositories in one day, above %s (%d).", len(st.repos), basis, limit)
	return []Finding{specGitClone.finding(ev.PersonID, ev.Time, boost, fmt.Sprintf("N-09:clone:%d", day), "bulk-clone", expl, ev.ID)}
}

// threshold returns the day's clone limit for st, what it is based on, and the weight
// boost.
func (d *Git) threshold(st *gitState) (int, string, float64) {
	if st.newHire {
		return d.opts.NewHireClones, "the new-hire threshold", d.opts.NewHireBoost
	}
	if w := d.peers[st.group]; w != nil && w.n >= float64(d.opts.MinPeerDays) {
		limit := max(d.opts.MinClones, int(math.Ceil(w.mean+d.opts.PeerSigmas*w.sd())))
		return limit, fmt.Sprintf("the peer group's usual %.1f per active day", w.mean), 1
	}
	return d.opts.BulkClones, "the bulk-clone threshold", 1
}

// closeDay adds a finished, unflagged day of an established employee to the baseline.
func (d *Git) closeDay(st *gitState) {
	if st.newHire || st.reported || len(st.repos) == 0 {
		return
	}
	w := d.peers[st.group]
	if w == nil {
		w = &welford{}
		d.peers[st.group] = w
	}
	w.add(float64(len(st.repos)))
}

func containsHash(list []uint64, h uint64) bool {
	return slices.Contains(list, h)
}

// Forget implements Forgetter.
func (d *Git) Forget(person string) {
	delete(d.st, person)
}

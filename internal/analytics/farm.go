package analytics

import (
	"fmt"
	"iter"
	"maps"
	"net/netip"
	"time"

	"github.com/unmask/unmask"
)

// FarmOptions configures LaptopFarm. Zero fields take the documented defaults.
type FarmOptions struct {
	// Window is how long a person counts as behind an address after their last sign-in
	// or device check-in from it; default 24h.
	Window time.Duration
	// MinHouseholds is how many different households (by HR home address) behind one
	// address raise N-03; default 2.
	MinHouseholds int
	// MaxPeople caps the people remembered per address; default 16.
	MaxPeople int
	// MaxAddrs caps the addresses tracked; default 1,000,000. Sweep forgets stale ones.
	MaxAddrs int
}

// LaptopFarm raises N-03 when people from different households sign in, or their
// managed devices check in, from one residential address within a window: the
// laptop-farm pattern. Addresses tagged corporate, VPN, hosting, Tor, anonymiser,
// Astrill or IOC are ignored, as are private and non-global addresses; IPv6 addresses
// count by their /64, one home connection. People who share
// a home address in HR (a couple working for the same company) are one household.
type LaptopFarm struct {
	opts  FarmOptions
	addrs map[netip.Addr]*farmAddr
}

type farmAddr struct {
	people []farmPerson
}

type farmPerson struct {
	person, household, event string
	last                     time.Time
}

// NewLaptopFarm returns a LaptopFarm detector.
func NewLaptopFarm(opts FarmOptions) *LaptopFarm {
	opts.Window = cmpOr(opts.Window, 24*time.Hour)
	opts.MinHouseholds = cmpOr(opts.MinHouseholds, 2)
	opts.MaxPeople = cmpOr(opts.MaxPeople, 16)
	opts.MaxAddrs = cmpOr(opts.MaxAddrs, 1_000_000)
	return &LaptopFarm{opts: opts, addrs: make(map[netip.Addr]*farmAddr)}
}

var specFarm = spec{"analytics:laptop-farm", "N-03", unmask.SeverityHigh, 0.6}

// Observe implements Detector.
func (d *LaptopFarm) Observe(in *Input) []Finding {
	ev := in.Event
	if !(signIn(ev) || ev.Kind == unmask.KindDeviceInventory) || !residential(in) {
		return nil
	}
	key := farmKey(in.Addr)
	st := d.addrs[key]
	if st == nil {
		if len(d.addrs) >= d.opts.MaxAddrs {
			return nil
		}
		st = &farmAddr{}
		d.addrs[key] = st
	}
	before := st.households(ev.Time, d.opts.Window)
	if !st.upsert(farmPerson{ev.PersonID, in.Profile.household(), ev.ID, ev.Time}, d.opts.MaxPeople) {
		return nil
	}
	n := st.households(ev.Time, d.opts.Window)
	if n < d.opts.MinHouseholds || n == before {
		return nil
	}
	var ids []string
	people := 0
	for _, p := range st.people {
		if ev.Time.Sub(p.last) <= d.opts.Window {
			ids = append(ids, p.event)
			people++
		}
	}
	expl := fmt.Sprintf("%d people from %d different households (by HR home address) used the same residential address %s (%s) within %s.",
		people, n, addrText(key), asText(in.IP), durationText(d.opts.Window))
	var out []Finding
	for _, p := range st.people {
		if ev.Time.Sub(p.last) <= d.opts.Window {
			out = append(out, specFarm.finding(p.person, ev.Time, 1, "N-03:"+addrText(key), addrText(key), expl, ids...))
		}
	}
	return out
}

// farmKey is the connection an address stands for: the address itself for IPv4 and its
// /64 for IPv6, where one home's devices pick different addresses in the same /64.
func farmKey(a netip.Addr) netip.Addr {
	if a.Is4() {
		return a
	}
	p, _ := a.Prefix(64)
	return p.Addr()
}

func addrText(key netip.Addr) string {
	if key.Is4() {
		return key.String()
	}
	return key.String() + "/64"
}

// residential reports whether the event's address could be a home connection: public,
// and on none of the corporate, VPN, hosting or anonymiser lists.
func residential(in *Input) bool {
	a := in.Addr
	return a.IsValid() && a.IsGlobalUnicast() && !a.IsPrivate() && !in.corporate() && !in.untrusted()
}

// upsert records p, reporting false when the address is full of other people.
func (st *farmAddr) upsert(p farmPerson, limit int) bool {
	for i := range st.people {
		if st.people[i].person == p.person {
			if p.last.After(st.people[i].last) {
				st.people[i] = p
			}
			return true
		}
	}
	if len(st.people) >= limit {
		oldest := 0
		for i := range st.people {
			if st.people[i].last.Before(st.people[oldest].last) {
				oldest = i
			}
		}
		if !p.last.After(st.people[oldest].last) {
			return false
		}
		st.people[oldest] = p
		return true
	}
	st.people = append(st.people, p)
	return true
}

// households counts the distinct households seen within window of t. The list is
// short, so a quadratic scan beats allocating a set on every sign-in.
func (st *farmAddr) households(t time.Time, window time.Duration) int {
	n := 0
	for i, p := range st.people {
		if !within(t, p.last, window) {
			continue
		}
		dup := false
		for _, q := range st.people[:i] {
			if q.household == p.household && within(t, q.last, window) {
				dup = true
				break
			}
		}
		if !dup {
			n++
		}
	}
	return n
}

func within(t, u time.Time, window time.Duration) bool {
	d := t.Sub(u)
	return d <= window && d >= -window
}

// Sweep implements Sweeper: it forgets addresses with no one seen within the window.
func (d *LaptopFarm) Sweep(now time.Time, _ iter.Seq[*Profile]) []Finding {
	maps.DeleteFunc(d.addrs, func(_ netip.Addr, st *farmAddr) bool {
		for _, p := range st.people {
			if now.Sub(p.last) <= d.opts.Window {
				return false
			}
		}
		return true
	})
	return nil
}

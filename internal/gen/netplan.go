package gen

import (
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Network roles, as written in the manifest for configuring IP intelligence.
const (
	RoleCorporateVPN = "corporate_vpn" // the company's VPN concentrator egress (tag corporate)
	RoleZTNA         = "ztna"          // the company's ZTNA provider egress (tag corporate)
	RoleVPN          = "vpn"           // a commercial VPN used by some benign staff
	RoleAstrill      = "astrill"       // Astrill VPN egress
	RoleHosting      = "hosting"       // a hosting / datacenter provider
	RoleResidential  = "residential"   // a residential ISP in one city
	RoleHotel        = "hotel"         // hotel and public Wi-Fi in one city
	RoleLaptopFarm   = "laptop_farm"   // one residential address hosting several laptops
	RoleSaaS         = "saas"          // public SaaS services the laptops reach
)

// network is one block of addresses with one role and place.
type network struct {
	Prefix  netip.Prefix
	Role    string
	ASN     int
	ASOrg   string
	Domain  string
	City    *city
	next    int // next host offset handed out
	hostCap int
	first   int // offset of the first usable host
}

// host returns the i-th usable address of n, wrapping around its capacity.
func (n *network) host(i int) netip.Addr {
	off := n.first + i%n.hostCap
	// skip .0 and .255 in every /24 so that addresses look like hosts
	off = off/254*256 + off%254 + 1
	a := n.Prefix.Addr().As4()
	v := uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3])
	v += uint32(off)
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// alloc hands out the next address of n.
func (n *network) alloc() netip.Addr {
	a := n.host(n.next)
	n.next++
	return a
}

// netplan is every network of the synthetic Internet.
type netplan struct {
	all         []*network
	residential []*network // by city index
	hotel       []*network // by city index
	corpVPN     *network
	ztna        *network
	vpn         *network
	astrill     *network
	hosting     *network
	farm        []*network // one /32 per laptop farm
}

// Documentation ASNs (RFC 5398).
const (
	asnCorporate = 64496
	asnVPN       = 64497
	asnAstrill   = 64498
	asnHosting   = 64499
	asnHotel     = 64500
	asnSaaS      = 64501
	asnISPBase   = 65536 // + country index
)

var (
	ashburn   = &city{Name: "Ashburn", Region: "VA", Country: "US", Lat: 39.0438, Lon: -77.4874}
	amsterdam = &city{Name: "Amsterdam", Region: "North Holland", Country: "NL", Lat: 52.3676, Lon: 4.9041}
	losAng    = &city{Name: "Los Angeles", Region: "CA", Country: "US", Lat: 34.0522, Lon: -118.2437}
	frankfurt = &city{Name: "Frankfurt am Main", Region: "Hesse", Country: "DE", Lat: 50.1109, Lon: 8.6821}
)

func newNetplan() *netplan {
	np := &netplan{}
	add := func(cidr, role string, asn int, org, domain string, c *city, first, hostCap int) *network {
		n := &network{Prefix: netip.MustParsePrefix(cidr), Role: role, ASN: asn, ASOrg: org, Domain: domain, City: c,
			first: first, hostCap: hostCap}
		np.all = append(np.all, n)
		return n
	}
	np.corpVPN = add("192.0.2.0/26", RoleCorporateVPN, asnCorporate, "Northwind Corporate Network", Domain, &cities[cityChicago], 0, 60)
	np.ztna = add("192.0.2.64/26", RoleZTNA, asnCorporate, "Northwind Corporate Network", Domain, ashburn, 0, 60)
	np.vpn = add("198.51.100.0/26", RoleVPN, asnVPN, "Example Privacy VPN", "privacyvpn.example", amsterdam, 0, 60)
	np.astrill = add("198.51.100.64/27", RoleAstrill, asnAstrill, "Astrill VPN", "astrill.example", losAng, 0, 28)
	np.hosting = add("203.0.113.0/26", RoleHosting, asnHosting, "Example Cloud Hosting GmbH", "cloudhost.example", frankfurt, 0, 60)
	for i := range cities {
		c := &cities[i]
		ci := countryIndex(c.Country)
		base := netip.AddrFrom4([4]byte{198, 18 + byte(i/32), byte(i%32) * 8, 0})
		np.hotel = append(np.hotel, add(base.String()+"/24", RoleHotel, asnHotel, "Example Hospitality Wi-Fi",
			"hotspot.example", c, 0, 254))
		res := netip.AddrFrom4([4]byte{198, 18 + byte(i/32), byte(i%32)*8 + 1, 0})
		np.residential = append(np.residential, add(res.String()+"/24", RoleResidential, asnISPBase+ci,
			countries[ci].ISP, "isp"+fmt.Sprint(ci)+".example", c, 0, 7*254))
	}
	return np
}

// addFarm marks one residential address of city c as a laptop farm and returns it.
func (np *netplan) addFarm(c int) netip.Addr {
	a := np.residential[c].alloc()
	n := &network{Prefix: netip.PrefixFrom(a, 32), Role: RoleLaptopFarm, ASN: np.residential[c].ASN,
		ASOrg: np.residential[c].ASOrg, Domain: np.residential[c].Domain, City: &cities[c], hostCap: 1}
	np.farm = append(np.farm, n)
	np.all = append(np.all, n)
	return a
}

// endpoint is where a session egresses.
type endpoint struct {
	IP  netip.Addr
	Net *network
}

// manifest lists the networks for the manifest. Residential blocks span seven /24s.
func (np *netplan) manifest() []Network {
	out := make([]Network, 0, len(np.all))
	for _, n := range np.all {
		cidrs := []string{n.Prefix.String()}
		if n.Role == RoleResidential {
			cidrs = cidrs[:0]
			a := n.Prefix.Addr().As4()
			for k := range 7 {
				cidrs = append(cidrs, netip.AddrFrom4([4]byte{a[0], a[1], a[2] + byte(k), 0}).String()+"/24")
			}
		}
		for _, c := range cidrs {
			out = append(out, Network{CIDR: c, Role: n.Role, ASN: n.ASN, ASOrg: n.ASOrg, Country: n.City.Country,
				Region: n.City.Region, City: n.City.Name, Lat: n.City.Lat, Lon: n.City.Lon})
		}
	}
	return out
}

// intelTags maps network roles to the IP-intelligence tag of their feed.
var intelTags = []struct {
	tag, file string
	roles     []string
}{
	{"corporate", "intel/corporate.txt", []string{RoleCorporateVPN, RoleZTNA}},
	{"vpn", "intel/vpn.txt", []string{RoleVPN, RoleAstrill}},
	{"astrill", "intel/astrill.txt", []string{RoleAstrill}},
	{"hosting", "intel/hosting.txt", []string{RoleHosting}},
}

// writeIntel writes one CIDR list per tag, as the ipintel CIDR-list feed reads them.
func (g *generator) writeIntel() error {
	if err := os.MkdirAll(filepath.Join(g.dir, "intel"), 0o755); err != nil {
		return fmt.Errorf("create intel: %w", err)
	}
	for _, t := range intelTags {
		feed := IntelFeed{Path: t.file, Tag: t.tag}
		var b strings.Builder
		fmt.Fprintf(&b, "# %s ranges of the synthetic company %s (generated)\n", t.tag, Domain)
		for _, n := range g.man.Networks {
			if slices.Contains(t.roles, n.Role) {
				feed.CIDRs = append(feed.CIDRs, n.CIDR)
				fmt.Fprintf(&b, "%s # %s AS%d %s\n", n.CIDR, n.Role, n.ASN, n.ASOrg)
			}
		}
		if err := os.WriteFile(filepath.Join(g.dir, t.file), []byte(b.String()), 0o644); err != nil {
			return fmt.Errorf("write %s: %w", t.file, err)
		}
		g.man.IntelFeeds = append(g.man.IntelFeeds, feed)
	}
	return nil
}

package gen

import (
	"math/rand/v2"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// saasDomains are the domains laptops resolve; each answers from its own /24 of
// 198.19.0.0/16 (RFC 2544), listed in the manifest as role saas.
var saasDomains = []string{"northwind.okta.com", "slack.com", "wss-primary.slack.com", "zoom.us", "www.google.com",
	"docs.google.com", "drive.google.com", "outlook.office365.com", "login.microsoftonline.com", "github.com",
	"api.github.com", "registry.npmjs.org", "proxy.golang.org", "northwind.my.salesforce.com", "northwind.zendesk.com",
	"northwind.atlassian.net", "www.figma.com", "app.datadoghq.com"}

// Domains that planted scenarios resolve, after saasDomains in the 198.19 block.
var fraudDomains = []string{"relay-5b3c9d1e.net.anydesk.com", "boot.net.anydesk.com", "www.astrill.com", "g.api.mega.co.nz",
	"mega.nz", "client.teamviewer.com"}

// dnsResolver is the corporate resolver laptops use through the ZTNA client.
var dnsResolver = netip.MustParseAddr("10.0.0.53")

func domainAnswer(d string) netip.Addr {
	i := 200
	for k, x := range saasDomains {
		if x == d {
			i = k
		}
	}
	for k, x := range fraudDomains {
		if x == d {
			i = len(saasDomains) + k
		}
	}
	return netip.AddrFrom4([4]byte{198, 19, byte(i), byte(10 + len(d)%200)})
}

type zeekDNS struct {
	TS       float64   `json:"ts"`
	UID      string    `json:"uid"`
	OrigH    string    `json:"id.orig_h"`
	OrigP    int       `json:"id.orig_p"`
	RespH    string    `json:"id.resp_h"`
	RespP    int       `json:"id.resp_p"`
	Proto    string    `json:"proto"`
	TransID  int       `json:"trans_id"`
	RTT      float64   `json:"rtt"`
	Query    string    `json:"query"`
	QClass   int       `json:"qclass"`
	QClassN  string    `json:"qclass_name"`
	QType    int       `json:"qtype"`
	QTypeN   string    `json:"qtype_name"`
	RCode    int       `json:"rcode"`
	RCodeN   string    `json:"rcode_name"`
	AA       bool      `json:"AA"`
	TC       bool      `json:"TC"`
	RD       bool      `json:"RD"`
	RA       bool      `json:"RA"`
	Z        int       `json:"Z"`
	Answers  []string  `json:"answers"`
	TTLs     []float64 `json:"TTLs"`
	Rejected bool      `json:"rejected"`
}

func zeekTS(t time.Time) float64 { return float64(t.UnixMicro()) / 1e6 }

func zeekUID(r *rand.Rand) string { return "C" + token(r, 17) }

// dnsQuery writes one DNS lookup of the laptop of p.
func (g *generator) dnsQuery(r *rand.Rand, p *person, t time.Time, domain string) {
	q := &zeekDNS{TS: zeekTS(t), UID: zeekUID(r), OrigH: p.Tunnel.String(), OrigP: 49152 + r.IntN(16000),
		RespH: dnsResolver.String(), RespP: 53, Proto: "udp", TransID: r.IntN(65536), RTT: float64(2+r.IntN(30)) / 1000,
		Query: domain, QClass: 1, QClassN: "C_INTERNET", QType: 1, QTypeN: "A", RCodeN: "NOERROR", RD: true, RA: true,
		Answers: []string{domainAnswer(domain).String()}, TTLs: []float64{300}}
	g.emit(g.streams.dns, t, q, 1)
	if !p.Mac && r.Float64() < 0.3 {
		g.sysmon(r, p, t, "22", &sysmonData{RuleName: "-", ProcessGUID: guid(r), ProcessID: strconv.Itoa(1000 + r.IntN(60000)),
			QueryName: domain, QueryStatus: "0", QueryResults: "::ffff:" + domainAnswer(domain).String() + ";",
			Image: p.imagePath(apps[1]), User: `NORTHWIND\` + p.Username})
	}
}

// dnsSession writes n lookups of the usual domains, then the extra ones.
func (g *generator) dnsSession(r *rand.Rand, p *person, s *session, n int, extra []string) {
	for range n {
		d := saasDomains[r.IntN(9)]
		if r.Float64() < 0.4 {
			d = saasDomains[9+(p.idx+int(p.Dept.Weight))%(len(saasDomains)-9)]
		}
		g.dnsQuery(r, p, within(r, s), d)
	}
	for _, d := range extra {
		g.dnsQuery(r, p, within(r, s), d)
	}
}

// conn is one conn.log row.
type conn struct {
	t                  time.Time
	orig, resp         netip.Addr
	respPort           int
	proto, service     string
	dur                float64
	origBytes, rspByte int64
}

func (g *generator) connRow(r *rand.Rand, c conn) {
	state, hist := "SF", "ShADadFf"
	op, rp := c.origBytes/1200+3, c.rspByte/1200+3
	cols := []string{strconv.FormatFloat(zeekTS(c.t), 'f', 6, 64), zeekUID(r), c.orig.String(), strconv.Itoa(49152 + r.IntN(16000)),
		c.resp.String(), strconv.Itoa(c.respPort), c.proto, orDash(c.service), strconv.FormatFloat(c.dur, 'f', 6, 64),
		strconv.FormatInt(c.origBytes, 10), strconv.FormatInt(c.rspByte, 10), state, "T", "F", "0", hist,
		strconv.FormatInt(op, 10), strconv.FormatInt(c.origBytes+op*52, 10), strconv.FormatInt(rp, 10),
		strconv.FormatInt(c.rspByte+rp*52, 10), "(empty)"}
	g.emitRaw(g.streams.conn, c.t, []byte(strings.Join(cols, "\t")), 1)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// internalServices are what people reach over the corporate VPN.
var internalServices = []struct {
	addr    netip.Addr
	port    int
	service string
}{
	{netip.MustParseAddr("10.10.1.20"), 443, "ssl"}, {netip.MustParseAddr("10.10.1.21"), 443, "ssl"},
	{netip.MustParseAddr("10.10.4.10"), 22, "ssh"}, {netip.MustParseAddr("10.10.8.5"), 5432, ""},
	{netip.MustParseAddr("10.10.2.30"), 3389, ""},
}

// connSession writes the connections of a corporate VPN session.
func (g *generator) connSession(r *rand.Rand, p *person, s *session) {
	for range 2 + r.IntN(4) {
		svc := internalServices[r.IntN(4)]
		if p.Dept.Name == "IT" && r.Float64() < 0.3 {
			svc = internalServices[4] // RDP to the IT jump host
		}
		g.connRow(r, conn{t: within(r, s), orig: p.Tunnel, resp: svc.addr, respPort: svc.port, proto: "tcp",
			service: svc.service, dur: 1 + r.Float64()*600, origBytes: int64(500 + r.IntN(40000)), rspByte: int64(2000 + r.IntN(400000))})
	}
}

package gen

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// emitSession writes everything one session produces.
func (g *generator) emitSession(p *person, r *rand.Rand, s *session) {
	if s.End.After(p.LastSeen) {
		p.LastSeen, p.LastIP = s.End, s.Via.IP
	}
	g.oktaSession(r, p, s)
	if !p.Mac {
		g.entraSession(r, p, s)
	}
	if s.First {
		g.googleLogin(r, p, s)
	}
	g.driveSession(r, p, s, p.Dept.Drive/2)
	if p.Dept.GitRate > 0 {
		g.githubSession(r, p, s, p.Dept.GitRate/2)
	}
	g.dnsSession(r, p, s, 2+r.IntN(4), nil)
	if s.Via.Net.Role == RoleCorporateVPN {
		g.connSession(r, p, s)
	}
	if f := p.Fraud; f != nil && f.session != nil {
		f.session(g, r, s)
	}
}

// app is a program as the endpoint agents see it.
type app struct {
	Name, Mac, Win, Company string
}

var apps = []app{
	{"Slack", "/Applications/Slack.app/Contents/MacOS/Slack", `C:\Users\%s\AppData\Local\slack\slack.exe`, "Slack Technologies, LLC"},
	{"Google Chrome", "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome", `C:\Program Files\Google\Chrome\Application\chrome.exe`, "Google LLC"},
	{"Zoom", "/Applications/zoom.us.app/Contents/MacOS/zoom.us", `C:\Program Files\Zoom\bin\Zoom.exe`, "Zoom Video Communications, Inc."},
	{"Microsoft Outlook", "/Applications/Microsoft Outlook.app/Contents/MacOS/Microsoft Outlook", `C:\Program Files\Microsoft Office\root\Office16\OUTLOOK.EXE`, "Microsoft Corporation"},
	{"1Password", "/Applications/1Password.app/Contents/MacOS/1Password", `C:\Users\%s\AppData\Local\1Password\app\8\1Password.exe`, "AgileBits Inc."},
	{"Visual Studio Code", "/Applications/Visual Studio Code.app/Contents/MacOS/Electron", `C:\Users\%s\AppData\Local\Programs\Microsoft VS Code\Code.exe`, "Microsoft Corporation"},
}

// Remote-access and evasion tools (THREAT.md §3.1, §3.2, §3.4).
var (
	toolAnyDesk    = app{"AnyDesk", "/Applications/AnyDesk.app/Contents/MacOS/AnyDesk", `C:\Program Files (x86)\AnyDesk\AnyDesk.exe`, "AnyDesk Software GmbH"}
	toolTeamViewer = app{"TeamViewer", "/Applications/TeamViewer.app/Contents/MacOS/TeamViewer", `C:\Program Files\TeamViewer\TeamViewer.exe`, "TeamViewer Germany GmbH"}
	toolAstrill    = app{"Astrill", "/Applications/Astrill.app/Contents/MacOS/Astrill", `C:\Program Files (x86)\Astrill\astrill.exe`, "Astrill Systems Corp"}
	toolJiggler    = app{"Mouse Jiggler", "/Applications/Jiggler.app/Contents/MacOS/Jiggler", `C:\Users\%s\Downloads\MouseJiggle.exe`, "Arkane Systems"}
)

func (p *person) imagePath(a app) string {
	if p.Mac {
		return a.Mac
	}
	if strings.Contains(a.Win, "%s") {
		return fmt.Sprintf(a.Win, p.Username)
	}
	return a.Win
}

// imageName is the file name of a path.
func imageName(path string) string {
	return path[strings.LastIndexAny(path, `/\`)+1:]
}

// hostDaily writes the laptop's daily inventory and app starts.
func (g *generator) hostDaily(p *person, r *rand.Rand, first *session) {
	t := first.Start.Add(time.Duration(60+r.IntN(300)) * time.Second)
	g.osquerySnapshot(r, p, t)
	n := 2 + r.IntN(3)
	for i := range n {
		a := apps[(p.idx+i*3+r.IntN(2))%len(apps)]
		g.processStart(r, p, t.Add(time.Duration(i*40+r.IntN(30))*time.Second), a, "")
	}
	for _, tool := range p.Approved {
		if r.Float64() < 0.3 {
			a := toolAnyDesk
			if tool == "TeamViewer" {
				a = toolTeamViewer
			}
			t := within(r, first)
			g.processStart(r, p, t, a, "")
			domain := "boot.net.anydesk.com"
			if tool == "TeamViewer" {
				domain = "client.teamviewer.com"
			}
			g.dnsQuery(r, p, t.Add(2*time.Second), domain)
		}
	}
	if f := p.Fraud; f != nil && f.daily != nil {
		f.daily(g, r, first)
	}
}

type osqResult struct {
	Name           string              `json:"name"`
	HostIdentifier string              `json:"hostIdentifier"`
	CalendarTime   string              `json:"calendarTime"`
	UnixTime       int64               `json:"unixTime"`
	Epoch          int                 `json:"epoch"`
	Counter        int                 `json:"counter"`
	Numerics       bool                `json:"numerics"`
	Decorations    map[string]string   `json:"decorations"`
	Columns        map[string]string   `json:"columns,omitempty"`
	Snapshot       []map[string]string `json:"snapshot,omitempty"`
	Action         string              `json:"action"`
}

func (g *generator) osquery(p *person, t time.Time, table, action string, cols map[string]string, snap []map[string]string) {
	res := &osqResult{Name: "pack/unmask/" + table, HostIdentifier: p.Host, CalendarTime: t.UTC().Format("Mon Jan 2 15:04:05 2006 UTC"),
		UnixTime: t.Unix(), Decorations: map[string]string{"host_uuid": strings.ToUpper(p.DeviceID), "username": p.Username},
		Columns: cols, Snapshot: snap, Action: action}
	events := 1
	if snap != nil {
		events = len(snap)
	}
	g.emit(g.streams.osquery, t, res, events)
}

func (g *generator) osquerySnapshot(r *rand.Rand, p *person, t time.Time) {
	vendor, model := "Dell Inc.", "Latitude 7440"
	if p.Mac {
		vendor, model = "Apple Inc.", "Mac15,6"
	}
	g.osquery(p, t, "system_info", "snapshot", nil, []map[string]string{{"hostname": p.Host, "computer_name": p.Host,
		"uuid": strings.ToUpper(p.DeviceID), "hardware_serial": p.MDMSer, "hardware_vendor": vendor, "hardware_model": model,
		"cpu_brand": "Example CPU", "physical_memory": "34359738368"}})
}

// processStart records a process start on the laptop: osquery processes everywhere,
// Sysmon event 1 on Windows.
func (g *generator) processStart(r *rand.Rand, p *person, t time.Time, a app, args string) {
	path := p.imagePath(a)
	cmd := `"` + path + `"`
	if p.Mac {
		cmd = path
	}
	if args != "" {
		cmd += " " + args
	}
	pid := strconv.Itoa(1000 + r.IntN(60000))
	cols := map[string]string{"cmdline": cmd, "name": imageName(path), "parent": "1", "path": path, "pid": pid, "uid": "-1"}
	if p.Mac {
		cols["uid"] = "501"
	}
	g.osquery(p, t, "processes", "added", cols, nil)
	if p.Mac {
		return
	}
	g.sysmon(r, p, t, "1", &sysmonData{RuleName: "-", ProcessGUID: guid(r), ProcessID: pid, Image: path,
		Description: a.Name, Product: a.Name, Company: a.Company, OriginalFileName: imageName(path),
		CommandLine: cmd, CurrentDirectory: `C:\Users\` + p.Username + `\`, User: `NORTHWIND\` + p.Username,
		IntegrityLevel: "Medium", Hashes: "SHA256=" + sha256Of(a.Name+a.Win),
		ParentImage: `C:\Windows\explorer.exe`, ParentCommandLine: `C:\Windows\Explorer.EXE`, ParentProcessID: "4312"})
}

// fqdn is the laptop's Windows computer name as Sysmon reports it.
func (p *person) fqdn() string { return p.Host + ".corp." + Domain }

// sha256Of is the upper-case hex SHA-256 of s, a stable stand-in for a binary's hash.
func sha256Of(s string) string {
	h := sha256.Sum256([]byte(s))
	return strings.ToUpper(hex.EncodeToString(h[:]))
}

func guid(r *rand.Rand) string { return "{" + uuid(r) + "}" }

// sysmonData is the event_data of Sysmon events 1 (process creation) and 22 (DNS query),
// in Sysmon's field order.
type sysmonData struct {
	RuleName          string `json:"RuleName"`
	UtcTime           string `json:"UtcTime"`
	ProcessGUID       string `json:"ProcessGuid"`
	ProcessID         string `json:"ProcessId"`
	QueryName         string `json:"QueryName,omitempty"`
	QueryStatus       string `json:"QueryStatus,omitempty"`
	QueryResults      string `json:"QueryResults,omitempty"`
	Image             string `json:"Image"`
	Description       string `json:"Description,omitempty"`
	Product           string `json:"Product,omitempty"`
	Company           string `json:"Company,omitempty"`
	OriginalFileName  string `json:"OriginalFileName,omitempty"`
	CommandLine       string `json:"CommandLine,omitempty"`
	CurrentDirectory  string `json:"CurrentDirectory,omitempty"`
	User              string `json:"User"`
	IntegrityLevel    string `json:"IntegrityLevel,omitempty"`
	Hashes            string `json:"Hashes,omitempty"`
	ParentProcessID   string `json:"ParentProcessId,omitempty"`
	ParentImage       string `json:"ParentImage,omitempty"`
	ParentCommandLine string `json:"ParentCommandLine,omitempty"`
}

type winlogbeat struct {
	Timestamp string `json:"@timestamp"`
	Event     struct {
		Code     string `json:"code"`
		Kind     string `json:"kind"`
		Provider string `json:"provider"`
		Module   string `json:"module"`
	} `json:"event"`
	Host struct {
		Name string `json:"name"`
	} `json:"host"`
	Winlog struct {
		EventID      string      `json:"event_id"`
		ProviderName string      `json:"provider_name"`
		Channel      string      `json:"channel"`
		ComputerName string      `json:"computer_name"`
		RecordID     int64       `json:"record_id"`
		EventData    *sysmonData `json:"event_data"`
	} `json:"winlog"`
}

func (g *generator) sysmon(r *rand.Rand, p *person, t time.Time, id string, data *sysmonData) {
	data.UtcTime = t.UTC().Format("2006-01-02 15:04:05.000")
	w := &winlogbeat{Timestamp: t.UTC().Add(time.Duration(200+r.IntN(800)) * time.Millisecond).Format("2006-01-02T15:04:05.000Z")}
	w.Event.Code, w.Event.Kind, w.Event.Provider, w.Event.Module = id, "event", "Microsoft-Windows-Sysmon", "sysmon"
	w.Host.Name = p.Host
	wl := &w.Winlog
	wl.EventID, wl.ProviderName, wl.Channel = id, "Microsoft-Windows-Sysmon", "Microsoft-Windows-Sysmon/Operational"
	wl.ComputerName, wl.RecordID, wl.EventData = p.fqdn(), int64(100000+r.IntN(900000)), data
	g.emit(g.streams.sysmon, t, w, 1)
}

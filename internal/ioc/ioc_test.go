package ioc

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/unmask/unmask"
)

func MustOpen(tb testing.TB, name string) io.Reader {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return strings.NewReader(string(b))
}

type tv struct {
	Type  unmask.IndicatorType
	Value string
}

func values(inds []unmask.Indicator) []tv {
	var out []tv
	for _, in := range inds {
		out = append(out, tv{in.Type, in.Value})
	}
	return out
}

func TestNormalize(t *testing.T) {
	tests := []struct {
		name    string
		t       unmask.IndicatorType
		in      string
		want    string
		wantErr bool
	}{
		{name: "gmail", t: unmask.IOCEmail, in: "John.Doe+x@GoogleMail.com", want: "johndoe@gmail.com"},
		{name: "defanged_email", t: unmask.IOCEmail, in: "john[@]evil[.]example", want: "john@evil.example"},
		{name: "phone", t: unmask.IOCPhone, in: "+44 7400 123456", want: "+447400123456"},
		{name: "phone_national_rejected", t: unmask.IOCPhone, in: "07400 123456", wantErr: true},
		{name: "github_url", t: unmask.IOCGitHubLogin, in: "https://github.com/Fake-Dev", want: "fake-dev"},
		{name: "github_at", t: unmask.IOCGitHubLogin, in: "@Fake-Dev", want: "fake-dev"},
		{name: "github_invalid", t: unmask.IOCGitHubLogin, in: "not valid!", wantErr: true},
		{name: "domain_wildcard_url", t: unmask.IOCDomain, in: "*.Evil.Example.", want: "evil.example"},
		{name: "domain_from_url", t: unmask.IOCDomain, in: "hxxps://evil[.]example/path", want: "evil.example"},
		{name: "domain_invalid", t: unmask.IOCDomain, in: "no spaces.com x", wantErr: true},
		{name: "evm_wallet_case", t: unmask.IOCWallet, in: "0xABCDEF0123456789ABCDEF0123456789ABCDEF01", want: "0xabcdef0123456789abcdef0123456789abcdef01"},
		{name: "btc_legacy_case_kept", t: unmask.IOCWallet, in: "1BoatSLRHtKNngkdXEeobR76b53LETtpyT", want: "1BoatSLRHtKNngkdXEeobR76b53LETtpyT"},
		{name: "bech32", t: unmask.IOCWallet, in: "BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ", want: "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"},
		{name: "wallet_invalid", t: unmask.IOCWallet, in: "0x123", wantErr: true},
		{name: "url", t: unmask.IOCURL, in: "HTTPS://Evil.Example/Apply#x", want: "https://evil.example/Apply"},
		{name: "ip_mapped", t: unmask.IOCIP, in: "::ffff:203.0.113.9", want: "203.0.113.9"},
		{name: "cidr_masked", t: unmask.IOCCIDR, in: "203.0.113.9/24", want: "203.0.113.0/24"},
		{name: "iban", t: unmask.IOCBankAccount, in: "GB82 WEST 1234 5698 7654 32", want: "iban:GB82WEST12345698765432"},
		{name: "aba", t: unmask.IOCBankAccount, in: "011000015:123456789", want: "aba:011000015:123456789"},
		{name: "sha256", t: unmask.IOCFileHash, in: strings.Repeat("AB", 32), want: strings.Repeat("ab", 32)},
		{name: "address", t: unmask.IOCAddress, in: "123 Main Street Apt 4, Springfield, IL 62704", want: "US|62704|123 MAIN ST|4"},
		{name: "unknown_type", t: "telegram", in: "x", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Normalize(tt.t, tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Normalize(%q, %q) error = %v, wantErr %v", tt.t, tt.in, err, tt.wantErr)
			}
			if err == nil && got != tt.want {
				t.Errorf("Normalize(%q, %q) = %q, want %q", tt.t, tt.in, got, tt.want)
			}
		})
	}
}

func TestLoaders(t *testing.T) {
	tests := []struct {
		name        string
		load        func(io.Reader, string) (Result, error)
		file        string
		want        []tv
		wantSkipped int
	}{
		{name: "csv", load: LoadCSV, file: "iocs.csv", wantSkipped: 2, want: []tv{
			{unmask.IOCEmail, "johndoe@gmail.com"}, {unmask.IOCPhone, "+12025550199"},
			{unmask.IOCGitHubLogin, "fake-dev-42"}, {unmask.IOCDomain, "fake-staffing.example"},
			{unmask.IOCWallet, "0xabcdef0123456789abcdef0123456789abcdef01"}, {unmask.IOCEmail, "expired@example.org"},
		}},
		{name: "json", load: LoadJSON, file: "iocs.json", wantSkipped: 1, want: []tv{
			{unmask.IOCEmail, "johndoe@gmail.com"}, {unmask.IOCGitHubLogin, "fake-dev-42"}, {unmask.IOCCIDR, "203.0.113.0/24"},
		}},
		{name: "stix", load: LoadSTIX, file: "bundle.json", wantSkipped: 2, want: []tv{
			{unmask.IOCGitHubLogin, "fake-dev-42"},
			{unmask.IOCWallet, "0xabcdef0123456789abcdef0123456789abcdef01"}, {unmask.IOCPhone, "+12025550199"}, {unmask.IOCCIDR, "198.51.100.0/24"},
			{unmask.IOCEmail, "johndoe@gmail.com"}, {unmask.IOCDomain, "fake-staffing.example"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := tt.load(MustOpen(t, tt.file), "test-feed")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, values(res.Indicators)); diff != "" {
				t.Errorf("indicators mismatch (-want +got):\n%s", diff)
			}
			if res.Skipped != tt.wantSkipped || len(res.Reasons) != tt.wantSkipped {
				t.Errorf("Skipped = %d, reasons %q; want %d", res.Skipped, res.Reasons, tt.wantSkipped)
			}
			for _, in := range res.Indicators {
				if err := in.Validate(); err != nil || in.Source != "test-feed" {
					t.Errorf("indicator %+v: %v", in, err)
				}
			}
		})
	}
}

func TestLoadDetails(t *testing.T) {
	res, err := LoadSTIX(MustOpen(t, "bundle.json"), "feed")
	if err != nil {
		t.Fatal(err)
	}
	gh := res.Indicators[0]
	want := unmask.Indicator{
		Type: unmask.IOCGitHubLogin, Value: "fake-dev-42", Source: "feed", Confidence: 50,
		Description: "Persona GitHub [indicator--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061]",
		ValidUntil:  time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	if diff := cmp.Diff(want, gh); diff != "" {
		t.Errorf("STIX indicator mismatch (-want +got):\n%s", diff)
	}
	csvRes, err := LoadCSV(MustOpen(t, "iocs.csv"), "feed")
	if err != nil {
		t.Fatal(err)
	}
	if got := csvRes.Indicators[0]; got.Confidence != 90 || got.Description != "persona cluster A" {
		t.Errorf("CSV indicator = %+v", got)
	}
	if !strings.HasPrefix(csvRes.Reasons[0], "line 9:") {
		t.Errorf("reason %q should name the line", csvRes.Reasons[0])
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name string
		load func(io.Reader, string) (Result, error)
		in   string
	}{
		{name: "csv_empty", load: LoadCSV, in: ""},
		{name: "csv_no_value_column", load: LoadCSV, in: "type,val\nemail,x@y.com\n"},
		{name: "csv_bad_quotes", load: LoadCSV, in: "type,value\nemail,\"x@y.com\n"},
		{name: "json_object", load: LoadJSON, in: `{"type":"email"}`},
		{name: "json_truncated", load: LoadJSON, in: `[{"type":"email"`},
		{name: "stix_garbage", load: LoadSTIX, in: `not json`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := tt.load(strings.NewReader(tt.in), "feed"); unmask.ErrorCode(err) != unmask.EINVALID {
				t.Errorf("error = %v, want EINVALID", err)
			}
		})
	}
}

func TestMatcherSignals(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	res, err := LoadCSV(MustOpen(t, "iocs.csv"), "feed")
	if err != nil {
		t.Fatal(err)
	}
	m := NewMatcher(res.Indicators, MatcherOptions{Now: func() time.Time { return now }})
	obs := []Observed{
		{PersonID: "p1", Type: unmask.IOCEmail, Value: "johndoe@gmail.com", Display: "j***@gmail.com", EventID: "ev1"},
		{PersonID: "p2", Type: unmask.IOCEmail, Value: "hr@fake-staffing.example", Display: "h***@fake-staffing.example"},
		{PersonID: "p3", Type: unmask.IOCEmail, Value: "expired@example.org", Display: "e***@example.org"},
		{PersonID: "p4", Type: unmask.IOCGitHubLogin, Value: "octocat", Display: "octocat"},
		{PersonID: "p5", Type: unmask.IOCGitHubLogin, Value: "fake-dev-42", Display: "fake-dev-42"},
	}
	got := m.Signals(obs)
	want := []unmask.Signal{
		{PersonID: "p1", Indicator: "H-03", Detector: DetectorName, Severity: unmask.SeverityHigh, Weight: 0.95,
			EventIDs: []string{"ev1"}, Explanation: "E-mail j***@gmail.com matches a threat-intelligence indicator from feed (confidence 90).",
			Key: "ioc:email:johndoe@gmail.com", Time: now, LastSeen: now, Count: 1},
		{PersonID: "p2", Indicator: "H-03", Detector: DetectorName, Severity: unmask.SeverityMedium, Weight: 0.48,
			Explanation: "E-mail h***@fake-staffing.example is on a domain that matches a threat-intelligence indicator from feed (confidence 60).",
			Key:         "ioc:domain:fake-staffing.example", Time: now, LastSeen: now, Count: 1},
		{PersonID: "p5", Indicator: "H-03", Detector: DetectorName, Severity: unmask.SeverityHigh, Weight: 0.9,
			Explanation: "GitHub account fake-dev-42 matches a threat-intelligence indicator from feed (confidence 80).",
			Key:         "ioc:github_login:fake-dev-42", Time: now, LastSeen: now, Count: 1},
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
		t.Errorf("Signals mismatch (-want +got):\n%s", diff)
	}
}

func TestMatcherKeyedHash(t *testing.T) {
	hash := func(t unmask.IndicatorType, v string) string { return "h(" + string(t) + ":" + v + ")" }
	m := NewMatcher([]unmask.Indicator{{Type: unmask.IOCPhone, Value: "+12025550199", Source: "f", Confidence: 70}}, MatcherOptions{Key: hash})
	got := m.Signals([]Observed{{PersonID: "p1", Type: unmask.IOCPhone, Key: "h(phone:+12025550199)", Display: "+1 ***-***-0199"}})
	if len(got) != 1 || strings.Contains(got[0].Explanation, "5550199") {
		t.Fatalf("Signals = %+v, want one masked match", got)
	}
}

func fuzzSeeds(f *testing.F, names ...string) {
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join("testdata", n))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

func FuzzLoadCSV(f *testing.F) {
	fuzzSeeds(f, "iocs.csv")
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := LoadCSV(strings.NewReader(string(data)), "fuzz")
		checkResult(t, res, err)
	})
}

func FuzzLoadJSON(f *testing.F) {
	fuzzSeeds(f, "iocs.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := LoadJSON(strings.NewReader(string(data)), "fuzz")
		checkResult(t, res, err)
	})
}

func FuzzLoadSTIX(f *testing.F) {
	fuzzSeeds(f, "bundle.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := LoadSTIX(strings.NewReader(string(data)), "fuzz")
		checkResult(t, res, err)
	})
}

func checkResult(t *testing.T, res Result, err error) {
	t.Helper()
	if err != nil {
		if unmask.ErrorCode(err) == unmask.EINTERNAL {
			t.Fatalf("uncoded error: %v", err)
		}
		return
	}
	for _, in := range res.Indicators {
		if err := in.Validate(); err != nil {
			t.Fatalf("invalid indicator %+v: %v", in, err)
		}
		again, err := Normalize(in.Type, in.Value)
		if err != nil || again != in.Value {
			t.Fatalf("value %q of %s is not a fixed point: %q, %v", in.Value, in.Type, again, err)
		}
	}
}

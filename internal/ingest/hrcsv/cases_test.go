package hrcsv_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/ingest"
	"github.com/unmask/unmask/internal/ingest/hrcsv"
	"github.com/unmask/unmask/internal/ingest/ingesttest"
)

// fakeHash stands in for the keyed hash of internal/idhash.
func fakeHash(kind unmask.IdentifierKind, v string) string {
	return "h(" + string(kind) + ":" + v[len(v)-2:] + ")"
}

func newFormat() ingest.Format {
	f, err := hrcsv.New(hrcsv.Options{Hash: fakeHash, MaxRecord: 64 << 10}) // small, so that the over-limit case stays small
	if err != nil {
		panic(err)
	}
	return f
}

const spotHeader = "check_id,employee_id,email,checked_at,result,method\n"

var badInputs = []ingesttest.BadInput{
	{Name: "missing-column-in-row", In: spotHeader + "SC-1,E1,a@b.example,2026-03-12T17:00:00Z,pass\nSC-2,E1,a@b.example,2026-03-12T17:00:00Z,pass,video\n",
		WantEvents: 1, Want: []string{"2:52:csv row has 5 fields, the header has 6 (missing or extra columns)"}},
	{Name: "extra-column-in-row", In: spotHeader + "SC-1,E1,a@b.example,2026-03-12T17:00:00Z,pass,video,x\nSC-2,E1,a@b.example,2026-03-12T17:00:00Z,pass,video\n",
		WantEvents: 1, Want: []string{"2:52:csv row has 7 fields, the header has 6 (missing or extra columns)"}},
	{Name: "bad-values", In: spotHeader + "SC-1,,not-an-email,yesterday,maybe,video\nSC-2,E1,a@b.example,2026-03-12T17:00:00Z,pass,video\n",
		WantEvents: 1, Want: []string{"2:52:csv row"}},
	{Name: "header-missing-required", In: "check_id,email,checked_at,result,method\nSC-1,a@b.example,2026-03-12T17:00:00Z,pass,video\n",
		Want: []string{"1:0:csv header", "2:40:csv header is unusable"}},
	{Name: "header-unknown-column", In: spotHeader[:len(spotHeader)-1] + ",favourite_colour\nSC-1,E1,a@b.example,2026-03-12T17:00:00Z,pass,video,red\n",
		Want: []string{"1:0:csv header", "2:69:csv header is unusable"}},
	{Name: "unterminated-quote", In: spotHeader + "SC-1,E1,a@b.example,2026-03-12T17:00:00Z,pass,\"video\n", Want: []string{"2:52:csv row"}},
	{Name: "bare-quote", In: spotHeader + "SC-1,E1,a\"b@x.example,2026-03-12T17:00:00Z,pass,video\nSC-2,E1,a@b.example,2026-03-12T17:00:00Z,pass,video\n",
		WantEvents: 1, Want: []string{"2:52:csv row"}},
	{Name: "invalid-utf8", In: spotHeader + "SC-1,E1,a@b.example,2026-03-12T17:00:00Z,pass,\xff\nSC-2,E1,a@b.example,2026-03-12T17:00:00Z,pass,video\n",
		WantEvents: 1, Want: []string{"2:52:invalid UTF-8 at byte 46 of the record"}},
	{Name: "row-over-limit", In: spotHeader + "SC-1,E1,a@b.example,2026-03-12T17:00:00Z,pass,\"" + strings.Repeat("v\n", 40<<10) + "\"\nSC-2,E1,a@b.example,2026-03-12T17:00:00Z,pass,video\n",
		WantEvents: 1, Want: []string{"2:52:record exceeds the 65536-byte limit"}},
	{Name: "corrupt-gzip", In: "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xffgarbage", WantErr: "flate: corrupt input"},
	{Name: "crlf-and-bom", In: "\xef\xbb\xbf" + strings.ReplaceAll(spotHeader+"SC-1,E1,a@b.example,2026-03-12T17:00:00Z,pass,video\n", "\n", "\r\n"),
		WantEvents: 1},
}

func benchInput(tb testing.TB) []byte {
	b := ingesttest.MustReadFile(tb, "testdata/employees.csv")
	header, rows, _ := strings.Cut(string(b), "\n")
	return []byte(header + "\n" + strings.Repeat(rows, 400))
}

func TestBadValueReasons(t *testing.T) {
	in := spotHeader + "SC-1,,not-an-email,yesterday,maybe,video\n"
	c := ingesttest.MustDecode(t, newFormat(), []byte(in))
	want := "csv row: employee_id: required value missing; email: not an e-mail address; checked_at: not a time " +
		"(want RFC 3339, e.g. 2026-03-01T09:00:00Z); result: not one of pass, fail, no_show, inconclusive"
	if len(c.Rejects) != 1 {
		t.Fatalf("got %d rejects, want 1", len(c.Rejects))
	}
	if diff := cmp.Diff(want, c.Rejects[0].Reason); diff != "" {
		t.Errorf("reason mismatch (-want +got):\n%s", diff)
	}
}

func TestAccountNumbersNeverInClear(t *testing.T) {
	in := "event_id,employee_id,email,changed_at,bank_name,bank_country,account_number\n" +
		"P1,E1,a@b.example,2026-03-05T14:22:00Z,Bank,US,DE89370400440532013000\n" +
		"P2,E1,a@b.example,2026-03-05T14:22:00Z,Bank,USA,DE89370400440532013000\n" +
		"P3,E1,a@b.example,DE89370400440532013000\n"
	c := ingesttest.MustDecode(t, newFormat(), []byte(in))
	if len(c.Events) != 1 || len(c.Rejects) != 2 {
		t.Fatalf("got %d events and %d rejects, want 1 and 2", len(c.Events), len(c.Rejects))
	}
	e := c.Events[0]
	if got := e.Fields["account_number_masked"]; got != "****3000" {
		t.Errorf("masked account = %q, want ****3000", got)
	}
	if got := e.Fields["account_number_hash"]; got != "h(bank_account:00)" {
		t.Errorf("account hash = %q, want the injected hash", got)
	}
	for _, b := range [][]byte{e.Raw, c.Rejects[0].Raw, c.Rejects[1].Raw, []byte(c.Rejects[0].Reason), []byte(c.Rejects[1].Reason)} {
		if strings.Contains(string(b), "0532013000") {
			t.Errorf("account number in clear in %q", b)
		}
	}
}

func TestNewUnknownKind(t *testing.T) {
	if _, err := hrcsv.New(hrcsv.Options{Kind: "timesheets"}); unmask.ErrorCode(err) != unmask.EINVALID {
		t.Errorf("New(timesheets) error = %v, want EINVALID", err)
	}
	for _, k := range hrcsv.Kinds() {
		if _, err := hrcsv.New(hrcsv.Options{Kind: k}); err != nil {
			t.Errorf("New(%s): %v", k, err)
		}
	}
}

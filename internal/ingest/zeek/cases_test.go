package zeek_test

import (
	"strings"
	"testing"

	"github.com/unmask/unmask/internal/ingest"
	"github.com/unmask/unmask/internal/ingest/ingesttest"
	"github.com/unmask/unmask/internal/ingest/zeek"
)

// newFormat caps records at 64 KiB so that the over-limit cases stay small.
func newFormat() ingest.Format { return zeek.New(64 << 10) }

const sampleDir = "samples/zeek"

// sampleCounts are the record counts SOURCES.md gives for each file; the Splunk envelopes
// at the end of the dns and ssl files hold one Zeek record each.
var sampleCounts = map[string]ingesttest.Counts{
	"elastic_test-conn.log":                      {Records: 18, Events: 18},
	"elastic_test-dns.log":                       {Records: 8, Events: 8},
	"elastic_test-ssl.log":                       {Records: 12, Events: 12},
	"zeek_baseline_core.tunnels.teredo_conn.log": {Records: 21, Events: 21},
	"zeek_baseline_scripts.base.protocols.dns.multiple-txt-strings_dns.log": {Records: 1, Events: 1},
	"zeek_baseline_scripts.base.protocols.ssl.basic_ssl.log":                {Records: 1, Events: 1},
}

const tsvHeader = "#separator \\x09\n#path\tdns\n#fields\tts\tquery\tanswers\n"

var badInputs = []ingesttest.BadInput{
	{Name: "tsv-missing-column", In: tsvHeader + "1773736000.1\texample.com\n1773736000.2\texample.org\t1.2.3.4\n",
		WantEvents: 1, Want: []string{"4:51:decode zeek line"}},
	{Name: "tsv-extra-column", In: tsvHeader + "1773736000.1\ta\tb\tc\n1773736000.2\texample.org\t1.2.3.4\n",
		WantEvents: 1, Want: []string{"4:51:decode zeek line"}},
	{Name: "tsv-bad-escape", In: tsvHeader + "1773736000.1\tbad\\xZZ\t-\n1773736000.2\texample.org\t-\n",
		WantEvents: 1, Want: []string{"4:51:decode zeek line"}},
	{Name: "tsv-bad-ts", In: tsvHeader + "yesterday\texample.com\t-\n1773736000.2\texample.org\t-\n",
		WantEvents: 1, Want: []string{"4:51:decode zeek record"}},
	{Name: "tsv-data-before-fields", In: "#separator \\x09\n1773736000.1\tx\n", Want: []string{"2:16:decode zeek line"}},
	{Name: "tsv-invalid-utf8", In: tsvHeader + "1773736000.1\t\xff\t-\n1773736000.2\texample.org\t-\n",
		WantEvents: 1, Want: []string{"4:51:invalid UTF-8 at byte 13 of the record"}},
	{Name: "tsv-line-over-limit", In: tsvHeader + "1773736000.1\t" + strings.Repeat("a", 70<<10) + "\t-\n1773736000.2\texample.org\t-\n",
		WantEvents: 1, Want: []string{"4:51:record exceeds the 65536-byte limit"}},
	{Name: "json-line-over-limit", In: `{"ts":1773736000.1,"query":"` + strings.Repeat("a", 70<<10) + `"}` + "\n" + `{"ts":1773736000.2,"query":"b.example"}`,
		WantEvents: 1, Want: []string{"1:0:record exceeds the 65536-byte limit"}},
	{Name: "truncated-gzip", In: string(gzipPrefix), WantErr: "unexpected EOF"},
	{Name: "json-truncated", In: `{"ts":1773736000.1,"query":"a.example"}` + "\n" + `{"ts":17737` + "\n" + `{"ts":1773736000.2,"query":"b.example"}`,
		WantEvents: 2, Want: []string{"2:40:malformed JSON at offset 51"}},
	{Name: "json-envelope-without-raw", In: `{"preview":false,"result":{"_bkt":"x"}}` + "\n" + `{"ts":1773736000.2,"query":"b.example"}`,
		WantEvents: 1, Want: []string{"1:0:decode zeek record"}},
	{Name: "json-wrong-type-raw", In: `{"result":{"_raw":5}}` + "\n" + `{"ts":1773736000.2,"query":"b.example"}`,
		WantEvents: 1, Want: []string{"1:0:decode zeek record"}},
}

// gzipPrefix is the start of a gzip stream, cut inside its header.
var gzipPrefix = []byte{0x1f, 0x8b, 0x08, 0x00, 0x00}

func benchInput(tb testing.TB) []byte { return ingesttest.Repeat(tb, "testdata/conn_tsv.log", 300) }

package okta

import (
	"bufio"
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/unmask/unmask/internal/ingest"
)

// slowDecode is decodeRecord's fallback alone.
func slowDecode(raw []byte) (*logEvent, bool) {
	var le logEvent
	if err := json.Unmarshal(raw, &le); err != nil {
		return nil, false
	}
	return &le, true
}

// checkFast fails t if the fast path accepts raw but gives another logEvent (or other
// debugData) than json.Unmarshal, or accepts what json.Unmarshal refuses.
func checkFast(t *testing.T, raw []byte) {
	t.Helper()
	d := decoders.New().(*decoder)
	var fast logEvent
	ok := d.fastDecode(raw, &fast)
	slow, sok := slowDecode(raw)
	if !ok {
		return
	}
	if !sok {
		t.Fatalf("fast path accepted what json.Unmarshal refuses: %q", raw)
	}
	dbg := map[string]string{}
	for _, f := range d.dbg {
		dbg[f.k[len(debugPrefix):]] = f.v
	}
	want := map[string]string{}
	for k, v := range slow.Debug.Data {
		want[k] = ingest.JSONText(v)
	}
	slow.Debug.Data = nil
	if len(slow.Target) == 0 && len(fast.Target) == 0 {
		slow.Target, fast.Target = nil, nil
	}
	if !reflect.DeepEqual(&fast, slow) {
		t.Fatalf("fast path differs for %q:\nfast %+v\nslow %+v", raw, fast, *slow)
	}
	if !reflect.DeepEqual(dbg, want) {
		t.Fatalf("fast path debugData differs for %q:\nfast %q\nslow %q", raw, dbg, want)
	}
}

func fastSeeds(tb testing.TB) [][]byte {
	var out [][]byte
	files, _ := filepath.Glob("testdata/*.ndjson")
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		sc := bufio.NewScanner(bytes.NewReader(b))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			out = append(out, bytes.Clone(sc.Bytes()))
		}
	}
	for _, s := range []string{
		`{"eventType":"x","published":"2026-03-05T01:02:03Z","EventType":"y"}`,
		`{"eventtype":"x"}`,
		`{"eventType":"x","eventType":"y"}`,
		`{"eventType":"x","actor":{"id":"a"},"actor":{"type":"b"}}`,
		`{"eventType":"a\u0041\n\"b","displayMessage":"caf\u00e9 ☕"}`,
		`{"eventType":"x","target":[null,{"id":"t","displayName":"T"}],"device":null}`,
		`{"eventType":"x","target":{}}`,
		`{"eventType":"x","securityContext":{"asNumber":7.0}}`,
		`{"eventType":"x","securityContext":{"asNumber":-12,"isProxy":{"a": [1, 2]}}}`,
		`{"eventType":"x","client":{"geographicalContext":{"postalCode":80302,"geolocation":{"lat":1e2,"lon":-0.5}}}}`,
		`{"eventType":"x","debugContext":{"debugData":{"a":"1","a":null,"b":{"c" : [ 1 ]},"c":"x\ty"}}}`,
		`{"eventType":"x","debugContext":{"debugData":null}}`,
		`{"eventType":"x","unknown":[1,{"a":[true,false,null]}],"uuid":null}`,
		`{"eventType":"x","published":1700000000}`,
		`{"eventType":"x","published":null}`,
		`{"eventType":"x","published":"2026-03-05 01:02:03"}`,
		`{"eventType":"x","device":{"managed":true,"registered":"yes","id":"d1"}}`,
		`{"eventType":"x",}`,
		`{"eventType":"x"} x`,
		`{"eventType":01}`,
		`{"eventType":"x","uuid":"\ud800"}`,
		` {"eventType":"x"} `,
		`[]`,
		`"x"`,
	} {
		out = append(out, []byte(s))
	}
	return out
}

func TestFastPathMatchesUnmarshal(t *testing.T) {
	for _, raw := range fastSeeds(t) {
		checkFast(t, raw)
	}
	// Every valid record in the fixtures takes the fast path.
	d := decoders.New().(*decoder)
	for _, raw := range fastSeeds(t)[:3] {
		var le logEvent
		if !d.fastDecode(raw, &le) {
			t.Errorf("fast path refused %q", raw)
		}
	}
}

func FuzzFastPath(f *testing.F) {
	for _, raw := range fastSeeds(f) {
		f.Add(raw)
	}
	f.Fuzz(checkFast)
}

// randValue returns a random JSON value, biased to the shapes LogEvents have.
func randValue(r *rand.Rand, depth int) any {
	strs := []string{"", "x", "user.session.start", "a\"b\\c/d\n\te", "<&>", "café ☕", "\u2028", "12345678901234567890abcdefghijklmnop", "2026-03-05T01:02:03Z", "2026-03-05 01:02:03", "null", "0"}
	switch n := r.IntN(10); {
	case n < 4:
		return strs[r.IntN(len(strs))]
	case n == 4:
		return []any{1, -7, 7922, 0.5, 1e3, -105.27, 1700000000, 12345678901234567890.0}[r.IntN(8)]
	case n == 5:
		return r.IntN(2) == 0
	case n == 6:
		return nil
	case n == 7 && depth < 3:
		a := make([]any, r.IntN(3))
		for i := range a {
			a[i] = randValue(r, depth+1)
		}
		return a
	case depth < 3:
		return randObject(r, depth+1)
	}
	return "leaf"
}

var randKeys = append(append(append([]string{}, topNames...), clientNames...), "id", "type", "alternateId", "displayName",
	"city", "postalCode", "geolocation", "lat", "lon", "rawUserAgent", "os", "result", "asNumber", "isProxy", "debugData",
	"externalSessionId", "authenticationStep", "managed", "os_platform", "EventType", "ID", "other", "request")

func randObject(r *rand.Rand, depth int) map[string]any {
	m := map[string]any{}
	for range r.IntN(6) {
		m[randKeys[r.IntN(len(randKeys))]] = randValue(r, depth)
	}
	return m
}

// TestFastPathRandom checks the fast path against json.Unmarshal on random records built
// from the LogEvent field names, of mostly valid and often mistyped values.
func TestFastPathRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	accepted := 0
	for range 4000 {
		m := randObject(r, 0)
		m["eventType"] = "user.session.start"
		if r.IntN(2) == 0 {
			m["published"] = "2026-03-05T01:02:03.5Z"
		}
		for _, k := range []string{"actor", "client", "securityContext", "debugContext", "target", "device"} {
			if r.IntN(2) == 0 {
				switch k {
				case "target":
					m[k] = []any{randObject(r, 1), nil, randObject(r, 1)}
				case "debugContext":
					m[k] = map[string]any{"debugData": randObject(r, 1)}
				case "client":
					m[k] = map[string]any{"ipAddress": "1.2.3.4", "geographicalContext": map[string]any{"geolocation": map[string]any{"lat": 1.5, "lon": randValue(r, 3)}, "postalCode": randValue(r, 3)}, "userAgent": randObject(r, 2)}
				default:
					m[k] = randObject(r, 1)
				}
			}
		}
		raw, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		if r.IntN(3) == 0 {
			raw, _ = json.MarshalIndent(m, " ", "\t")
		}
		checkFast(t, raw)
		var le logEvent
		if decoders.New().(*decoder).fastDecode(raw, &le) {
			accepted++
		}
	}
	if accepted < 500 {
		t.Errorf("fast path took only %d of the random records", accepted)
	}
	t.Logf("fast path took %d of 4000", accepted)
}

// TestFastPathSameEvents decodes the fixtures and the shared samples with the fast path
// and without it and compares every event and reject.
func TestFastPathSameEvents(t *testing.T) {
	paths, _ := filepath.Glob("testdata/*")
	samples, _ := filepath.Glob("../../../../shared/samples/okta/*")
	for _, p := range append(paths, samples...) {
		if strings.HasSuffix(p, ".golden.json") {
			continue
		}
		in, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		decode := func(fast bool) *ingest.Collector {
			defer func(old bool) { fastPath = old }(fastPath)
			fastPath = fast
			var c ingest.Collector
			if err := New(0).Decode(t.Context(), bytes.NewReader(in), &c); err != nil {
				t.Fatal(err)
			}
			return &c
		}
		slow, fast := decode(false), decode(true)
		if diff := cmp.Diff(slow, fast); diff != "" {
			t.Errorf("%s: fast path changes the output (-slow +fast):\n%s", p, diff)
		}
	}
}

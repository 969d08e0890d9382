package contact

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/unmask/unmask"
)

func TestHTTPLookup(t *testing.T) {
	tests := []struct {
		name     string
		number   string
		status   int
		body     string
		want     LineInfo
		wantCode string
	}{
		{name: "plain_voip", number: "+12025550142", status: 200,
			body: `{"line_type":"nonFixedVoip","carrier":"Google (Grand Central)"}`,
			want: LineInfo{Type: LineVoIP, Carrier: "Google (Grand Central)"}},
		{name: "twilio_mobile", number: "+12025550143", status: 200,
			body: `{"phone_number":"+12025550143","line_type_intelligence":{"type":"mobile","carrier_name":"Verizon"}}`,
			want: LineInfo{Type: LineMobile, Carrier: "Verizon"}},
		{name: "landline", number: "+12025550144", status: 200, body: `{"line_type":"landline"}`,
			want: LineInfo{Type: LineFixed}},
		{name: "unknown_word", number: "+12025550145", status: 200, body: `{"line_type":"satellite"}`,
			want: LineInfo{Type: LineUnknown}},
		{name: "not_found", number: "+12025550146", status: 404, body: `{}`, wantCode: unmask.ENOTFOUND},
		{name: "rate_limited", number: "+12025550147", status: 429, body: `{}`, wantCode: unmask.ELIMITED},
		{name: "server_error", number: "+12025550148", status: 503, body: `oops`, wantCode: unmask.EUNAVAILABLE},
		{name: "bad_json", number: "+12025550149", status: 200, body: `{"line_type":`, wantCode: unmask.EUNAVAILABLE},
		{name: "not_e164", number: "2025550142", wantCode: unmask.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var gotPath, gotAuth, gotQuery string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				gotPath, gotAuth, gotQuery = r.URL.Path, r.Header.Get("Authorization"), r.URL.RawQuery
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}))
			t.Cleanup(srv.Close)
			l, err := NewHTTPLookup(HTTPLookupOptions{BaseURL: srv.URL + "/v2/PhoneNumbers/", APIKey: "k3y", Query: "Fields=line_type_intelligence"})
			if err != nil {
				t.Fatal(err)
			}
			got, err := l.LookupLineType(t.Context(), tt.number)
			if code := unmask.ErrorCode(err); code != tt.wantCode {
				t.Fatalf("LookupLineType error = %v, want code %q", err, tt.wantCode)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("LookupLineType mismatch (-want +got):\n%s", diff)
			}
			if tt.wantCode == unmask.EINVALID {
				return
			}
			if want := "/v2/PhoneNumbers/" + tt.number; gotPath != want {
				t.Errorf("path = %q, want %q", gotPath, want)
			}
			if gotAuth != "Bearer k3y" || gotQuery != "Fields=line_type_intelligence" {
				t.Errorf("auth %q query %q", gotAuth, gotQuery)
			}
		})
	}
}

func TestNewHTTPLookupRejectsBadURL(t *testing.T) {
	for _, u := range []string{"", "ftp://x", "http://", "::"} {
		if _, err := NewHTTPLookup(HTTPLookupOptions{BaseURL: u}); unmask.ErrorCode(err) != unmask.EINVALID {
			t.Errorf("NewHTTPLookup(%q) error = %v, want EINVALID", u, err)
		}
	}
}

func TestHTTPLookupUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	l, err := NewHTTPLookup(HTTPLookupOptions{BaseURL: url})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.LookupLineType(t.Context(), "+12025550142"); unmask.ErrorCode(err) != unmask.EUNAVAILABLE {
		t.Errorf("error = %v, want EUNAVAILABLE", err)
	}
}

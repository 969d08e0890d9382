package contact

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/unmask/unmask"
)

func TestParsePhone(t *testing.T) {
	tests := []struct {
		name    string
		raw     string
		region  string
		want    Phone
		wantErr string
	}{
		{name: "us_national", raw: "(202) 555-0142", region: "US",
			want: Phone{E164: "+12025550142", CountryCode: 1, Region: "US", Type: LineFixedOrMobile}},
		{name: "us_international_dots", raw: "+1.202.555.0142",
			want: Phone{E164: "+12025550142", CountryCode: 1, Region: "US", Type: LineFixedOrMobile}},
		{name: "gb_voip_range", raw: "+44 56 1234 5678",
			want: Phone{E164: "+445612345678", CountryCode: 44, Region: "GB", Type: LineVoIP}},
		{name: "gb_mobile", raw: "07400 123456", region: "gb",
			want: Phone{E164: "+447400123456", CountryCode: 44, Region: "GB", Type: LineMobile}},
		{name: "kr_voip_range", raw: "070-1234-5678", region: "KR",
			want: Phone{E164: "+827012345678", CountryCode: 82, Region: "KR", Type: LineVoIP}},
		{name: "cn_mobile", raw: "+86 138 0013 8000",
			want: Phone{E164: "+8613800138000", CountryCode: 86, Region: "CN", Type: LineMobile}},
		{name: "empty", raw: "  ", wantErr: unmask.EINVALID},
		{name: "letters", raw: "call me maybe", region: "US", wantErr: unmask.EINVALID},
		{name: "too_short", raw: "+1 202", wantErr: unmask.EINVALID},
		{name: "no_region_national", raw: "2025550142", wantErr: unmask.EINVALID},
		{name: "too_long", raw: "+1 202 555 0142 0000000000000000000000000000000000000000000000000000", wantErr: unmask.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParsePhone(tt.raw, tt.region)
			if code := unmask.ErrorCode(err); code != tt.wantErr {
				t.Fatalf("ParsePhone(%q) error = %v, want code %q", tt.raw, err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParsePhone(%q) mismatch (-want +got):\n%s", tt.raw, diff)
			}
			if got.VoIP() != (tt.want.Type == LineVoIP) {
				t.Errorf("VoIP() = %v for type %s", got.VoIP(), got.Type)
			}
		})
	}
}

func TestMaskPhone(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{name: "nanp", in: "+12025550142", want: "+1 ***-***-0142"},
		{name: "gb", in: "+447400123456", want: "+44 ***-***-3456"},
		{name: "not_e164", in: "555-0142", want: "***-***-0142"},
		{name: "short", in: "12", want: "****"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MaskPhone(tt.in); got != tt.want {
				t.Errorf("MaskPhone(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzParsePhone(f *testing.F) {
	for _, s := range []string{"+1 202 555 0142", "07400 123456", "+44 56 1234 5678", "070-1234-5678", "", "++", "+8613800138000 ext. 12"} {
		f.Add(s, "US")
	}
	f.Fuzz(func(t *testing.T, raw, region string) {
		p, err := ParsePhone(raw, region)
		if err != nil {
			return
		}
		again, err := ParsePhone(p.E164, "")
		if err != nil {
			t.Fatalf("E.164 %q from %q does not parse again: %v", p.E164, raw, err)
		}
		if again.E164 != p.E164 {
			t.Fatalf("E.164 not stable: %q then %q", p.E164, again.E164)
		}
		_ = MaskPhone(p.E164)
	})
}

func BenchmarkParsePhone(b *testing.B) {
	for b.Loop() {
		if _, err := ParsePhone("(202) 555-0142", "US"); err != nil {
			b.Fatal(err)
		}
	}
}

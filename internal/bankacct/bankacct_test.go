package bankacct

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseUS(t *testing.T) {
	tests := []struct {
		name             string
		routing, account string
		want             Account
		wantErr          bool
	}{
		{name: "valid", routing: "011000015", account: "000123456789",
			want: Account{Key: "aba:011000015:123456789", Country: "US", Last4: "6789"}},
		{name: "spaces_hyphens", routing: "0110-0001 5", account: "1234-5678-9",
			want: Account{Key: "aba:011000015:123456789", Country: "US", Last4: "6789"}},
		{name: "bad_checksum", routing: "011000016", account: "123456789", wantErr: true},
		{name: "short_routing", routing: "01100001", account: "123456789", wantErr: true},
		{name: "zeros_routing", routing: "000000000", account: "123456789", wantErr: true},
		{name: "short_account", routing: "011000015", account: "123", wantErr: true},
		{name: "letters_account", routing: "011000015", account: "12AB5678", wantErr: true},
		{name: "zero_account", routing: "011000015", account: "00000000", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseUS(tt.routing, tt.account)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseUS error = %v, wantErr %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseUS mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseIBAN(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    Account
		wantErr bool
	}{
		{name: "gb_spaced_lower", in: "gb82 west 1234 5698 7654 32",
			want: Account{Key: "iban:GB82WEST12345698765432", Country: "GB", Last4: "5432"}},
		{name: "de", in: "DE89 3704 0044 0532 0130 00",
			want: Account{Key: "iban:DE89370400440532013000", Country: "DE", Last4: "3000"}},
		{name: "bad_check", in: "GB83WEST12345698765432", wantErr: true},
		{name: "wrong_length", in: "GB82WEST1234569876543", wantErr: true},
		{name: "unknown_country", in: "XX82WEST12345698765432", wantErr: true},
		{name: "symbols", in: "GB82WEST1234569876543$", wantErr: true},
		{name: "empty", in: "", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseIBAN(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseIBAN(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseIBAN mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMask(t *testing.T) {
	a, err := ParseUS("011000015", "123456789")
	if err != nil {
		t.Fatal(err)
	}
	if got := a.Mask(); got != "****6789" {
		t.Errorf("Mask() = %q, want ****6789", got)
	}
}

func FuzzParseIBAN(f *testing.F) {
	for _, s := range []string{"GB82 WEST 1234 5698 7654 32", "DE89370400440532013000", "NO9386011117947", "", "GB00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseIBAN(s)
		if err != nil {
			return
		}
		again, err := ParseIBAN(a.Key[len("iban:"):])
		if err != nil || again != a {
			t.Fatalf("canonical IBAN %q does not round-trip: %+v %v", a.Key, again, err)
		}
	})
}

func FuzzParseUS(f *testing.F) {
	f.Add("011000015", "123456789")
	f.Add("0110-0001 5", "0000")
	f.Fuzz(func(t *testing.T, routing, account string) {
		a, err := ParseUS(routing, account)
		if err != nil {
			return
		}
		if !ValidRouting(a.Key[4:13]) || len(a.Last4) != 4 {
			t.Fatalf("ParseUS(%q, %q) = %+v", routing, account, a)
		}
	})
}

package identity

import (
	"testing"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/bankacct"
	"github.com/unmask/unmask/internal/postal"
)

func TestMask(t *testing.T) {
	addr, err := postal.Parse("123 Main St Apt 4, Springfield, IL 62704, USA")
	if err != nil {
		t.Fatal(err)
	}
	noZip, err := postal.Parse("10 Downing Street, London, UK")
	if err != nil {
		t.Fatal(err)
	}
	acct, err := bankacct.ParseUS("011000015", "123456789")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		kind  unmask.IdentifierKind
		value string
		want  string
	}{
		{name: "phone", kind: unmask.IdentPhone, value: "+12025550142", want: "+1 ***-***-0142"},
		{name: "email", kind: unmask.IdentEmail, value: "johndoe@gmail.com", want: "j***@gmail.com"},
		{name: "address", kind: unmask.IdentAddress, value: addr.FullKey(), want: "*** 62704, US"},
		{name: "address_city", kind: unmask.IdentShipToAddress, value: noZip.FullKey(), want: "*** LONDON, GB"},
		{name: "building", kind: KindBuilding, value: addr.BuildingKey(), want: "*** 62704, US"},
		{name: "bank", kind: unmask.IdentBankAccount, value: acct.Key, want: "****6789"},
		{name: "iban", kind: unmask.IdentBankAccount, value: "iban:GB82WEST12345698765432", want: "****5432"},
		{name: "government_id_short", kind: unmask.IdentGovernmentID, value: "12", want: "****"},
		{name: "github_clear", kind: unmask.IdentGitHubLogin, value: "octocat", want: "octocat"},
		{name: "garbage_address", kind: unmask.IdentAddress, value: "no pipes", want: "***"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Mask(tt.kind, tt.value); got != tt.want {
				t.Errorf("Mask(%s, %q) = %q, want %q", tt.kind, tt.value, got, tt.want)
			}
		})
	}
}

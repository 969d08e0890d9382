package contact

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/unmask/unmask"
)

func TestEmailParse(t *testing.T) {
	n := NewEmailNormalizer(nil, nil)
	tests := []struct {
		name    string
		raw     string
		want    Email
		wantErr string
	}{
		{name: "gmail_dots_tag_case", raw: "John.Doe+Jobs@GMail.com",
			want: Email{Address: "john.doe+jobs@gmail.com", Canonical: "johndoe@gmail.com", Domain: "gmail.com", FreeMail: true}},
		{name: "googlemail_folds", raw: "j.o.h.n.doe@googlemail.com",
			want: Email{Address: "j.o.h.n.doe@gmail.com", Canonical: "johndoe@gmail.com", Domain: "gmail.com", FreeMail: true}},
		{name: "display_name", raw: "John Doe <john.doe@example.org>",
			want: Email{Address: "john.doe@example.org", Canonical: "john.doe@example.org", Domain: "example.org"}},
		{name: "outlook_keeps_dots_drops_tag", raw: "jane.roe+x@outlook.com",
			want: Email{Address: "jane.roe+x@outlook.com", Canonical: "jane.roe@outlook.com", Domain: "outlook.com", FreeMail: true}},
		{name: "corporate_keeps_plus", raw: "a+b@corp.example",
			want: Email{Address: "a+b@corp.example", Canonical: "a+b@corp.example", Domain: "corp.example"}},
		{name: "disposable", raw: "x@mailinator.com",
			want: Email{Address: "x@mailinator.com", Canonical: "x@mailinator.com", Domain: "mailinator.com", Disposable: true}},
		{name: "disposable_subdomain", raw: "x@eu.mailinator.com",
			want: Email{Address: "x@eu.mailinator.com", Canonical: "x@eu.mailinator.com", Domain: "eu.mailinator.com", Disposable: true}},
		{name: "only_tag", raw: "+x@gmail.com", wantErr: unmask.EINVALID},
		{name: "quoted_space", raw: `"a b"@x.com`, wantErr: unmask.EINVALID},
		{name: "quoted_at", raw: `"a@b"@x.com`, wantErr: unmask.EINVALID},
		{name: "unicode_mailbox", raw: "josé@correo.example",
			want: Email{Address: "josé@correo.example", Canonical: "josé@correo.example", Domain: "correo.example"}},
		{name: "no_at", raw: "john.doe.gmail.com", wantErr: unmask.EINVALID},
		{name: "no_tld", raw: "john@localhost", wantErr: unmask.EINVALID},
		{name: "two_addresses", raw: "a@x.com, b@y.com", wantErr: unmask.EINVALID},
		{name: "empty", raw: "", wantErr: unmask.EINVALID},
		{name: "huge", raw: strings.Repeat("a", 300) + "@x.com", wantErr: unmask.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := n.Parse(tt.raw)
			if code := unmask.ErrorCode(err); code != tt.wantErr {
				t.Fatalf("Parse(%q) error = %v, want code %q", tt.raw, err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse(%q) mismatch (-want +got):\n%s", tt.raw, diff)
			}
		})
	}
}

func TestDomainSetLoad(t *testing.T) {
	tests := []struct {
		name    string
		list    string
		check   string
		want    bool
		wantErr bool
	}{
		{name: "comment_and_blank", list: "# list\n\nExample.COM # ours\n", check: "mail.example.com", want: true},
		{name: "parent_not_child", list: "mail.example.com\n", check: "example.com", want: false},
		{name: "bad_line", list: "not a domain\n", wantErr: true},
		{name: "address_line", list: "a@b.com\n", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s DomainSet
			err := s.Load(strings.NewReader(tt.list))
			if (err != nil) != tt.wantErr {
				t.Fatalf("Load error = %v, wantErr %v", err, tt.wantErr)
			}
			if got := s.Contains(tt.check); got != tt.want {
				t.Errorf("Contains(%q) = %v, want %v", tt.check, got, tt.want)
			}
		})
	}
}

func TestUserExtendsFreeMail(t *testing.T) {
	free := FreeMailDomains()
	free.Add("freemail.example")
	got, err := NewEmailNormalizer(free, &DomainSet{}).Parse("a@freemail.example")
	if err != nil {
		t.Fatal(err)
	}
	if !got.FreeMail {
		t.Errorf("user-added free-mail domain not recognised: %+v", got)
	}
	if FreeMailDomains().Contains("freemail.example") {
		t.Error("Add on one set changed the built-in list")
	}
}

func TestMaskEmail(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{name: "plain", in: "john.doe@gmail.com", want: "j***@gmail.com"},
		{name: "unicode", in: "élodie@example.fr", want: "é***@example.fr"},
		{name: "no_at", in: "nobody", want: "***"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MaskEmail(tt.in); got != tt.want {
				t.Errorf("MaskEmail(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzEmailParse(f *testing.F) {
	for _, s := range []string{"John.Doe+Jobs@GMail.com", "Jane <jane@x.org>", `"q"@x.com`, `"a b"@x.com`, "a@b", "@", ""} {
		f.Add(s)
	}
	n := NewEmailNormalizer(nil, nil)
	f.Fuzz(func(t *testing.T, raw string) {
		e, err := n.Parse(raw)
		if err != nil {
			return
		}
		again, err := n.Parse(e.Canonical)
		if err != nil {
			t.Fatalf("canonical %q of %q does not parse: %v", e.Canonical, raw, err)
		}
		if again.Canonical != e.Canonical {
			t.Fatalf("canonical not stable: %q then %q", e.Canonical, again.Canonical)
		}
	})
}

func BenchmarkEmailParse(b *testing.B) {
	n := NewEmailNormalizer(nil, nil)
	for b.Loop() {
		if _, err := n.Parse("John.Doe+Jobs@GMail.com"); err != nil {
			b.Fatal(err)
		}
	}
}

package fullname

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCompare(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want Match
	}{
		{name: "case", a: "John Smith", b: "JOHN SMITH", want: Exact},
		{name: "order_comma", a: "Smith, John", b: "john smith", want: Exact},
		{name: "diacritics", a: "José García", b: "Jose Garcia", want: Exact},
		{name: "apostrophe", a: "Seán O'Brien", b: "Sean OBrien", want: Exact},
		{name: "eszett", a: "Jörg Straße", b: "Jorg Strasse", want: Exact},
		{name: "middle_names", a: "Maria Garcia", b: "Maria Elena Garcia Lopez", want: Partial},
		{name: "initial", a: "J. Smith", b: "John Smith", want: Partial},
		{name: "initials_only", a: "J. S.", b: "John Smith", want: None},
		{name: "different_first", a: "Jane Smith", b: "John Smith", want: None},
		{name: "different_person", a: "Ivan Petrov", b: "John Smith", want: None},
		{name: "one_word_vs_two", a: "Smith", b: "John Smith", want: None},
		{name: "mononym", a: "Suharto", b: "suharto", want: Exact},
		{name: "empty", a: "", b: "John Smith", want: None},
		{name: "punctuation_only", a: "--", b: "--", want: None},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Compare(tt.a, tt.b); got != tt.want {
				t.Errorf("Compare(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
			if got := Compare(tt.b, tt.a); got != tt.want {
				t.Errorf("Compare(%q, %q) = %v, want %v (not symmetric)", tt.b, tt.a, got, tt.want)
			}
		})
	}
}

func TestTokensAndKey(t *testing.T) {
	if diff := cmp.Diff([]string{"anne", "marie", "dupont"}, Tokens("Anne-Marie  DUPONT")); diff != "" {
		t.Errorf("Tokens mismatch (-want +got):\n%s", diff)
	}
	if got, want := Key("Dupont, Anne-Marie"), "anne dupont marie"; got != want {
		t.Errorf("Key = %q, want %q", got, want)
	}
}

func TestSameSurname(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want bool
	}{
		{name: "couple", a: "Ana Silva", b: "Bruno Silva", want: true},
		{name: "double_barrel", a: "Ana Silva Costa", b: "Bruno Costa Silva", want: true},
		{name: "strangers", a: "Ana Silva", b: "Wei Zhang", want: false},
		{name: "single_word", a: "Silva", b: "Ana Silva", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SameSurname(tt.a, tt.b); got != tt.want {
				t.Errorf("SameSurname(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

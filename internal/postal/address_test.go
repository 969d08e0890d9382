package postal

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/unmask/unmask"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name    string
		in      Address
		want    Normalized
		wantErr string
	}{
		{name: "suffix_directional_case",
			in:   Address{Line1: "123 north Main Street", City: "Springfield", Region: "Illinois", Postcode: "62704-1234", Country: "U.S.A."},
			want: Normalized{Street: "123 N MAIN ST", City: "SPRINGFIELD", Region: "IL", Postcode: "62704", Country: "US"}},
		{name: "unit_in_line1",
			in:   Address{Line1: "123 Main St., Apt. 4B", City: "Springfield", Region: "IL", Postcode: "62704", Country: "US"},
			want: Normalized{Street: "123 MAIN ST", Unit: "APT 4B", City: "SPRINGFIELD", Region: "IL", Postcode: "62704", Country: "US"}},
		{name: "hash_unit",
			in:   Address{Line1: "123 Main St #4B", Postcode: "62704", Country: "US"},
			want: Normalized{Street: "123 MAIN ST", Unit: "# 4B", Postcode: "62704", Country: "US"}},
		{name: "unit_in_line2",
			in:   Address{Line1: "500 Oak Avenue", Line2: "Suite 200", City: "Austin", Region: "TX", Postcode: "78701"},
			want: Normalized{Street: "500 OAK AVE", Unit: "STE 200", City: "AUSTIN", Region: "TX", Postcode: "78701", Country: "US"}},
		{name: "trailing_directional",
			in:   Address{Line1: "77 Massachusetts Avenue Northwest", City: "Washington", Region: "DC", Postcode: "20001", Country: "US"},
			want: Normalized{Street: "77 MASSACHUSETTS AVE NW", City: "WASHINGTON", Region: "DC", Postcode: "20001", Country: "US"}},
		{name: "avenue_road_keeps_first_word",
			in:   Address{Line1: "9 Avenue Road", City: "Toronto", Region: "ON", Postcode: "M5R 2G1", Country: "Canada"},
			want: Normalized{Street: "9 AVENUE RD", City: "TORONTO", Region: "ON", Postcode: "M5R2G1", Country: "CA"}},
		{name: "uk_flat_first",
			in:   Address{Line1: "Flat 3, 10 Downing Street", City: "London", Postcode: "sw1a 2aa", Country: "United Kingdom"},
			want: Normalized{Street: "10 DOWNING ST", Unit: "FLAT 3", City: "LONDON", Postcode: "SW1A2AA", Country: "GB"}},
		{name: "po_box",
			in:   Address{Line1: "P.O. Box 12", City: "Reno", Region: "NV", Postcode: "89501"},
			want: Normalized{Street: "PO BOX 12", City: "RENO", Region: "NV", Postcode: "89501", Country: "US"}},
		{name: "us_inferred_only_with_state_and_zip",
			in:   Address{Line1: "1 High St", City: "Oxford", Region: "Oxon", Postcode: "12345"},
			want: Normalized{Street: "1 HIGH ST", City: "OXFORD", Region: "OXON", Postcode: "12345"}},
		{name: "diacritics",
			in:   Address{Line1: "12 Rue de l'Église", City: "Montréal", Region: "QC", Postcode: "H2X 1Y4", Country: "CA"},
			want: Normalized{Street: "12 RUE DE L EGLISE", City: "MONTREAL", Region: "QC", Postcode: "H2X1Y4", Country: "CA"}},
		{name: "no_street", in: Address{City: "Reno"}, wantErr: unmask.EINVALID},
		{name: "too_long", in: Address{Line1: strings.Repeat("x", 2000)}, wantErr: unmask.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Normalize(tt.in)
			if code := unmask.ErrorCode(err); code != tt.wantErr {
				t.Fatalf("Normalize error = %v, want code %q", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Normalize mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Normalized
	}{
		{name: "us_one_line", in: "123 Main St Apt 4, Springfield, IL 62704, USA",
			want: Normalized{Street: "123 MAIN ST", Unit: "APT 4", City: "SPRINGFIELD", Region: "IL", Postcode: "62704", Country: "US"}},
		{name: "unit_component", in: "123 Main Street, Apt 4, Springfield, IL 62704",
			want: Normalized{Street: "123 MAIN ST", Unit: "APT 4", City: "SPRINGFIELD", Region: "IL", Postcode: "62704", Country: "US"}},
		{name: "state_own_component", in: "123 Main Street\nSpringfield\nIllinois\n62704",
			want: Normalized{Street: "123 MAIN ST", City: "SPRINGFIELD", Region: "IL", Postcode: "62704", Country: "US"}},
		{name: "with_and_without_country", in: "9 Elm Court, Dover, DE 19901",
			want: Normalized{Street: "9 ELM CT", City: "DOVER", Region: "DE", Postcode: "19901", Country: "US"}},
		{name: "uk", in: "Flat 3, 10 Downing Street, London, SW1A 2AA, UK",
			want: Normalized{Street: "10 DOWNING ST", Unit: "FLAT 3", City: "LONDON", Postcode: "SW1A2AA", Country: "GB"}},
		{name: "street_only", in: "10 Downing Street",
			want: Normalized{Street: "10 DOWNING ST"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestKeys(t *testing.T) {
	tests := []struct {
		name         string
		a, b         string
		sameBuilding bool
		sameUnit     bool
	}{
		{name: "same_address_spelled_differently", a: "123 North Main Street, Apt 4, Springfield, IL 62704",
			b: "123 N. Main St. #4, Springfield, IL 62704", sameBuilding: true, sameUnit: true},
		{name: "same_unit", a: "123 North Main Street Apt 4, Springfield, Illinois 62704-0001, United States",
			b: "123 N Main St, Apartment 4, Springfield, IL 62704, US", sameBuilding: true, sameUnit: true},
		{name: "same_building_different_unit", a: "500 Oak Ave Apt 1, Austin, TX 78701",
			b: "500 Oak Avenue Apt 7, Austin, TX 78701", sameBuilding: true, sameUnit: false},
		{name: "married_couple_same_unit", a: "9 Elm Ct, Dover, DE 19901", b: "9 Elm Court, Dover, DE 19901",
			sameBuilding: true, sameUnit: true},
		{name: "country_given_or_not", a: "123 Main St, Springfield, IL 62704", b: "123 Main Street, Springfield, Illinois 62704, USA",
			sameBuilding: true, sameUnit: true},
		{name: "different_street_number", a: "9 Elm Ct, Dover, DE 19901", b: "11 Elm Ct, Dover, DE 19901"},
		{name: "same_street_other_city", a: "1 Main St, Dover, DE 19901", b: "1 Main St, Austin, TX 78701"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, errA := Parse(tt.a)
			b, errB := Parse(tt.b)
			if errA != nil || errB != nil {
				t.Fatalf("Parse errors: %v, %v", errA, errB)
			}
			if got := a.BuildingKey() == b.BuildingKey(); got != tt.sameBuilding {
				t.Errorf("same building = %v, want %v (%q vs %q)", got, tt.sameBuilding, a.BuildingKey(), b.BuildingKey())
			}
			if got := a.FullKey() == b.FullKey(); got != tt.sameUnit {
				t.Errorf("same unit = %v, want %v (%q vs %q)", got, tt.sameUnit, a.FullKey(), b.FullKey())
			}
		})
	}
}

func TestMask(t *testing.T) {
	n, err := Parse("123 Main St Apt 4, Springfield, IL 62704, USA")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := n.Mask(), "*** SPRINGFIELD IL 62704, US"; got != want {
		t.Errorf("Mask() = %q, want %q", got, want)
	}
	if strings.Contains(n.Mask(), "MAIN") || strings.Contains(n.Mask(), "APT") {
		t.Errorf("Mask() leaks the street: %q", n.Mask())
	}
}

func FuzzParse(f *testing.F) {
	seeds, err := os.ReadFile(filepath.Join("testdata", "addresses.txt"))
	if err != nil {
		f.Fatal(err)
	}
	for s := range strings.Lines(string(seeds)) {
		f.Add(strings.TrimSpace(s))
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := Parse(s)
		if err != nil {
			return
		}
		if n.Street == "" {
			t.Fatalf("Parse(%q) gave an empty street without error", s)
		}
		again, err := Normalize(Address{Line1: n.Street, Line2: n.Unit, City: n.City, Region: n.Region, Postcode: n.Postcode, Country: n.Country})
		if err != nil {
			t.Fatalf("normalised %+v does not normalise again: %v", n, err)
		}
		if again.BuildingKey() != n.BuildingKey() {
			t.Fatalf("building key not stable for %q: %q then %q", s, n.BuildingKey(), again.BuildingKey())
		}
	})
}

func BenchmarkParse(b *testing.B) {
	for b.Loop() {
		if _, err := Parse("123 North Main Street Apt 4, Springfield, Illinois 62704-0001, United States"); err != nil {
			b.Fatal(err)
		}
	}
}

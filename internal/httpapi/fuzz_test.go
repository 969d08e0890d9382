package httpapi

import (
	"bufio"
	"net/http/httptest"
	"os"
	"testing"
)

// seeds adds each line of a testdata file to the fuzz corpus.
func seeds(f *testing.F, name string) {
	f.Helper()
	file, err := os.Open("testdata/" + name)
	if err != nil {
		f.Fatal(err)
	}
	defer file.Close()
	sc := bufio.NewScanner(file)
	for sc.Scan() {
		f.Add(sc.Text())
	}
	if err := sc.Err(); err != nil {
		f.Fatal(err)
	}
}

func FuzzCursor(f *testing.F) {
	seeds(f, "cursors.txt")
	f.Fuzz(func(t *testing.T, c string) {
		off, err := decodeCursor(c)
		if err != nil {
			return
		}
		if off < 0 {
			t.Fatalf("decodeCursor(%q) = %d, a negative offset", c, off)
		}
		if again, err := decodeCursor(encodeCursor(off)); err != nil || again != off {
			t.Fatalf("round trip of %d = %d, %v", off, again, err)
		}
	})
}

func FuzzPeopleQuery(f *testing.F) {
	seeds(f, "queries.txt")
	f.Fuzz(func(t *testing.T, rawQuery string) {
		r := httptest.NewRequest("GET", "/api/v1/people", nil)
		r.URL.RawQuery = rawQuery
		q, err := peopleQueryOf(r)
		if err != nil {
			return
		}
		if q.Page.Offset < 0 || q.Page.Limit < 1 || q.Page.Limit > maxPageLimit {
			t.Fatalf("query %q gave page %+v", rawQuery, q.Page)
		}
		if q.Band != nil && !validBand(*q.Band) || q.Family != "" && !validFamily(q.Family) {
			t.Fatalf("query %q let through band %v family %q", rawQuery, q.Band, q.Family)
		}
	})
}

func FuzzFormTime(f *testing.F) {
	seeds(f, "times.txt")
	f.Fuzz(func(t *testing.T, v string) {
		tm, err := formTime(v)
		if err == nil && tm.Location().String() != "UTC" {
			t.Fatalf("formTime(%q) = %v, not UTC", v, tm)
		}
	})
}

package minhash

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func MustIndex(tb testing.TB, docs map[string][]string) *Index {
	tb.Helper()
	x, err := NewIndex(DefaultParams, NewMemoryStore(len(docs)))
	if err != nil {
		tb.Fatal(err)
	}
	for id, w := range docs {
		s := Sign(Shingles(w, 3))
		if err := x.Add(tb.Context(), id, &s); err != nil {
			tb.Fatal(err)
		}
	}
	return x
}

func TestIndexQuery(t *testing.T) {
	base := words(0, 400)
	near := append(append([]string(nil), base[:390]...), words(5000, 10)...)
	x := MustIndex(t, map[string][]string{
		"orig":      base,
		"unrelated": words(10000, 400),
		"half":      append(append([]string(nil), base[:200]...), words(20000, 200)...),
	})
	tests := []struct {
		name      string
		query     []string
		threshold float64
		want      []string
	}{
		{name: "near_duplicate", query: near, threshold: 0.8, want: []string{"orig"}},
		{name: "exact", query: base, threshold: 0.99, want: []string{"orig"}},
		{name: "unrelated_query", query: words(30000, 400), threshold: 0.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Sign(Shingles(tt.query, 3))
			got, err := x.Query(t.Context(), &s, tt.threshold)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, m := range got {
				ids = append(ids, m.DocID)
			}
			if diff := cmp.Diff(tt.want, ids); diff != "" {
				t.Errorf("Query mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMemoryStoreReplace(t *testing.T) {
	ctx := t.Context()
	m := NewMemoryStore(4)
	x, err := NewIndex(DefaultParams, m)
	if err != nil {
		t.Fatal(err)
	}
	a, b := Sign(Shingles(words(0, 100), 3)), Sign(Shingles(words(500, 100), 3))
	for _, step := range []struct {
		id  string
		sig *Signature
	}{{"d1", &a}, {"d2", &a}, {"d1", &b}} {
		if err := x.Add(ctx, step.id, step.sig); err != nil {
			t.Fatal(err)
		}
	}
	if m.Len() != 2 {
		t.Fatalf("Len = %d, want 2", m.Len())
	}
	got, err := m.Candidates(ctx, DefaultParams.Keys(&a))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"d2"}, got); diff != "" {
		t.Errorf("candidates for a after d1 was replaced (-want +got):\n%s", diff)
	}
	got, _ = m.Candidates(ctx, DefaultParams.Keys(&b))
	if diff := cmp.Diff([]string{"d1"}, got); diff != "" {
		t.Errorf("candidates for b (-want +got):\n%s", diff)
	}
	if err := m.Put(ctx, "d3", &a, DefaultParams.Keys(&a)[:3]); err == nil {
		t.Error("Put accepted a document with a different number of band keys")
	}
	if _, ok, _ := m.Signature(ctx, "nope"); ok {
		t.Error("Signature found an unknown document")
	}
}

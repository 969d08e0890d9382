package resolve

import "testing"

func TestGenCacheBoundedKeepsUsed(t *testing.T) {
	c := newGenCache[int, int](10) // generations of 5
	for i := range 5 {
		c.put(i, i*10)
	}
	for i := 5; i < 100; i++ {
		if v, ok := c.get(0); !ok || v != 0 { // used throughout: never evicted
			t.Fatalf("after %d puts: get(0) = %d, %v", i, v, ok)
		}
		c.put(i, i*10)
		if n := c.len(); n > 10 {
			t.Fatalf("after %d puts: %d entries, want at most 10", i, n)
		}
	}
	if _, ok := c.get(1); ok {
		t.Error("an entry unused for two generations is still cached")
	}
	if v, ok := c.get(99); !ok || v != 990 {
		t.Errorf("get(99) = %d, %v", v, ok)
	}
	c.remove(99)
	if _, ok := c.peek(99); ok {
		t.Error("removed entry still cached")
	}
}

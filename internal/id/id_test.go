package id

import (
	"testing"
	"time"
)

func TestGeneratorIncreasesWithinOneMillisecond(t *testing.T) {
	var g Generator
	now := time.Now()
	prev := g.At(now)
	for i := 0; i < 1000; i++ {
		next := g.At(now)
		if next <= prev {
			t.Fatalf("At(%v) = %d after %d; want strictly greater", now, next, prev)
		}
		prev = next
	}
}

func TestTimeRoundTrip(t *testing.T) {
	var g Generator
	at := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	if got := Time(g.At(at)); !got.Equal(at) {
		t.Errorf("Time(At(%v)) = %v", at, got)
	}
}

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{{"123", true}, {"0", false}, {"-4", false}, {"abc", false}, {"", false}} {
		if _, ok := Parse(tc.in); ok != tc.ok {
			t.Errorf("Parse(%q) ok = %v; want %v", tc.in, ok, tc.ok)
		}
	}
}

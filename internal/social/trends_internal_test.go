package social

import (
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/store"
)

func TestTagScoresCountAuthorsWithDecay(t *testing.T) {
	now := time.Now()
	at := func(ago time.Duration) int64 { return id.Lower(now.Add(-ago)) }
	uses := []store.TagUse{
		{TagID: 1, AccountID: 10, LastStatusID: at(time.Minute)}, // fresh, two authors
		{TagID: 1, AccountID: 11, LastStatusID: at(time.Minute)},
		{TagID: 2, AccountID: 10, LastStatusID: at(24 * time.Hour)}, // three authors, a day old
		{TagID: 2, AccountID: 11, LastStatusID: at(24 * time.Hour)},
		{TagID: 2, AccountID: 12, LastStatusID: at(24 * time.Hour)},
		{TagID: 3, AccountID: 10, LastStatusID: at(time.Minute)}, // one author only
	}
	scores := tagScores(now, uses)
	if _, ok := scores[3]; ok {
		t.Errorf("a tag with one author scored %v; want no trend", scores[3])
	}
	if !(scores[1] > scores[2]) || scores[2] <= 0 {
		t.Errorf("scores = %v; want two fresh authors above three day-old ones (two half-lives: 3/4 < ~2)", scores)
	}
	if got := decay(now, now.Add(-tagHalfLife), tagHalfLife); got < 0.499 || got > 0.501 {
		t.Errorf("decay after one half-life = %v; want 0.5", got)
	}
}

func TestStatusScoresWeighBoostsAndDecay(t *testing.T) {
	now := time.Now()
	at := func(ago time.Duration) int64 { return id.Lower(now.Add(-ago)) }
	scores := statusScores(now, []store.Interaction{
		{StatusID: 1, AccountID: 1, AtID: at(time.Minute)}, {StatusID: 1, AccountID: 2, AtID: at(time.Minute)},
		{StatusID: 1, AccountID: 3, AtID: at(time.Minute)},
		{StatusID: 2, AccountID: 1, AtID: at(time.Minute), Boost: true}, {StatusID: 2, AccountID: 2, AtID: at(time.Minute), Boost: true},
		{StatusID: 3, AccountID: 1, AtID: at(24 * time.Hour)}, {StatusID: 3, AccountID: 2, AtID: at(24 * time.Hour)},
		{StatusID: 3, AccountID: 3, AtID: at(24 * time.Hour)},
		{StatusID: 4, AccountID: 1, AtID: at(time.Minute), Boost: true},
		{StatusID: 5, AccountID: 1, AtID: at(time.Minute), Boost: true}, {StatusID: 5, AccountID: 1, AtID: at(time.Minute)},
	})
	for _, lone := range []int64{4, 5} {
		if _, ok := scores[lone]; ok {
			t.Errorf("status %d, with one account's interactions, scored %v", lone, scores[lone])
		}
	}
	if !(scores[2] > scores[1] && scores[1] > scores[3] && scores[3] > 0) {
		t.Errorf("scores = %v; want two boosts > three favourites > three day-old favourites > 0", scores)
	}
}

func TestTopScoresKeepsTheHighest(t *testing.T) {
	scores := map[int64]float64{}
	for i := int64(1); i <= maxTrendsPerKind+5; i++ {
		scores[i] = float64(i)
	}
	top := topScores(scores)
	if len(top) != maxTrendsPerKind {
		t.Fatalf("kept %d; want %d", len(top), maxTrendsPerKind)
	}
	for i := int64(1); i <= 5; i++ {
		if _, ok := top[i]; ok {
			t.Errorf("kept low score %d", i)
		}
	}
}

func TestIsUnicodeEmoji(t *testing.T) {
	cases := map[string]bool{
		"👍": true, "❤️": true, "👩‍👩‍👧": true, "🇫🇷": true, "1️⃣": true, "👍🏽": true, "⭐": true,
		"": false, "blobcat": false, ":blobcat:": false, "a👍": false, "1": false, "\u200d": false,
		"👍👍👍👍👍👍👍👍👍👍👍👍👍👍👍👍👍": false,
	}
	for in, want := range cases {
		if got := IsUnicodeEmoji(in); got != want {
			t.Errorf("IsUnicodeEmoji(%q) = %v; want %v", in, got, want)
		}
	}
}

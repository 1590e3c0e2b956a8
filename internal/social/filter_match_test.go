package social

import (
	"strings"
	"testing"

	"github.com/tuskhq/tusk/internal/model"
)

func TestKeywordMatches(t *testing.T) {
	for _, c := range []struct {
		body, keyword string
		wholeWord     bool
		want          bool
	}{
		{"I love my Cat", "cat", true, true},
		{"catalogue", "cat", true, false},
		{"catalogue", "cat", false, true},
		{"bobcat", "cat", true, false},
		{"cat, then a catalogue", "cat", true, true},
		{"a catalogue, then a cat", "cat", true, true},
		{"a catalogue, then a cats", "cat", true, false},
		{"snake_case", "case", true, false},
		{"#tusk rocks", "#tusk", true, true},
		{"my#tusk", "#tusk", true, true}, // the keyword begins with no word character: nothing to bound
		{"#tuskish", "#tusk", true, false},
		{"ÉCOLE fermée", "école", true, true},
		{"préécole", "école", true, false},
		{"日本語のテキスト", "日本語", false, true},
		{"hot dog", "hot dog", true, true},
		{"hot dogs", "hot dog", true, false},
		{"", "cat", false, false},
	} {
		if got := keywordMatches(strings.ToLower(c.body), strings.ToLower(c.keyword), c.wholeWord); got != c.want {
			t.Errorf("keywordMatches(%q, %q, whole word %v) = %v; want %v", c.body, c.keyword, c.wholeWord, got, c.want)
		}
	}
}

func TestMatchFilters(t *testing.T) {
	words := &model.Filter{ID: 1, Keywords: []*model.FilterKeyword{{Keyword: "Spoiler", WholeWord: true}, {Keyword: "ending"}}}
	byID := &model.Filter{ID: 2, Statuses: []*model.FilterStatus{{StatusID: 42}}}
	remote := &model.Status{ID: 42, AccountID: 7, Content: "<p>the <b>ENDING</b> is sad</p>", Text: "ignored for remote"}
	got := matchFilters([]*model.Filter{words, byID}, 9, remote)
	if len(got) != 2 || got[0].Filter != words || strings.Join(got[0].KeywordMatches, ",") != "ending" ||
		got[1].Filter != byID || len(got[1].StatusMatches) != 1 || got[1].StatusMatches[0] != 42 {
		t.Errorf("matchFilters(remote status) = %+v", got)
	}
	cw := &model.Status{ID: 43, AccountID: 7, Local: true, SpoilerText: "spoiler!", Text: "nothing"}
	if got := matchFilters([]*model.Filter{words, byID}, 9, cw); len(got) != 1 || got[0].KeywordMatches[0] != "Spoiler" {
		t.Errorf("matchFilters(content warning) = %+v", got)
	}
	if got := matchFilters([]*model.Filter{words, byID}, 7, remote); got != nil {
		t.Errorf("matchFilters(own status) = %+v; want none", got)
	}
}

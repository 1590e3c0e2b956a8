package searchindex

import (
	"strings"
	"testing"

	"github.com/tuskhq/tusk/internal/store"
)

func TestTextUsesSourceOrContent(t *testing.T) {
	for _, tc := range []struct {
		src  store.IndexSource
		want []string
		not  []string
	}{
		{store.IndexSource{SpoilerText: "cw", Text: "local words", Content: "<p>rendered</p>"}, []string{"cw", "local words"}, []string{"rendered"}},
		{store.IndexSource{Content: "<p>remote <b>bold</b> words</p>"}, []string{"remote", "bold", "words"}, []string{"<b>", "<p>"}},
	} {
		got := Text(tc.src)
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("Text(%+v) = %q; want it to hold %q", tc.src, got, w)
			}
		}
		for _, w := range tc.not {
			if strings.Contains(got, w) {
				t.Errorf("Text(%+v) = %q; holds %q", tc.src, got, w)
			}
		}
	}
}

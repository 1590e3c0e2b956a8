package ap

import "testing"

// A poll vote is a Create of a Note whose name is the chosen option, sent
// in reply to the Question.
func TestPollVote(t *testing.T) {
	t.Parallel()
	a := mustActivity(t, "activities/mastodon-create-vote.json")
	o, err := DecodeObject(a.Object.Raw)
	if err != nil {
		t.Fatal(err)
	}
	if o.Name != "suya.." || o.InReplyTo != "https://testing.uguu.ltd/objects/9d300947-2dcb-445d-8978-9a3b4b84fa14" || o.Content != "" {
		t.Errorf("vote: Name %q, InReplyTo %q, Content %q", o.Name, o.InReplyTo, o.Content)
	}
}

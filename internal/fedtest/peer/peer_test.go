package peer

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

const wait = 20 * time.Second

// mustID returns a check that fails the test on a control error and returns the id the
// call produced: mustID(t)(p.Like(...)).
func mustID(t *testing.T) func(string, error) string {
	return func(id string, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		if id == "" {
			t.Fatal("control call returned no id")
		}
		return id
	}
}

// followed starts two peers and has a's alice follow b's bob, waiting for the Accept.
func followed(t *testing.T, opts Options) (a, b *Peer) {
	t.Helper()
	a = Start(t, Options{Users: []string{"alice"}, FirstKnock: opts.FirstKnock})
	b = Start(t, Options{Users: []string{"bob"}})
	mustID(t)(a.Follow("alice", b.ActorURL("bob")))
	if err := a.WaitFollowing("alice", b.ActorURL("bob"), "accepted", wait); err != nil {
		t.Fatal(err)
	}
	return a, b
}

func TestFollowBothWaysIsAccepted(t *testing.T) {
	t.Parallel()
	a, b := followed(t, Options{})
	follow, err := b.WaitFor(OfType("Follow", b.ActorURL("bob")), wait)
	if err != nil {
		t.Fatal(err)
	}
	if follow.Actor != a.ActorURL("alice") || follow.Recipient != "bob" {
		t.Errorf("Follow = %+v; want actor %s to bob's inbox", follow, a.ActorURL("alice"))
	}
	if err := b.WaitFollower("bob", a.ActorURL("alice"), "accepted", wait); err != nil {
		t.Fatal(err)
	}

	mustID(t)(b.Follow("bob", a.ActorURL("alice")))
	if err := b.WaitFollowing("bob", a.ActorURL("alice"), "accepted", wait); err != nil {
		t.Fatal(err)
	}
	if err := a.WaitFollower("alice", b.ActorURL("bob"), "accepted", wait); err != nil {
		t.Fatal(err)
	}
}

func TestPublicNoteLikeBoostDelete(t *testing.T) {
	t.Parallel()
	a, b := followed(t, Options{})
	note, err := b.Post("bob", Note{Content: "<p>hello from bob</p>"})
	if err != nil {
		t.Fatal(err)
	}
	create, err := a.WaitFor(OfType("Create", note.ID), wait)
	if err != nil {
		t.Fatal(err)
	}
	// What a Fedify server sends: to and cc compacted to a string when single, an Object
	// Integrity Proof (Ed25519) and a Linked Data signature (RSA) on the activity.
	var raw struct {
		Object struct {
			Content string          `json:"content"`
			To      json.RawMessage `json:"to"`
		} `json:"object"`
		Proof     *struct{ Cryptosuite string } `json:"proof"`
		Signature *struct{ Type string }        `json:"signature"`
	}
	if err := json.Unmarshal(create.Raw, &raw); err != nil {
		t.Fatalf("raw Create: %v", err)
	}
	if raw.Object.Content != "<p>hello from bob</p>" {
		t.Errorf("Create content = %q; want bob's text", raw.Object.Content)
	}
	if !strings.Contains(string(raw.Object.To), "#Public") {
		t.Errorf("Create to = %s; want the public collection", raw.Object.To)
	}
	if raw.Proof == nil || raw.Proof.Cryptosuite != "eddsa-jcs-2022" {
		t.Errorf("Create proof = %+v; want an eddsa-jcs-2022 proof", raw.Proof)
	}
	if raw.Signature == nil || raw.Signature.Type != "RsaSignature2017" {
		t.Errorf("Create signature = %+v; want an RsaSignature2017", raw.Signature)
	}

	mustID(t)(a.Like("alice", note.ID))
	if _, err := b.WaitFor(OfType("Like", note.ID), wait); err != nil {
		t.Fatal(err)
	}
	likeUndo := mustID(t)(a.Unlike("alice", note.ID))
	if _, err := b.WaitFor(func(x Activity) bool { return x.Type == "Undo" && x.ID == likeUndo }, wait); err != nil {
		t.Fatal(err)
	}
	mustID(t)(a.Announce("alice", note.ID))
	if _, err := b.WaitFor(OfType("Announce", note.ID), wait); err != nil {
		t.Fatal(err)
	}

	mustID(t)(b.Delete("bob", note.ID))
	if _, err := a.WaitFor(OfType("Delete", note.ID), wait); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Lookup(note.ID); err == nil {
		t.Errorf("Lookup(%s) after Delete succeeded; want the note gone", note.ID)
	}
}

func TestDirectNoteReachesOnlyTheMentioned(t *testing.T) {
	t.Parallel()
	a, b := followed(t, Options{})
	carol := Start(t, Options{Users: []string{"carol"}})
	note, err := b.Post("bob", Note{
		Content:    "<p>just for carol</p>",
		Visibility: "direct",
		Mentions:   []string{carol.ActorURL("carol")},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := carol.WaitFor(OfType("Create", note.ID), wait); err != nil {
		t.Fatal(err)
	}
	// alice follows bob yet is not addressed; bob's later public note shows the queue drained.
	later, err := b.Post("bob", Note{Content: "<p>public</p>"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.WaitFor(OfType("Create", later.ID), wait); err != nil {
		t.Fatal(err)
	}
	if got, _ := a.Received(); hasObject(got, note.ID) {
		t.Errorf("alice received bob's direct note to carol: %s", summarize(got))
	}
}

func TestUnfollowRemovesFollower(t *testing.T) {
	t.Parallel()
	a, b := followed(t, Options{})
	undo := mustID(t)(a.Unfollow("alice", b.ActorURL("bob")))
	if _, err := b.WaitFor(func(x Activity) bool { return x.Type == "Undo" && x.ID == undo }, wait); err != nil {
		t.Fatal(err)
	}
	if got, _ := b.Followers("bob"); len(got) != 0 {
		t.Errorf("bob's followers after Undo(Follow) = %v; want none", got)
	}
}

func TestLockedUserAcceptsAndRejectsByHand(t *testing.T) {
	t.Parallel()
	a := Start(t, Options{Users: []string{"alice", "dave"}})
	b := Start(t, Options{Users: []string{"bob"}, Locked: []string{"bob"}})
	bob := b.ActorURL("bob")
	mustID(t)(a.Follow("alice", bob))
	mustID(t)(a.Follow("dave", bob))
	for _, u := range []string{"alice", "dave"} {
		if err := b.WaitFollower("bob", a.ActorURL(u), "pending", wait); err != nil {
			t.Fatal(err)
		}
	}
	mustID(t)(b.AcceptFollower("bob", a.ActorURL("alice")))
	mustID(t)(b.RejectFollower("bob", a.ActorURL("dave")))
	if err := a.WaitFollowing("alice", bob, "accepted", wait); err != nil {
		t.Fatal(err)
	}
	if err := a.WaitFollowing("dave", bob, "rejected", wait); err != nil {
		t.Fatal(err)
	}
	note, err := b.Post("bob", Note{Content: "<p>followers only</p>", Visibility: "followers"})
	if err != nil {
		t.Fatal(err)
	}
	create, err := a.WaitFor(OfType("Create", note.ID), wait)
	if err != nil {
		t.Fatal(err)
	}
	if create.Recipient != "" && create.Recipient != "alice" {
		t.Errorf("followers-only note went to %q; want alice (or the shared inbox)", create.Recipient)
	}
	if got, _ := b.Followers("bob"); len(got) != 1 || got[0].Actor != a.ActorURL("alice") {
		t.Errorf("bob's followers = %+v; want alice only", got)
	}
}

func TestReplyAndEditReachTheAuthor(t *testing.T) {
	t.Parallel()
	a, b := followed(t, Options{})
	note, err := b.Post("bob", Note{Content: "<p>question</p>"})
	if err != nil {
		t.Fatal(err)
	}
	reply, err := a.Post("alice", Note{
		Content:   "<p>answer</p>",
		InReplyTo: note.ID,
		Mentions:  []string{b.ActorURL("bob")},
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := b.WaitFor(OfType("Create", reply.ID), wait)
	if err != nil {
		t.Fatal(err)
	}
	var raw struct {
		Object struct {
			InReplyTo string `json:"inReplyTo"`
		} `json:"object"`
	}
	if err := json.Unmarshal(got.Raw, &raw); err != nil || raw.Object.InReplyTo != note.ID {
		t.Errorf("reply inReplyTo = %q (%v); want %s", raw.Object.InReplyTo, err, note.ID)
	}
	mustID(t)(b.UpdateNote("bob", note.ID, "<p>better question</p>"))
	if _, err := a.WaitFor(OfType("Update", note.ID), wait); err != nil {
		t.Fatal(err)
	}
	fetched, err := a.Lookup(note.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(fetched.JSON), "better question") {
		t.Errorf("note after Update = %s; want the new content", fetched.JSON)
	}
}

func TestCavageFirstKnockIsVerified(t *testing.T) {
	t.Parallel()
	_, b := followed(t, Options{FirstKnock: KnockCavage})
	follow, err := b.WaitFor(OfType("Follow", b.ActorURL("bob")), wait)
	if err != nil {
		t.Fatal(err)
	}
	if follow.Signature != "draft-cavage" {
		t.Errorf("Follow signed with %q; want draft-cavage", follow.Signature)
	}
}

func TestLookupShowsRemoteActorAndUpdate(t *testing.T) {
	t.Parallel()
	a, b := followed(t, Options{})
	mustID(t)(b.UpdateProfile("bob", "Robert", "<p>new bio</p>"))
	if _, err := a.WaitFor(OfType("Update", b.ActorURL("bob")), wait); err != nil {
		t.Fatal(err)
	}
	actor, err := a.LookupAs("alice", b.ActorURL("bob"))
	if err != nil {
		t.Fatal(err)
	}
	var person struct {
		Name      string `json:"name"`
		PublicKey struct {
			PublicKeyPem string `json:"publicKeyPem"`
		} `json:"publicKey"`
	}
	if err := json.Unmarshal(actor.JSON, &person); err != nil {
		t.Fatal(err)
	}
	if actor.Type != "Person" || person.Name != "Robert" {
		t.Errorf("Lookup = %s %q; want Person \"Robert\"", actor.Type, person.Name)
	}
	if !strings.HasPrefix(person.PublicKey.PublicKeyPem, "-----BEGIN PUBLIC KEY-----") {
		t.Errorf("publicKeyPem = %q; want an SPKI PEM", person.PublicKey.PublicKeyPem)
	}
}

func TestControlRejectsBadInput(t *testing.T) {
	t.Parallel()
	p := Start(t, Options{})
	cases := []struct {
		name string
		err  error
	}{
		{"bad visibility", second(p.Post("alice", Note{Content: "x", Visibility: "secret"}))},
		{"empty content", second(p.Post("alice", Note{}))},
		{"unknown user", second(p.Like("nobody", p.ActorURL("alice")))},
		{"not a URL", second(p.Follow("alice", "not a url"))},
		{"mention not a URL", second(p.Post("alice", Note{Content: "x", Mentions: []string{"bob"}}))},
		{"delete of unknown note", second(p.Delete("alice", p.URL+"/users/alice/notes/none"))},
	}
	for _, c := range cases {
		if c.err == nil || !strings.Contains(c.err.Error(), "status 4") {
			t.Errorf("%s: err = %v; want a 4xx control error", c.name, c.err)
		}
	}
}

func second[T any](_ T, err error) error { return err }

func hasObject(got []Activity, id string) bool {
	for _, a := range got {
		if a.Object == id {
			return true
		}
	}
	return false
}

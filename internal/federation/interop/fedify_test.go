package interop_test

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/tuskhq/tusk/internal/fedtest/peer"
	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/store"
)

// world is one tusk instance and one Fedify peer. On tusk: ana (unlocked) and lena
// (locked). On the peer: pia (unlocked) and paul (locked).
type world struct {
	tk        *tusk
	p         *peer.Peer
	ana, lena *servertest.Member
	pia, paul string // actor URLs
	piaAtTusk string // pia's account id on tusk
	// anaPost is a public post of ana's the peer has; piaPost a public note of pia's tusk has.
	anaPost, piaPost obj
}

func newWorld(t *testing.T, engine store.Engine, knock string) *world {
	t.Helper()
	tk := startTusk(t, engine)
	p := peer.Start(t, peer.Options{Users: []string{"pia", "paul"}, Locked: []string{"paul"}, FirstKnock: knock})
	w := &world{tk: tk, p: p, ana: tk.NewMember(t, "ana"), lena: tk.NewMember(t, "lena"), pia: p.ActorURL("pia"), paul: p.ActorURL("paul")}
	w.lena.Call(t, "PATCH", "/api/v1/accounts/update_credentials", obj{"locked": true})
	return w
}

func TestFedifyInterop(t *testing.T) {
	engines(t, func(t *testing.T, engine store.Engine) {
		w := newWorld(t, engine, peer.KnockRFC9421)
		steps := []struct {
			name string
			fn   func(*testing.T)
		}{
			{"peer follows unlocked", w.peerFollowsUnlocked},
			{"peer follows locked", w.peerFollowsLocked},
			{"remote parent fetched", w.parentFetched},
			{"tusk follows peer", w.tuskFollowsPeer},
			{"tusk follows locked peer", w.tuskFollowsLockedPeer},
			{"tusk posts reach the peer", w.tuskPosts},
			{"tusk documents read by the peer", w.documents},
			{"peer posts reach tusk", w.peerPosts},
			{"peer visibility", w.peerVisibility},
			{"shared inbox fan-out", w.sharedInbox},
			{"peer reply threads", w.peerReply},
			{"tusk reply reaches the peer", w.tuskReply},
			{"peer direct message", w.peerDirect},
			{"likes both ways", w.likes},
			{"boosts both ways", w.boosts},
			{"profile update", w.profileUpdate},
			{"peer profile update", w.peerProfileUpdate},
			{"peer edit", w.peerEdit},
			{"tusk edit", w.tuskEdit},
			{"deletes both ways", w.deletes},
			{"follower removed", w.followerRemoved},
			{"request rejected", w.requestRejected},
			{"unfollows both ways", w.unfollows},
			{"block", w.block},
			{"signatures", func(t *testing.T) { w.signatures(t, "rfc9421") }},
		}
		for _, step := range steps {
			if !t.Run(step.name, step.fn) {
				return // later steps build on earlier ones
			}
		}
	})
}

// TestFedifyCavageFirst: a peer that signs with draft-cavage from the start federates too.
func TestFedifyCavageFirst(t *testing.T) {
	engines(t, func(t *testing.T, engine store.Engine) {
		w := newWorld(t, engine, peer.KnockCavage)
		for _, step := range []func(*testing.T){w.peerFollowsUnlocked, w.tuskFollowsPeer, w.tuskPosts, w.peerPosts, w.likes} {
			step(t)
		}
		w.signatures(t, "draft-cavage")
	})
}

// tuskPosts: a public and a followers-only post of ana's reach pia, addressed as they should be.
func (w *world) tuskPosts(t *testing.T) {
	followersURL := w.tk.actor(w.ana) + "/followers"
	w.anaPost = w.ana.Post(t, obj{"status": "hello Fedify <3", "visibility": "public"})
	create := waitActivity(t, w.p, "ana's public Create", peer.OfType("Create", w.anaPost["uri"].(string)))
	note := rawObject(t, create)
	if note["type"] != "Note" || !strings.Contains(fmt.Sprint(note["content"]), "hello Fedify &lt;3") ||
		!isPublic(addressed(note, "to")) || !slices.Contains(addressed(note, "cc"), followersURL) {
		t.Fatalf("public Note as pia got it: %s", create.Raw)
	}
	if create.Actor != w.tk.actor(w.ana) {
		t.Fatalf("Create actor = %s; want %s", create.Actor, w.tk.actor(w.ana))
	}
	private := w.ana.Post(t, obj{"status": "for followers", "visibility": "private"})
	create = waitActivity(t, w.p, "ana's followers-only Create", peer.OfType("Create", private["uri"].(string)))
	note = rawObject(t, create)
	if isPublic(addressed(note, "to")) || isPublic(addressed(note, "cc")) || !slices.Contains(addressed(note, "to"), followersURL) {
		t.Fatalf("followers-only Note as pia got it: %s", create.Raw)
	}
	if obj, err := w.p.LookupAs("pia", w.anaPost["uri"].(string)); err != nil || obj.Type != "Note" {
		t.Fatalf("pia fetches ana's post: %v %v", obj, err)
	}
}

// peerPosts: pia's public note reaches ana's home timeline.
func (w *world) peerPosts(t *testing.T) {
	posted, err := w.p.Post("pia", peer.Note{Content: "<p>hello tusk</p>"})
	noErr(t, err)
	w.piaPost = statusWithURI(t, w.ana, "/api/v1/timelines/home", posted.ID)
	if !strings.Contains(w.piaPost["content"].(string), "hello tusk") || w.piaPost["visibility"] != "public" {
		t.Fatalf("pia's note on tusk: %v", w.piaPost)
	}
	if acc := w.piaPost["account"].(obj); acc["uri"] != w.pia {
		t.Fatalf("author of pia's note on tusk: %v", acc)
	}
}

// peerReply: pia's reply to ana's post threads under it.
func (w *world) peerReply(t *testing.T) {
	reply, err := w.p.Post("pia", peer.Note{Content: "<p>a reply</p>", InReplyTo: w.anaPost["uri"].(string),
		Mentions: []string{w.tk.actor(w.ana)}})
	noErr(t, err)
	servertest.Eventually(t, "the reply is in ana's thread", func() (bool, string) {
		ctx := w.ana.Call(t, "GET", "/api/v1/statuses/"+w.anaPost["id"].(string)+"/context", nil)
		desc, _ := ctx["descendants"].([]any)
		for _, d := range desc {
			if d.(obj)["uri"] == reply.ID && d.(obj)["in_reply_to_id"] == w.anaPost["id"] {
				return true, ""
			}
		}
		return false, fmt.Sprint(ctx)
	})
}

// peerDirect: a direct note from pia to ana is a direct status and a mention notification.
func (w *world) peerDirect(t *testing.T) {
	dm, err := w.p.Post("pia", peer.Note{Content: "<p>just for you</p>", Visibility: "direct",
		Mentions: []string{w.tk.actor(w.ana)}})
	noErr(t, err)
	n := statusWithURI(t, w.ana, "/api/v1/notifications?types[]=mention", dm.ID)
	if n["visibility"] != "direct" {
		t.Fatalf("pia's direct note on tusk: %v", n)
	}
	home := w.lena.List(t, "/api/v1/timelines/home")
	for _, st := range home {
		if st["uri"] == dm.ID {
			t.Fatalf("lena sees a direct message to ana")
		}
	}
}

// likes: pia's Like counts and notifies on tusk, ana's favourite reaches pia; Undo both ways.
func (w *world) likes(t *testing.T) {
	anaPost := w.anaPost["uri"].(string)
	_, err := w.p.Like("pia", anaPost)
	noErr(t, err)
	w.ana.WaitNotification(t, "favourite", servertest.FromAccount("uri", w.pia))
	w.waitCount(t, w.ana, w.anaPost["id"].(string), "favourites_count", 1)
	_, err = w.p.Unlike("pia", anaPost)
	noErr(t, err)
	w.waitCount(t, w.ana, w.anaPost["id"].(string), "favourites_count", 0)

	piaNote := w.piaPost["uri"].(string)
	w.ana.Call(t, "POST", "/api/v1/statuses/"+w.piaPost["id"].(string)+"/favourite", nil)
	like := waitActivity(t, w.p, "ana's Like", peer.OfType("Like", piaNote))
	w.ana.Call(t, "POST", "/api/v1/statuses/"+w.piaPost["id"].(string)+"/unfavourite", nil)
	waitActivity(t, w.p, "ana's Undo(Like)", peer.OfType("Undo", like.ID))
}

// boosts: pia's Announce notifies and counts on tusk; ana's boost reaches pia; Undo both ways.
func (w *world) boosts(t *testing.T) {
	anaPost := w.anaPost["uri"].(string)
	_, err := w.p.Announce("pia", anaPost)
	noErr(t, err)
	w.ana.WaitNotification(t, "reblog", servertest.FromAccount("uri", w.pia))
	w.waitCount(t, w.ana, w.anaPost["id"].(string), "reblogs_count", 1)
	_, err = w.p.Unannounce("pia", anaPost)
	noErr(t, err)
	w.waitCount(t, w.ana, w.anaPost["id"].(string), "reblogs_count", 0)

	piaNote := w.piaPost["uri"].(string)
	w.ana.Call(t, "POST", "/api/v1/statuses/"+w.piaPost["id"].(string)+"/reblog", nil)
	announce := waitActivity(t, w.p, "ana's Announce", peer.OfType("Announce", piaNote))
	w.ana.Call(t, "POST", "/api/v1/statuses/"+w.piaPost["id"].(string)+"/unreblog", nil)
	waitActivity(t, w.p, "ana's Undo(Announce)", peer.OfType("Undo", announce.ID))
}

// profileUpdate: ana's new name reaches pia as Update(Person) and in the served actor.
func (w *world) profileUpdate(t *testing.T) {
	w.ana.Call(t, "PATCH", "/api/v1/accounts/update_credentials", obj{"display_name": "Ana from tusk"})
	waitActivity(t, w.p, "ana's Update(Person)", peer.OfType("Update", w.tk.actor(w.ana)))
	actor, err := w.p.Lookup(w.tk.actor(w.ana))
	noErr(t, err)
	if actor.Type != "Person" || !strings.Contains(string(actor.JSON), `"Ana from tusk"`) {
		t.Fatalf("ana's actor as the peer reads it: %s %s", actor.Type, actor.JSON)
	}
}

// deletes: pia's Delete removes her note from tusk; ana's delete reaches pia as a Tombstone.
func (w *world) deletes(t *testing.T) {
	_, err := w.p.Delete("pia", w.piaPost["uri"].(string))
	noErr(t, err)
	servertest.Eventually(t, "pia's note is gone from tusk", func() (bool, string) {
		r := w.ana.Do(t, "GET", "/api/v1/statuses/"+w.piaPost["id"].(string), nil)
		return r.Status == 404, fmt.Sprint(r.Status)
	})
	w.ana.Call(t, "DELETE", "/api/v1/statuses/"+w.anaPost["id"].(string), nil)
	del := waitActivity(t, w.p, "ana's Delete", peer.OfType("Delete", w.anaPost["uri"].(string)))
	if o := rawObject(t, del); o["type"] != "Tombstone" || o["id"] != w.anaPost["uri"] {
		t.Fatalf("Delete as pia got it: %s", del.Raw)
	}
}

// signatures: everything the peer sent was accepted at the first try with the scheme it
// knocks with, and everything tusk sent verified on the peer.
func (w *world) signatures(t *testing.T, peerScheme string) {
	posts := w.tk.inbox.from(w.p.Host())
	if len(posts) == 0 {
		t.Fatal("tusk's inboxes got nothing from the peer")
	}
	proofs := 0
	for _, p := range posts {
		if p.Proof {
			proofs++
		}
		if p.Signature != peerScheme || p.Status != 202 {
			t.Errorf("peer's %s to %s: signed %s, tusk answered %d; want %s and 202", p.Type, p.Path, p.Signature, p.Status, peerScheme)
		}
	}
	t.Logf("tusk's inboxes got %d POSTs from the peer, signed %s; %d carried an integrity proof", len(posts), peerScheme, proofs)
	errs, err := w.p.DeliveryErrors()
	noErr(t, err)
	if len(errs) > 0 {
		t.Errorf("peer reports errors: %v", errs)
	}
	log, err := w.p.InboxLog()
	noErr(t, err)
	tuskHost := strings.TrimPrefix(w.tk.Base, "http://")
	n := 0
	for _, e := range log {
		if u, err := url.Parse(e.ID); err != nil || u.Host != tuskHost {
			continue
		}
		n++
		if e.Status/100 != 2 || e.Signature != "draft-cavage" {
			t.Errorf("tusk's %s %s to the peer's %s: signed %s, answered %d %s", e.Type, e.ID, e.Path, e.Signature, e.Status, e.Body)
		}
	}
	if n == 0 {
		t.Errorf("the peer's inbox log has nothing from tusk: %v", log)
	}
	t.Logf("the peer's inboxes got %d POSTs from tusk, signed draft-cavage", n)
}

func (w *world) waitCount(t *testing.T, m *servertest.Member, id, field string, want float64) {
	t.Helper()
	servertest.Eventually(t, fmt.Sprintf("%s of %s is %v", field, id, want), func() (bool, string) {
		st := m.Call(t, "GET", "/api/v1/statuses/"+id, nil)
		return st[field] == want, fmt.Sprint(st[field])
	})
}

// tuskReply: ana's reply to pia's note reaches pia, threaded. (The text cannot mention
// pia: a handle whose domain has a port, as the peer's has, is not a mention, on tusk as
// on Mastodon.)
func (w *world) tuskReply(t *testing.T) {
	reply := w.ana.Post(t, obj{"status": "answering you", "in_reply_to_id": w.piaPost["id"]})
	create := waitActivity(t, w.p, "ana's reply", peer.OfType("Create", reply["uri"].(string)))
	note := rawObject(t, create)
	if note["inReplyTo"] != w.piaPost["uri"] || !isPublic(addressed(note, "to")) {
		t.Fatalf("reply as pia got it: %s", create.Raw)
	}
}

// peerEdit: pia's Update(Note) changes her note on tusk and marks it edited.
func (w *world) peerEdit(t *testing.T) {
	_, err := w.p.UpdateNote("pia", w.piaPost["uri"].(string), "<p>hello tusk, edited</p>")
	noErr(t, err)
	servertest.Eventually(t, "the edit reaches tusk", func() (bool, string) {
		st := w.ana.Call(t, "GET", "/api/v1/statuses/"+w.piaPost["id"].(string), nil)
		return strings.Contains(fmt.Sprint(st["content"]), "edited") && st["edited_at"] != nil, fmt.Sprint(st["content"], st["edited_at"])
	})
}

// parentFetched: a reply whose parent tusk never received brings the parent along, fetched
// from the peer, and the thread shows it; a note found by URL resolves the same way.
func (w *world) parentFetched(t *testing.T) {
	parent, err := w.p.Post("paul", peer.Note{Content: "<p>nobody follows me yet</p>"})
	noErr(t, err)
	reply, err := w.p.Post("pia", peer.Note{Content: "<p>cc ana</p>", InReplyTo: parent.ID, Mentions: []string{w.tk.actor(w.ana)}})
	noErr(t, err)
	st := statusWithURI(t, w.ana, "/api/v1/notifications?types[]=mention", reply.ID)
	servertest.Eventually(t, "the parent is in the reply's thread", func() (bool, string) {
		ctx := w.ana.Call(t, "GET", "/api/v1/statuses/"+st["id"].(string)+"/context", nil)
		anc, _ := ctx["ancestors"].([]any)
		return len(anc) == 1 && anc[0].(obj)["uri"] == parent.ID, fmt.Sprint(ctx)
	})
	other, err := w.p.Post("paul", peer.Note{Content: "<p>find me</p>", Summary: "a warning"})
	noErr(t, err)
	found := w.lena.ResolveStatus(t, other.ID)
	if found["uri"] != other.ID || found["spoiler_text"] != "a warning" || found["sensitive"] != true {
		t.Fatalf("resolve %s: %v", other.ID, found)
	}
}

// peerVisibility: pia's unlisted and followers-only notes keep their visibility on tusk and
// reach her follower ana only.
func (w *world) peerVisibility(t *testing.T) {
	for _, v := range []struct{ peer, tusk string }{{"unlisted", "unlisted"}, {"followers", "private"}} {
		posted, err := w.p.Post("pia", peer.Note{Content: "<p>" + v.peer + " note</p>", Visibility: v.peer})
		noErr(t, err)
		st := statusWithURI(t, w.ana, "/api/v1/timelines/home", posted.ID)
		if st["visibility"] != v.tusk {
			t.Errorf("pia's %s note on tusk is %v; want %s", v.peer, st["visibility"], v.tusk)
		}
		if v.tusk == "private" {
			if r := w.lena.Do(t, "GET", "/api/v1/statuses/"+st["id"].(string), nil); r.Status != 404 {
				t.Errorf("lena (not a follower of pia) reads pia's followers-only note: %d", r.Status)
			}
		}
	}
}

// peerProfileUpdate: pia's Update(Person) renames her account on tusk.
func (w *world) peerProfileUpdate(t *testing.T) {
	_, err := w.p.UpdateProfile("pia", "Pia Renamed", "<p>about pia</p>")
	noErr(t, err)
	servertest.Eventually(t, "tusk shows pia's new name", func() (bool, string) {
		acc := w.ana.Call(t, "GET", "/api/v1/accounts/"+w.piaAtTusk, nil)
		return acc["display_name"] == "Pia Renamed" && strings.Contains(fmt.Sprint(acc["note"]), "about pia"), fmt.Sprint(acc["display_name"], acc["note"])
	})
}

// documents: Fedify reads each kind of document tusk serves (JSON-LD expanded with its
// built-in contexts) as the type tusk meant, with the same id.
func (w *world) documents(t *testing.T) {
	ana := w.tk.actor(w.ana)
	status := w.anaPost["uri"].(string)
	poll := w.ana.Post(t, obj{"status": "which?", "poll": obj{"options": []string{"this", "that"}, "expires_in": 3600}})
	cases := []struct{ uri, typ string }{
		{ana, "Person"},
		{w.tk.Base + "/actor", "Application"},
		{status, "Note"},
		{status + "/activity", "Create"},
		{poll["uri"].(string), "Question"},
		{ana + "/outbox", "OrderedCollection"},
		{ana + "/followers", "OrderedCollection"},
		{ana + "/following", "OrderedCollection"},
		{ana + "/collections/featured", "OrderedCollection"},
	}
	for _, c := range cases {
		got, err := w.p.LookupAs("pia", c.uri)
		if err != nil || got.Type != c.typ || got.ID != c.uri {
			t.Errorf("peer reads %s as %s %s (%v); want %s", c.uri, got.Type, got.ID, err, c.typ)
		}
	}
}

// sharedInbox: when ana and lena both follow pia, one delivery to tusk's shared inbox puts
// pia's note in both home timelines.
func (w *world) sharedInbox(t *testing.T) {
	w.lena.Call(t, "POST", "/api/v1/accounts/"+w.lena.ResolveAccount(t, w.pia)["id"].(string)+"/follow", nil)
	if err := w.p.WaitFollower("pia", w.tk.actor(w.lena), "accepted", timeout); err != nil {
		t.Fatal(err)
	}
	before := len(w.tk.inbox.from(w.p.Host()))
	posted, err := w.p.Post("pia", peer.Note{Content: "<p>to all my followers</p>"})
	noErr(t, err)
	statusWithURI(t, w.ana, "/api/v1/timelines/home", posted.ID)
	statusWithURI(t, w.lena, "/api/v1/timelines/home", posted.ID)
	var creates []inboxPost
	for _, p := range w.tk.inbox.from(w.p.Host())[before:] {
		if p.Type == "Create" {
			creates = append(creates, p)
		}
	}
	if len(creates) != 1 || creates[0].Path != "/inbox" {
		t.Fatalf("the note reached tusk as %v; want one POST to /inbox", creates)
	}
}

// tuskEdit: ana's edit reaches pia as Update(Note) with the new text and updated.
func (w *world) tuskEdit(t *testing.T) {
	w.ana.Call(t, "PUT", "/api/v1/statuses/"+w.anaPost["id"].(string), obj{"status": "hello Fedify, edited"})
	update := waitActivity(t, w.p, "ana's Update(Note)", peer.OfType("Update", w.anaPost["uri"].(string)))
	if note := rawObject(t, update); !strings.Contains(fmt.Sprint(note["content"]), "edited") || note["updated"] == nil {
		t.Fatalf("Update as pia got it: %s", update.Raw)
	}
}

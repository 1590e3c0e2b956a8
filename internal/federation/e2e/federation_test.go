package e2e_test

import (
	"testing"

	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/store"
)

// world is two instances and their members: alice on A; bob (unlocked), carol (locked)
// and dave (who follows nobody) on B.
type world struct {
	a, b                    *servertest.Instance
	alice, bob, carol, dave *servertest.Member
	// Ids of the remote accounts as each instance knows them.
	bobAtA, carolAtA, aliceAtB string
}

func newWorld(t *testing.T, engines [2]store.Engine) *world {
	a, b := instance(t, engines[0]), instance(t, engines[1])
	w := &world{a: a, b: b, alice: a.NewMember(t, "alice"), bob: b.NewMember(t, "bob"),
		carol: b.NewMember(t, "carol"), dave: b.NewMember(t, "dave")}
	w.carol.Call(t, "PATCH", "/api/v1/accounts/update_credentials", obj{"locked": true})
	w.bobAtA = w.alice.ResolveAccount(t, "@bob@"+host(b))["id"].(string)
	w.carolAtA = w.alice.ResolveAccount(t, "@carol@"+host(b))["id"].(string)
	w.aliceAtB = w.bob.ResolveAccount(t, "@alice@"+host(a))["id"].(string)
	return w
}

func TestFederationBetweenTwoInstances(t *testing.T) {
	t.Parallel()
	for _, engines := range pairs(t) {
		t.Run(string(engines[0])+"-"+string(engines[1]), func(t *testing.T) {
			t.Parallel()
			w := newWorld(t, engines)
			steps := []struct {
				name string
				fn   func(*testing.T)
			}{
				{"follow unlocked", w.followUnlocked},
				{"follow locked", w.followLocked},
				{"followed from the other side", w.followedBack},
				{"visibility", w.visibility},
				{"replies boosts likes", w.repliesBoostsLikes},
				{"edit and delete", w.editAndDelete},
				{"pins", w.pins},
				{"poll vote", w.pollVote},
				{"report forwarded", w.reportForwarded},
				{"profile update", w.profileUpdate},
				{"unfollow", w.unfollow},
				{"block", w.block},
			}
			for _, step := range steps {
				if !t.Run(step.name, step.fn) {
					return // later steps build on earlier ones
				}
			}
		})
	}
}

// followUnlocked: a remote follow is pending until the remote server's Accept arrives,
// even for an account that needs no approval.
func (w *world) followUnlocked(t *testing.T) {
	rel := w.alice.Call(t, "POST", "/api/v1/accounts/"+w.bobAtA+"/follow", nil)
	if rel["requested"] != true && rel["following"] != true {
		t.Fatalf("after follow: %v", rel)
	}
	servertest.Eventually(t, "alice follows bob", func() (bool, string) {
		r := w.alice.Relationship(t, w.bobAtA)
		return r["following"] == true && r["requested"] == false, fmt0(r)
	})
	w.bob.WaitNotification(t, "follow", servertest.FromAccount("acct", "alice@"+host(w.a)))
}

// followLocked: the request waits for carol's decision, then her Accept makes it a follow.
func (w *world) followLocked(t *testing.T) {
	rel := w.alice.Call(t, "POST", "/api/v1/accounts/"+w.carolAtA+"/follow", nil)
	if rel["requested"] != true || rel["following"] != false {
		t.Fatalf("after follow of a locked account: %v", rel)
	}
	var requests []obj
	servertest.Eventually(t, "carol sees the request", func() (bool, string) {
		requests = w.carol.List(t, "/api/v1/follow_requests")
		return len(requests) == 1, fmt0(requests)
	})
	drained(t, w.a, w.b)
	if r := w.alice.Relationship(t, w.carolAtA); r["following"] != false || r["requested"] != true {
		t.Fatalf("following before carol decided: %v", r)
	}
	w.carol.Call(t, "POST", "/api/v1/follow_requests/"+requests[0]["id"].(string)+"/authorize", nil)
	servertest.Eventually(t, "alice follows carol", func() (bool, string) {
		r := w.alice.Relationship(t, w.carolAtA)
		return r["following"] == true, fmt0(r)
	})
}

// followedBack: bob follows alice from B; alice's unlocked account accepts at once.
func (w *world) followedBack(t *testing.T) {
	w.bob.Call(t, "POST", "/api/v1/accounts/"+w.aliceAtB+"/follow", nil)
	servertest.Eventually(t, "bob follows alice", func() (bool, string) {
		r := w.bob.Relationship(t, w.aliceAtB)
		return r["following"] == true, fmt0(r)
	})
	w.alice.WaitNotification(t, "follow", servertest.FromAccount("acct", "bob@"+host(w.b)))
}

// visibility: each post reaches exactly the members it is for. bob follows alice;
// carol and dave do not.
func (w *world) visibility(t *testing.T) {
	mentionCarol := "@carol@" + host(w.b)
	public := w.alice.Post(t, obj{"status": "public hello", "visibility": "public"})
	unlisted := w.alice.Post(t, obj{"status": "unlisted hello", "visibility": "unlisted"})
	private := w.alice.Post(t, obj{"status": "followers only", "visibility": "private"})
	privateToCarol := w.alice.Post(t, obj{"status": "followers and " + mentionCarol, "visibility": "private"})
	dm := w.alice.Post(t, obj{"status": "secret for " + mentionCarol, "visibility": "direct"})

	for _, st := range []obj{public, unlisted, private, privateToCarol} {
		servertest.Eventually(t, "bob sees "+st["content"].(string), func() (bool, string) {
			home := w.bob.List(t, "/api/v1/timelines/home")
			return hasURI(home, st["uri"].(string)), fmt0(len(home))
		})
	}
	// carol follows nobody on A: she is told of the post that mentions her, and the
	// direct message is a conversation of hers (its notification waits among her
	// notification requests: private mentions from strangers are filtered by default).
	w.carol.WaitNotification(t, "mention", func(n obj) bool {
		s, _ := n["status"].(obj)
		return s["uri"] == privateToCarol["uri"]
	})
	servertest.Eventually(t, "carol has the direct message", func() (bool, string) {
		convs := w.carol.List(t, "/api/v1/conversations")
		for _, c := range convs {
			if s, _ := c["last_status"].(obj); s["uri"] == dm["uri"] {
				return true, ""
			}
		}
		return false, fmt0(convs)
	})
	drained(t, w.a, w.b)
	for m, never := range map[*servertest.Member][]obj{
		w.bob:   {dm},
		w.carol: {public, unlisted, private, privateToCarol},
		w.dave:  {public, unlisted, private, privateToCarol, dm},
	} {
		home := m.List(t, "/api/v1/timelines/home")
		for _, st := range never {
			if hasURI(home, st["uri"].(string)) {
				t.Errorf("%s's home shows %q, not addressed to them", m.Account.Username, st["content"])
			}
		}
	}
	if convs := w.bob.List(t, "/api/v1/conversations"); len(convs) != 0 {
		t.Errorf("bob's conversations: %v", convs)
	}
	mentions := w.dave.List(t, "/api/v1/notifications")
	if len(mentions) != 0 {
		t.Errorf("dave was notified: %v", mentions)
	}
}

// repliesBoostsLikes: bob answers, boosts and likes alice's post; each reaches alice.
func (w *world) repliesBoostsLikes(t *testing.T) {
	original := w.alice.Post(t, obj{"status": "what do you think?", "visibility": "public"})
	var atB obj
	servertest.Eventually(t, "bob sees the question", func() (bool, string) {
		for _, s := range w.bob.List(t, "/api/v1/timelines/home") {
			if s["uri"] == original["uri"] {
				atB = s
				return true, ""
			}
		}
		return false, ""
	})
	id := atB["id"].(string)
	reply := w.bob.Post(t, obj{"status": "@alice@" + host(w.a) + " I agree", "in_reply_to_id": id, "visibility": "public"})
	w.bob.Call(t, "POST", "/api/v1/statuses/"+id+"/reblog", nil)
	w.bob.Call(t, "POST", "/api/v1/statuses/"+id+"/favourite", nil)

	bob := "bob@" + host(w.b)
	mention := w.alice.WaitNotification(t, "mention", servertest.FromAccount("acct", bob))
	if st, _ := mention["status"].(obj); st["uri"] != reply["uri"] {
		t.Errorf("mention notification carries %v; want the reply %v", st["uri"], reply["uri"])
	}
	w.alice.WaitNotification(t, "reblog", servertest.FromAccount("acct", bob))
	w.alice.WaitNotification(t, "favourite", servertest.FromAccount("acct", bob))
	servertest.Eventually(t, "the reply is in the thread", func() (bool, string) {
		ctx := w.alice.Call(t, "GET", "/api/v1/statuses/"+original["id"].(string)+"/context", nil)
		desc, _ := ctx["descendants"].([]any)
		return len(desc) == 1 && desc[0].(obj)["uri"] == reply["uri"], fmt0(desc)
	})
	// alice answers the reply: a thread across both servers.
	answer := w.alice.Post(t, obj{"status": "@bob@" + host(w.b) + " thanks", "in_reply_to_id": w.alice.ResolveStatus(t, reply["uri"].(string))["id"], "visibility": "public"})
	w.bob.WaitNotification(t, "mention", servertest.FromAccount("acct", "alice@"+host(w.a)))
	servertest.Eventually(t, "bob sees the whole thread", func() (bool, string) {
		ctx := w.bob.Call(t, "GET", "/api/v1/statuses/"+id+"/context", nil)
		desc, _ := ctx["descendants"].([]any)
		return len(desc) == 2 && desc[1].(obj)["uri"] == answer["uri"], fmt0(desc)
	})
	// Undoing the like and the boost reaches alice too.
	w.bob.Call(t, "POST", "/api/v1/statuses/"+id+"/unfavourite", nil)
	w.bob.Call(t, "POST", "/api/v1/statuses/"+id+"/unreblog", nil)
	servertest.Eventually(t, "the like and boost are withdrawn", func() (bool, string) {
		st := w.alice.Call(t, "GET", "/api/v1/statuses/"+original["id"].(string), nil)
		return st["favourites_count"] == 0.0 && st["reblogs_count"] == 0.0, fmt0(st["favourites_count"], st["reblogs_count"])
	})
}

// editAndDelete: an edit reaches the copy on B; a delete removes it there.
func (w *world) editAndDelete(t *testing.T) {
	st := w.alice.Post(t, obj{"status": "first words", "visibility": "public"})
	var atB string
	servertest.Eventually(t, "bob sees the post", func() (bool, string) {
		for _, s := range w.bob.List(t, "/api/v1/timelines/home") {
			if s["uri"] == st["uri"] {
				atB = s["id"].(string)
				return true, ""
			}
		}
		return false, ""
	})
	w.alice.Call(t, "PUT", "/api/v1/statuses/"+st["id"].(string), obj{"status": "better words"})
	servertest.Eventually(t, "the edit arrives", func() (bool, string) {
		s := w.bob.Call(t, "GET", "/api/v1/statuses/"+atB, nil)
		return s["edited_at"] != nil && contains(s["content"], "better words"), fmt0(s["content"])
	})
	if resp := w.alice.Do(t, "DELETE", "/api/v1/statuses/"+st["id"].(string), nil); resp.Status != 200 {
		t.Fatalf("delete: %d %s", resp.Status, resp.Body)
	}
	servertest.Eventually(t, "the delete arrives", func() (bool, string) {
		resp := w.bob.Do(t, "GET", "/api/v1/statuses/"+atB, nil)
		return resp.Status == 404, fmt0(resp.Status)
	})
}

// profileUpdate: alice's new display name reaches B.
func (w *world) profileUpdate(t *testing.T) {
	w.alice.Call(t, "PATCH", "/api/v1/accounts/update_credentials", obj{"display_name": "Alice of A"})
	servertest.Eventually(t, "B shows the new name", func() (bool, string) {
		a := w.bob.Call(t, "GET", "/api/v1/accounts/"+w.aliceAtB, nil)
		return a["display_name"] == "Alice of A", fmt0(a["display_name"])
	})
}

// block: alice blocks bob; B ends bob's follow of alice and alice's of bob.
func (w *world) block(t *testing.T) {
	w.alice.Call(t, "POST", "/api/v1/accounts/"+w.bobAtA+"/block", nil)
	// Undo(Follow), Reject(Follow) and Block go to one inbox, where several deliveries
	// may be in flight at once: they can arrive in any order.
	servertest.Eventually(t, "bob no longer follows alice, and B knows alice blocks bob", func() (bool, string) {
		r := w.bob.Relationship(t, w.aliceAtB)
		return r["following"] == false && r["followed_by"] == false && r["blocked_by"] == true, fmt0(r)
	})
	later := w.alice.Post(t, obj{"status": "after the block", "visibility": "public"})
	drained(t, w.a, w.b)
	if hasURI(w.bob.List(t, "/api/v1/timelines/home"), later["uri"].(string)) {
		t.Error("bob's home shows a post made after alice blocked him")
	}
	w.alice.Call(t, "POST", "/api/v1/accounts/"+w.bobAtA+"/unblock", nil)
	servertest.Eventually(t, "B lifts the block", func() (bool, string) {
		r := w.bob.Relationship(t, w.aliceAtB)
		return r["blocked_by"] == false, fmt0(r)
	})
}

// pins: alice's pin and unpin reach B as Add and Remove on her featured collection.
func (w *world) pins(t *testing.T) {
	st := w.alice.Post(t, obj{"status": "pin me", "visibility": "public"})
	// Deliveries are independent jobs, so an Add may overtake the Create; inbound
	// processing refuses an Add of a status it does not have (it does not fetch it yet),
	// so the pin waits for the post to arrive.
	servertest.Eventually(t, "bob sees the post", func() (bool, string) {
		return hasURI(w.bob.List(t, "/api/v1/timelines/home"), st["uri"].(string)), ""
	})
	w.alice.Call(t, "POST", "/api/v1/statuses/"+st["id"].(string)+"/pin", nil)
	pinnedAtB := func() []obj { return w.bob.List(t, "/api/v1/accounts/"+w.aliceAtB+"/statuses?pinned=true") }
	servertest.Eventually(t, "B shows the pin", func() (bool, string) {
		p := pinnedAtB()
		return hasURI(p, st["uri"].(string)), fmt0(len(p))
	})
	w.alice.Call(t, "POST", "/api/v1/statuses/"+st["id"].(string)+"/unpin", nil)
	servertest.Eventually(t, "B drops the pin", func() (bool, string) {
		p := pinnedAtB()
		return !hasURI(p, st["uri"].(string)), fmt0(len(p))
	})
}

// reportForwarded: alice reports bob with forward=true; B's moderators get a report
// from A's instance actor naming bob and his status.
func (w *world) reportForwarded(t *testing.T) {
	theirs := w.bob.Post(t, obj{"status": "something to report", "visibility": "public"})
	atA := w.alice.ResolveStatus(t, theirs["uri"].(string))
	r := w.alice.Call(t, "POST", "/api/v1/reports", obj{"account_id": w.bobAtA, "status_ids": []string{atA["id"].(string)},
		"comment": "please look", "forward": true})
	if r["forwarded"] != true {
		t.Fatalf("report not marked forwarded: %v", r)
	}
	servertest.Eventually(t, "B has the forwarded report", func() (bool, string) {
		var n int
		err := w.b.Store.DB().QueryRow(`SELECT COUNT(*) FROM reports WHERE target_account_id = $1 AND comment = 'please look'
			AND status_ids LIKE $2`, w.bob.Account.ID, "%"+theirs["id"].(string)+"%").Scan(&n)
		return err == nil && n == 1, fmt0(n, err)
	})
}

// unfollow: alice stops following carol; B no longer counts her among carol's followers.
func (w *world) unfollow(t *testing.T) {
	w.alice.Call(t, "POST", "/api/v1/accounts/"+w.carolAtA+"/unfollow", nil)
	servertest.Eventually(t, "carol loses her follower", func() (bool, string) {
		followers := w.carol.List(t, "/api/v1/accounts/"+fmt0(w.carol.Account.ID)+"/followers")
		return len(followers) == 0, fmt0(followers)
	})
}

// pollVote: bob votes in alice's poll from B; A counts the vote.
func (w *world) pollVote(t *testing.T) {
	st := w.alice.Post(t, obj{"status": "tea or coffee?", "visibility": "public",
		"poll": obj{"options": []string{"tea", "coffee"}, "expires_in": 3600}})
	var atB obj
	servertest.Eventually(t, "bob sees the poll", func() (bool, string) {
		for _, s := range w.bob.List(t, "/api/v1/timelines/home") {
			if s["uri"] == st["uri"] && s["poll"] != nil {
				atB = s
				return true, ""
			}
		}
		return false, ""
	})
	pollID := atB["poll"].(obj)["id"].(string)
	w.bob.Call(t, "POST", "/api/v1/polls/"+pollID+"/votes", obj{"choices": []int{1}})
	voteID := "http://" + host(w.b) + "/users/bob#votes/" + pollID + "/1/activity"
	servertest.Eventually(t, "A took bob's vote in", func() (bool, string) {
		var n int
		err := w.a.Store.DB().QueryRow(`SELECT COUNT(*) FROM inbox_activities WHERE activity_id = $1`, voteID).Scan(&n)
		return err == nil && n == 1, fmt0(n, err)
	})
	t.Skip("inbound processing does not count remote votes yet (a Create of a Note with a name answering a local Question): counting waits on the inbound side")
	servertest.Eventually(t, "A counts bob's vote", func() (bool, string) {
		p := w.alice.Call(t, "GET", "/api/v1/statuses/"+st["id"].(string), nil)["poll"].(obj)
		opts := p["options"].([]any)
		return p["votes_count"] == 1.0 && opts[1].(obj)["votes_count"] == 1.0, fmt0(p)
	})
}

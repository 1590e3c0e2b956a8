package interop_test

import (
	"fmt"
	"testing"

	"github.com/tuskhq/tusk/internal/fedtest/peer"
	"github.com/tuskhq/tusk/internal/server/servertest"
)

// peerFollowsUnlocked: tusk accepts at once; both sides agree on the follow.
func (w *world) peerFollowsUnlocked(t *testing.T) {
	_, err := w.p.Follow("pia", w.tk.actor(w.ana))
	noErr(t, err)
	if err := w.p.WaitFollowing("pia", w.tk.actor(w.ana), "accepted", timeout); err != nil {
		t.Fatal(err)
	}
	followers := w.ana.List(t, "/api/v1/accounts/"+fmt.Sprint(w.ana.Account.ID)+"/followers")
	if len(followers) != 1 || followers[0]["uri"] != w.pia || followers[0]["acct"] != "pia@"+w.p.Host() {
		t.Fatalf("ana's followers = %v; want pia (%s)", followers, w.pia)
	}
	w.piaAtTusk = followers[0]["id"].(string)
	w.ana.WaitNotification(t, "follow", servertest.FromAccount("uri", w.pia))
}

// peerFollowsLocked: lena sees a request; her authorization sends the Accept.
func (w *world) peerFollowsLocked(t *testing.T) {
	_, err := w.p.Follow("pia", w.tk.actor(w.lena))
	noErr(t, err)
	var requests []obj
	servertest.Eventually(t, "lena sees pia's request", func() (bool, string) {
		requests = w.lena.List(t, "/api/v1/follow_requests")
		return len(requests) == 1, fmt.Sprint(requests)
	})
	if requests[0]["uri"] != w.pia {
		t.Fatalf("follow request from %v; want %s", requests[0]["uri"], w.pia)
	}
	f, err := w.p.Following("pia")
	noErr(t, err)
	if state(f, w.tk.actor(w.lena)) != "pending" {
		t.Fatalf("pia's follow of lena before she decided: %v", f)
	}
	w.lena.Call(t, "POST", "/api/v1/follow_requests/"+requests[0]["id"].(string)+"/authorize", nil)
	if err := w.p.WaitFollowing("pia", w.tk.actor(w.lena), "accepted", timeout); err != nil {
		t.Fatal(err)
	}
}

// tuskFollowsPeer: ana finds pia by URL and follows; the follow is requested until pia's
// server accepts.
func (w *world) tuskFollowsPeer(t *testing.T) {
	acc := w.ana.ResolveAccount(t, w.pia)
	if acc["acct"] != "pia@"+w.p.Host() || acc["username"] != "pia" {
		t.Fatalf("resolved %s as %v", w.pia, acc)
	}
	w.piaAtTusk = acc["id"].(string)
	rel := w.ana.Call(t, "POST", "/api/v1/accounts/"+w.piaAtTusk+"/follow", nil)
	if rel["following"] != true && rel["requested"] != true {
		t.Fatalf("after follow: %v", rel)
	}
	servertest.Eventually(t, "ana follows pia", func() (bool, string) {
		r := w.ana.Relationship(t, w.piaAtTusk)
		return r["following"] == true && r["requested"] == false, fmt.Sprint(r)
	})
	if err := w.p.WaitFollower("pia", w.tk.actor(w.ana), "accepted", timeout); err != nil {
		t.Fatal(err)
	}
}

// state is the state of the follow of actor in a peer's list, "" when absent.
func state(list []peer.Follow, actor string) string {
	for _, f := range list {
		if f.Actor == actor {
			return f.State
		}
	}
	return ""
}

// tuskFollowsLockedPeer: ana's follow of paul stays requested until paul accepts.
func (w *world) tuskFollowsLockedPeer(t *testing.T) {
	paul := w.ana.ResolveAccount(t, w.paul)["id"].(string)
	w.ana.Call(t, "POST", "/api/v1/accounts/"+paul+"/follow", nil)
	if err := w.p.WaitFollower("paul", w.tk.actor(w.ana), "pending", timeout); err != nil {
		t.Fatal(err)
	}
	if r := w.ana.Relationship(t, paul); r["following"] != false || r["requested"] != true {
		t.Fatalf("ana's follow of paul before he decided: %v", r)
	}
	_, err := w.p.AcceptFollower("paul", w.tk.actor(w.ana))
	noErr(t, err)
	servertest.Eventually(t, "ana follows paul", func() (bool, string) {
		r := w.ana.Relationship(t, paul)
		return r["following"] == true && r["requested"] == false, fmt.Sprint(r)
	})
}

// followerRemoved: lena removes pia from her followers; pia's server sees the Reject.
func (w *world) followerRemoved(t *testing.T) {
	id := w.lena.ResolveAccount(t, w.pia)["id"].(string)
	w.lena.Call(t, "POST", "/api/v1/accounts/"+id+"/remove_from_followers", nil)
	if err := w.p.WaitFollowing("pia", w.tk.actor(w.lena), "rejected", timeout); err != nil {
		t.Fatal(err)
	}
}

// unfollows: pia's Undo(Follow) empties ana's followers; ana's unfollow reaches pia's server.
func (w *world) unfollows(t *testing.T) {
	_, err := w.p.Unfollow("pia", w.tk.actor(w.ana))
	noErr(t, err)
	servertest.Eventually(t, "pia no longer follows ana", func() (bool, string) {
		f := w.ana.List(t, "/api/v1/accounts/"+fmt.Sprint(w.ana.Account.ID)+"/followers")
		return len(f) == 0, fmt.Sprint(f)
	})
	w.ana.Call(t, "POST", "/api/v1/accounts/"+w.piaAtTusk+"/unfollow", nil)
	servertest.Eventually(t, "ana no longer follows pia there", func() (bool, string) {
		f, err := w.p.Followers("pia")
		return err == nil && state(f, w.tk.actor(w.ana)) == "", fmt.Sprint(f, err)
	})
}

// requestRejected: lena rejects paul's request; paul's server sees the Reject.
func (w *world) requestRejected(t *testing.T) {
	_, err := w.p.Follow("paul", w.tk.actor(w.lena))
	noErr(t, err)
	var requests []obj
	servertest.Eventually(t, "lena sees paul's request", func() (bool, string) {
		requests = w.lena.List(t, "/api/v1/follow_requests")
		return len(requests) == 1 && requests[0]["uri"] == w.paul, fmt.Sprint(requests)
	})
	w.lena.Call(t, "POST", "/api/v1/follow_requests/"+requests[0]["id"].(string)+"/reject", nil)
	if err := w.p.WaitFollowing("paul", w.tk.actor(w.lena), "rejected", timeout); err != nil {
		t.Fatal(err)
	}
}

// block: lena blocks pia; pia's server receives the Block and loses lena as a follower.
func (w *world) block(t *testing.T) {
	id := w.lena.ResolveAccount(t, w.pia)["id"].(string)
	w.lena.Call(t, "POST", "/api/v1/accounts/"+id+"/block", nil)
	waitActivity(t, w.p, "lena's Block", func(a peer.Activity) bool {
		return a.Type == "Block" && a.Actor == w.tk.actor(w.lena) && a.Object == w.pia
	})
	servertest.Eventually(t, "lena no longer follows pia there", func() (bool, string) {
		f, err := w.p.Followers("pia")
		return err == nil && state(f, w.tk.actor(w.lena)) == "", fmt.Sprint(f, err)
	})
}

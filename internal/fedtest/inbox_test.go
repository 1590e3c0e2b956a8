package fedtest

import (
	"net/http"
	"testing"
	"time"
)

func TestRecordInbox(t *testing.T) {
	t.Parallel()
	r := NewRemote(t)
	sender := NewRemote(t).Actor("alice")
	tags := 0
	inbox := r.RecordInbox(func(*http.Request) string { tags++; return "seen" })
	create := sender.Activity("Create", "/notes/1/activity", sender.Note("/notes/1", "hi"))
	if resp := sender.Post(t, r.URL+"/users/alice/inbox", create); resp.Status != http.StatusAccepted {
		t.Fatalf("signed Create = %d %s; want 202", resp.Status, resp.Body)
	}
	if resp := sender.Post(t, r.URL+"/inbox", sender.Activity("Follow", "/follows/1", r.Actor("alice").ID)); resp.Status != http.StatusAccepted {
		t.Fatalf("signed Follow to the shared inbox = %d; want 202", resp.Status)
	}
	unsigned := sender.PostWith(t, r.URL+"/inbox", create, "", nil, time.Now())
	if unsigned.Status != http.StatusUnauthorized {
		t.Errorf("unsigned delivery = %d; want 401", unsigned.Status)
	}
	d, ok := inbox.Find("Create", sender.remote.URL+"/notes/1")
	if !ok || d.Path != "/users/alice/inbox" || d.Tag != "seen" || d.From == "" {
		t.Errorf("recorded Create = %+v, %v", d, ok)
	}
	if _, ok := inbox.Find("Follow", r.Actor("alice").ID); !ok {
		t.Error("the Follow with a bare object id was not recorded")
	}
	if got := len(inbox.Received()); got != 2 || tags != 2 {
		t.Errorf("%d deliveries recorded, %d tagged; want the 2 signed ones", got, tags)
	}
}

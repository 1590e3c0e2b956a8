package federation

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/outbound"
	"github.com/tuskhq/tusk/internal/social"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

// deliveries reads what federation queued in the delivery table, and records the
// jobs it queued (actor updates), as the job queue would hold them.
type deliveries struct {
	st   *store.Store
	mu   sync.Mutex
	jobs []river.JobArgs
}

func (d *deliveries) Enqueue(_ context.Context, _ store.Q, args river.JobArgs, _ *river.InsertOpts) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.jobs = append(d.jobs, args)
	return nil
}

// take returns the deliveries queued since the last take, each with its activity, in
// the order they were queued, and removes them from the table.
func (d *deliveries) take(t *testing.T) []sent {
	t.Helper()
	ctx := context.Background()
	rows, err := d.st.QueuedDeliveries(ctx, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []sent
	for _, r := range rows {
		var act map[string]any
		if err := json.Unmarshal(r.Body, &act); err != nil {
			t.Fatalf("activity to %s is not JSON: %v", r.Inbox, err)
		}
		if act["id"] != r.ActivityID {
			t.Fatalf("delivery to %s queued as activity %q, carries %v", r.Inbox, r.ActivityID, act["id"])
		}
		out = append(out, sent{inbox: r.Inbox, signer: r.SignerAccountID, activity: act})
		if err := d.st.Writer().DeleteDelivery(ctx, r.ID); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

type sent struct {
	inbox    string
	signer   int64
	activity map[string]any
}

func inboxesOf(list []sent) []string {
	var out []string
	for _, s := range list {
		out = append(out, s.inbox)
	}
	slices.Sort(out)
	return out
}

// world is a local instance with remote accounts on a few servers.
type world struct {
	st   *store.Store
	soc  *social.Service
	fed  *Service
	out  *deliveries
	acct map[string]*model.Account
}

func newWorld(t testing.TB, st *store.Store) *world {
	t.Helper()
	cfg := config.Config{LocalDomain: "example.test", WebDomain: "example.test", MaxStatusChars: 500}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	out := &deliveries{st: st}
	soc := &social.Service{Store: st, Config: cfg, Log: log}
	fed := New(st, soc, cfg, log, loopbackClient(), out)
	soc.Federator = fed
	w := &world{st: st, soc: soc, fed: fed, out: out, acct: map[string]*model.Account{}}
	w.local(t, "alice")
	w.local(t, "lou")
	w.remote(t, "r1", "a.test", "https://a.test/inbox")
	w.remote(t, "r2", "a.test", "https://a.test/inbox")
	w.remote(t, "r3", "b.test", "")
	w.remote(t, "r4", "bad.test", "https://bad.test/inbox")
	w.remote(t, "m1", "c.test", "https://c.test/inbox")
	// r5's handle is on a good domain but its shared inbox on the blocked one.
	w.remote(t, "r5", "ok.test", "https://inbox.bad.test/inbox")
	ctx := context.Background()
	if err := st.Writer().ServerInsertDomainBlock(ctx, &model.DomainBlock{Domain: "bad.test", Severity: "suspend"}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"r1", "r2", "r3", "r4", "r5", "lou"} {
		f := &model.Follow{AccountID: w.acct[name].ID, TargetAccountID: w.acct["alice"].ID, ShowReblogs: true}
		if err := st.Writer().InsertFollow(ctx, store.Follows, f); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

func (w *world) local(t testing.TB, name string) {
	a := &model.Account{Username: name, URI: "https://example.test/users/" + name}
	if err := w.st.Writer().InsertAccount(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	w.acct[name] = a
}

func (w *world) remote(t testing.TB, name, domain, shared string) {
	ctx := context.Background()
	uri := "https://" + domain + "/users/" + name
	a := &model.Account{Username: name, Domain: domain, URI: uri}
	if err := w.st.Writer().InsertAccount(ctx, a); err != nil {
		t.Fatal(err)
	}
	actor := &model.Actor{AccountID: a.ID, Type: "Person", InboxURL: uri + "/inbox", SharedInboxURL: shared}
	if err := w.st.Writer().UpsertActor(ctx, actor); err != nil {
		t.Fatal(err)
	}
	w.acct[name] = a
}

func (w *world) remoteStatus(t testing.TB, author string) *model.Status {
	a := w.acct[author]
	st := &model.Status{AccountID: a.ID, URI: a.URI + "/statuses/1", Content: "<p>hello</p>", Visibility: model.Public}
	if err := w.st.Writer().InsertStatus(context.Background(), store.NewStatus{Status: st}); err != nil {
		t.Fatal(err)
	}
	return st
}

func TestPostsReachTheirAudienceOnly(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		w := newWorld(t, st)
		ctx := context.Background()
		followers := []string{"https://a.test/inbox", "https://b.test/users/r3/inbox"}
		withMention := append(slices.Clone(followers), "https://c.test/inbox")
		slices.Sort(withMention)
		for _, tc := range []struct {
			vis  model.Visibility
			text string
			want []string
		}{
			{model.Public, "hello", followers},
			{model.Public, "hello @m1@c.test", withMention},
			{model.Unlisted, "hello @m1@c.test", withMention},
			{model.Private, "hello", followers},
			{model.Private, "hello @m1@c.test", withMention},
			{model.Direct, "hello @m1@c.test", []string{"https://c.test/inbox"}},
			{model.Direct, "hello @lou", nil},
		} {
			posted, err := w.soc.Post(ctx, w.acct["alice"], nil, social.PostParams{Text: tc.text, Visibility: tc.vis, Sensitive: new(false)})
			if err != nil {
				t.Fatal(err)
			}
			got := w.out.take(t)
			if !slices.Equal(inboxesOf(got), tc.want) {
				t.Errorf("%s %q went to %v; want %v", tc.vis, tc.text, inboxesOf(got), tc.want)
			}
			for _, d := range got {
				if d.activity["type"] != "Create" || d.signer != w.acct["alice"].ID {
					t.Errorf("%s: sent %v signed by %d", tc.vis, d.activity["type"], d.signer)
				}
			}
			if _, err := w.soc.Delete(ctx, w.acct["alice"], posted.ID); err != nil {
				t.Fatal(err)
			}
			deleted := w.out.take(t)
			if !slices.Equal(inboxesOf(deleted), tc.want) {
				t.Errorf("Delete of %s %q went to %v; want %v", tc.vis, tc.text, inboxesOf(deleted), tc.want)
			}
			for _, d := range deleted {
				obj, _ := d.activity["object"].(map[string]any)
				if d.activity["type"] != "Delete" || obj["type"] != "Tombstone" || obj["id"] != posted.URI {
					t.Errorf("Delete of %s: %v", posted.URI, d.activity)
				}
			}
		}
	})
}

func TestRemoteFollowWaitsForAccept(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		w := newWorld(t, st)
		ctx := context.Background()
		alice, m1 := w.acct["alice"], w.acct["m1"]
		rel, err := w.soc.Follow(ctx, alice, m1.ID, social.FollowOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if rel.Following || !rel.Requested {
			t.Fatalf("relationship after a remote follow: following %v, requested %v; want a pending request", rel.Following, rel.Requested)
		}
		req, err := st.FollowBetween(ctx, store.FollowRequests, alice.ID, m1.ID)
		if err != nil {
			t.Fatal(err)
		}
		got := w.out.take(t)
		if len(got) != 1 || got[0].inbox != "https://c.test/inbox" || got[0].activity["type"] != "Follow" ||
			got[0].activity["id"] != req.URI || got[0].activity["object"] != m1.URI || req.URI == "" {
			t.Fatalf("Follow sent: %+v; request uri %q", got, req.URI)
		}
		if _, err := w.soc.Unfollow(ctx, alice, m1.ID); err != nil {
			t.Fatal(err)
		}
		got = w.out.take(t)
		inner, _ := got[0].activity["object"].(map[string]any)
		if len(got) != 1 || got[0].activity["type"] != "Undo" || inner["id"] != req.URI || inner["type"] != "Follow" {
			t.Fatalf("Undo sent: %+v", got)
		}
	})
}

func TestInteractionsGoToTheRemoteAuthor(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		w := newWorld(t, st)
		ctx := context.Background()
		alice := w.acct["alice"]
		theirs := w.remoteStatus(t, "m1")
		if _, err := w.soc.Favourite(ctx, alice, theirs.ID); err != nil {
			t.Fatal(err)
		}
		like := w.out.take(t)
		if len(like) != 1 || like[0].inbox != "https://c.test/inbox" || like[0].activity["type"] != "Like" || like[0].activity["object"] != theirs.URI {
			t.Fatalf("Like sent: %+v", like)
		}
		if _, err := w.soc.Unfavourite(ctx, alice, theirs.ID); err != nil {
			t.Fatal(err)
		}
		undo := w.out.take(t)
		inner, _ := undo[0].activity["object"].(map[string]any)
		if len(undo) != 1 || undo[0].activity["type"] != "Undo" || inner["id"] != like[0].activity["id"] {
			t.Fatalf("Undo of the Like: %+v", undo)
		}
		if _, err := w.soc.Unfavourite(ctx, alice, theirs.ID); err != nil {
			t.Fatal(err)
		}
		if again := w.out.take(t); len(again) != 0 {
			t.Fatalf("a second unfavourite sent %+v", again)
		}

		if _, err := w.soc.Block(ctx, alice, w.acct["r3"].ID); err != nil {
			t.Fatal(err)
		}
		// r3 followed alice: the follow ends with a Reject before the Block, as Mastodon sends.
		sentToR3 := w.out.take(t)
		if len(sentToR3) != 2 || sentToR3[0].activity["type"] != "Reject" || sentToR3[1].activity["type"] != "Block" ||
			inboxesOf(sentToR3)[0] != "https://b.test/users/r3/inbox" || inboxesOf(sentToR3)[1] != "https://b.test/users/r3/inbox" {
			t.Fatalf("Block of a follower sent: %+v", sentToR3)
		}
		block := sentToR3[1:]
		if _, err := w.soc.Unblock(ctx, alice, w.acct["r3"].ID); err != nil {
			t.Fatal(err)
		}
		unblock := w.out.take(t)
		inner, _ = unblock[0].activity["object"].(map[string]any)
		if len(unblock) != 1 || unblock[0].activity["type"] != "Undo" || inner["id"] != block[0].activity["id"] {
			t.Fatalf("Undo of the Block: %+v", unblock)
		}
		// alice's own pending follow of m1 is withdrawn (Undo) before the Block.
		if _, err := w.soc.Follow(ctx, alice, w.acct["m1"].ID, social.FollowOptions{}); err != nil {
			t.Fatal(err)
		}
		follow := w.out.take(t)
		if _, err := w.soc.Block(ctx, alice, w.acct["m1"].ID); err != nil {
			t.Fatal(err)
		}
		sentToM1 := w.out.take(t)
		if len(sentToM1) != 2 || sentToM1[0].activity["type"] != "Undo" || sentToM1[1].activity["type"] != "Block" {
			t.Fatalf("Block of a followed account sent: %+v", sentToM1)
		}
		if undone, _ := sentToM1[0].activity["object"].(map[string]any); len(follow) != 1 || undone["id"] != follow[0].activity["id"] {
			t.Fatalf("the Undo names %v; the Follow was %+v", sentToM1[0].activity["object"], follow)
		}
		// Blocking a suspended domain's account tells it nothing.
		if _, err := w.soc.Block(ctx, alice, w.acct["r4"].ID); err != nil {
			t.Fatal(err)
		}
		if got := w.out.take(t); len(got) != 0 {
			t.Fatalf("sent to a suspended domain: %+v", got)
		}
		// Local-only interactions send nothing.
		mine, err := w.soc.Post(ctx, w.acct["lou"], nil, social.PostParams{Text: "local", Visibility: model.Public, Sensitive: new(false)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.soc.Favourite(ctx, alice, mine.ID); err != nil {
			t.Fatal(err)
		}
		if got := w.out.take(t); len(got) != 0 {
			t.Fatalf("a local favourite sent %+v", got)
		}
	})
}

func TestFollowRequestAnswersAndReportForward(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		w := newWorld(t, st)
		ctx := context.Background()
		alice, m1 := w.acct["alice"], w.acct["m1"]
		followURI := "https://c.test/follows/1"
		req := &model.Follow{AccountID: m1.ID, TargetAccountID: alice.ID, ShowReblogs: true, URI: followURI}
		if err := st.Writer().InsertFollow(ctx, store.FollowRequests, req); err != nil {
			t.Fatal(err)
		}
		if _, err := w.soc.AuthorizeFollowRequest(ctx, alice, m1.ID); err != nil {
			t.Fatal(err)
		}
		accept := w.out.take(t)
		inner, _ := accept[0].activity["object"].(map[string]any)
		if len(accept) != 1 || accept[0].inbox != "https://c.test/inbox" || accept[0].activity["type"] != "Accept" ||
			inner["id"] != followURI || inner["actor"] != m1.URI {
			t.Fatalf("Accept sent: %+v", accept)
		}
		if _, err := w.soc.RemoveFromFollowers(ctx, alice, m1.ID); err != nil {
			t.Fatal(err)
		}
		if reject := w.out.take(t); len(reject) != 1 || reject[0].activity["type"] != "Reject" {
			t.Fatalf("Reject after removing a follower: %+v", reject)
		}

		// An inbound Follow of an unlocked account is accepted at once, and a repeated
		// one is accepted again: the follower's server may have missed the first Accept.
		for i, uri := range []string{"https://c.test/follows/2", "https://c.test/follows/3"} {
			if err := w.soc.ReceiveFollow(ctx, m1, alice, uri); err != nil {
				t.Fatal(err)
			}
			got := w.out.take(t)
			inner, _ := got[0].activity["object"].(map[string]any)
			if len(got) != 1 || got[0].activity["type"] != "Accept" || inner["id"] != uri {
				t.Fatalf("Follow %d answered with %+v", i, got)
			}
		}
		// A locked account's refusal is a Reject.
		lou := w.acct["lou"]
		lou.Locked = true
		if err := st.Writer().UpdateProfile(ctx, lou); err != nil {
			t.Fatal(err)
		}
		if err := w.soc.ReceiveFollow(ctx, m1, lou, "https://c.test/follows/4"); err != nil {
			t.Fatal(err)
		}
		if got := w.out.take(t); len(got) != 0 {
			t.Fatalf("a request to a locked account was answered before its owner decided: %+v", got)
		}
		if _, err := w.soc.RejectFollowRequest(ctx, lou, m1.ID); err != nil {
			t.Fatal(err)
		}
		reject := w.out.take(t)
		inner, _ = reject[0].activity["object"].(map[string]any)
		if len(reject) != 1 || reject[0].activity["type"] != "Reject" || inner["id"] != "https://c.test/follows/4" {
			t.Fatalf("Reject sent: %+v", reject)
		}

		theirs := w.remoteStatus(t, "m1")
		r, _, err := w.soc.Report(ctx, alice, social.ReportParams{TargetID: m1.ID, StatusIDs: []int64{theirs.ID}, Comment: "spam", Forward: true})
		if err != nil {
			t.Fatal(err)
		}
		flag := w.out.take(t)
		objects, _ := flag[0].activity["object"].([]any)
		if !r.Forwarded || len(flag) != 1 || flag[0].signer != 0 || flag[0].activity["type"] != "Flag" ||
			flag[0].activity["actor"] != w.fed.URLs.InstanceActor() || len(objects) != 2 || objects[1] != theirs.URI {
			t.Fatalf("Flag sent: %+v (forwarded %v)", flag, r.Forwarded)
		}
		if _, _, err := w.soc.Report(ctx, alice, social.ReportParams{TargetID: m1.ID, Comment: "kept here"}); err != nil {
			t.Fatal(err)
		}
		if got := w.out.take(t); len(got) != 0 {
			t.Fatalf("a report not to forward sent %+v", got)
		}
	})
}

func TestBoostsEditsPinsProfileAndVotes(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		w := newWorld(t, st)
		ctx := context.Background()
		alice := w.acct["alice"]
		followers := []string{"https://a.test/inbox", "https://b.test/users/r3/inbox"}
		theirs := w.remoteStatus(t, "m1")
		boost, err := w.soc.Reblog(ctx, alice, theirs.ID, model.Public)
		if err != nil {
			t.Fatal(err)
		}
		announce := w.out.take(t)
		withAuthor := []string{"https://a.test/inbox", "https://b.test/users/r3/inbox", "https://c.test/inbox"}
		if !slices.Equal(inboxesOf(announce), withAuthor) || announce[0].activity["type"] != "Announce" ||
			announce[0].activity["object"] != theirs.URI || announce[0].activity["id"] != boost.URI {
			t.Fatalf("Announce sent: %+v", announce)
		}
		if _, err := w.soc.Unreblog(ctx, alice, theirs.ID); err != nil {
			t.Fatal(err)
		}
		undo := w.out.take(t)
		inner, _ := undo[0].activity["object"].(map[string]any)
		if !slices.Equal(inboxesOf(undo), withAuthor) || undo[0].activity["type"] != "Undo" || inner["id"] != boost.URI {
			t.Fatalf("Undo of the Announce: %+v", undo)
		}

		mine, err := w.soc.Post(ctx, alice, nil, social.PostParams{Text: "first", Visibility: model.Public, Sensitive: new(false)})
		if err != nil {
			t.Fatal(err)
		}
		w.out.take(t)
		if _, err := w.soc.Edit(ctx, alice, mine.ID, social.EditParams{Text: "second"}); err != nil {
			t.Fatal(err)
		}
		update := w.out.take(t)
		note, _ := update[0].activity["object"].(map[string]any)
		if !slices.Equal(inboxesOf(update), followers) || update[0].activity["type"] != "Update" || note["id"] != mine.URI ||
			note["updated"] == nil || !strings.Contains(note["content"].(string), "second") {
			t.Fatalf("Update sent: %+v", update)
		}

		if _, err := w.soc.Pin(ctx, alice, mine.ID); err != nil {
			t.Fatal(err)
		}
		add := w.out.take(t)
		if !slices.Equal(inboxesOf(add), followers) || add[0].activity["type"] != "Add" || add[0].activity["target"] != w.fed.URLs.Featured("alice") {
			t.Fatalf("Add sent: %+v", add)
		}
		if _, err := w.soc.Unpin(ctx, alice, mine.ID); err != nil {
			t.Fatal(err)
		}
		if remove := w.out.take(t); len(remove) != 2 || remove[0].activity["type"] != "Remove" {
			t.Fatalf("Remove sent: %+v", remove)
		}

		name := "Alice A."
		u := &model.User{AccountID: alice.ID, Email: "alice@example.test"}
		if err := st.Writer().InsertUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		if err := w.soc.UpdateProfile(ctx, alice, u, social.ProfileUpdate{DisplayName: &name}); err != nil {
			t.Fatal(err)
		}
		if got := w.out.take(t); len(got) != 0 {
			t.Fatalf("a profile update delivered before its job ran: %+v", got)
		}
		if err := w.fed.SendActorUpdate(ctx, alice.ID); err != nil {
			t.Fatal(err)
		}
		profile := w.out.take(t)
		person, _ := profile[0].activity["object"].(map[string]any)
		if !slices.Equal(inboxesOf(profile), followers) || profile[0].activity["type"] != "Update" || person["name"] != name {
			t.Fatalf("Update of the actor: %+v", profile)
		}

		poll := &model.Poll{StatusID: theirs.ID, AccountID: theirs.AccountID, Options: []string{"tea", "coffee", "water"}, Multiple: true}
		if err := st.Writer().InsertPoll(ctx, poll); err != nil {
			t.Fatal(err)
		}
		if _, err := w.soc.Vote(ctx, alice, poll.ID, []int{0, 2}); err != nil {
			t.Fatal(err)
		}
		votes := w.out.take(t)
		if len(votes) != 2 {
			t.Fatalf("votes sent: %+v", votes)
		}
		for i, want := range []string{"tea", "water"} {
			answer, _ := votes[i].activity["object"].(map[string]any)
			if votes[i].inbox != "https://c.test/inbox" || votes[i].activity["type"] != "Create" || answer["name"] != want ||
				answer["inReplyTo"] != theirs.URI {
				t.Errorf("vote %d: %+v", i, votes[i].activity)
			}
		}
	})
}

// loopbackClient is the guarded client with loopback allowed, as tests run the servers.
func loopbackClient() *outbound.Client {
	return outbound.New(outbound.Options{Guard: outbound.Guard{Allowed: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}},
		Timeout: 5 * time.Second})
}

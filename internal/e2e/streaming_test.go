package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	mastodon "github.com/mattn/go-mastodon"

	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/social"
	"github.com/tuskhq/tusk/internal/store"
)

// TestStreamingWithMastodonClient drives both streaming transports with go-mastodon's
// own streaming clients: home, notifications, public, local, hashtag, list and direct.
func TestStreamingWithMastodonClient(t *testing.T) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			in := servertest.Start(t, engine, nil)
			checkStreamingURL(t, in)
			streamScenario(t, in)
		})
	}
}

func checkStreamingURL(t *testing.T, in *servertest.Instance) {
	c := mastodon.NewClient(&mastodon.Config{Server: in.URL})
	inst, err := c.GetInstance(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if want := "ws://" + strings.TrimPrefix(in.URL, "http://"); inst.URLs["streaming_api"] != want {
		t.Errorf("urls.streaming_api = %q; want %q", inst.URLs["streaming_api"], want)
	}
}

// events is one go-mastodon stream, started and waited for until the server listens.
type events struct {
	ch   chan mastodon.Event
	name string
}

// open starts a stream and waits until the instance has a subscriber on channel.
func open(t *testing.T, in *servertest.Instance, name, channel string, start func(ctx context.Context) (chan mastodon.Event, error)) *events {
	t.Helper()
	counter := in.Streaming
	before := counter.Subscriptions(channel)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	ch, err := start(ctx)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	for deadline := time.Now().Add(5 * time.Second); counter.Subscriptions(channel) == before; {
		if time.Now().After(deadline) {
			t.Fatalf("%s: the server never subscribed", name)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return &events{ch: ch, name: name}
}

// next returns the next event that is not a transport error.
func (e *events) next(t *testing.T) mastodon.Event {
	t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case ev := <-e.ch:
			if _, isErr := ev.(*mastodon.ErrorEvent); !isErr {
				return ev
			}
		case <-timeout:
			t.Fatalf("%s: no event", e.name)
		}
	}
}

func (e *events) update(t *testing.T, want mastodon.ID) {
	t.Helper()
	ev, ok := e.next(t).(*mastodon.UpdateEvent)
	if !ok || ev.Status.ID != want {
		t.Errorf("%s: got %#v; want an update of %s", e.name, ev, want)
	}
}

func streamScenario(t *testing.T, in *servertest.Instance) {
	ctx := context.Background()
	alice, bob := in.NewMember(t, "alice"), in.NewMember(t, "bob")
	ac := mastodon.NewClient(&mastodon.Config{Server: in.URL, AccessToken: alice.Token})
	bc := mastodon.NewClient(&mastodon.Config{Server: in.URL, AccessToken: bob.Token})
	if _, err := bc.AccountFollow(ctx, mastodon.ID(fmt.Sprint(alice.Account.ID))); err != nil {
		t.Fatal(err)
	}
	list, err := bc.CreateList(ctx, "friends")
	if err != nil {
		t.Fatal(err)
	}
	if err := bc.AddToList(ctx, list.ID, mastodon.ID(fmt.Sprint(alice.Account.ID))); err != nil {
		t.Fatal(err)
	}
	ws := bc.NewWSClient()
	user := social.UserChannel(bob.Account.ID)
	streams := []*events{
		open(t, in, "ws user", user, ws.StreamingWSUser),
		open(t, in, "sse user", user, bc.StreamingUser),
		open(t, in, "ws public", social.PublicChannel, func(c context.Context) (chan mastodon.Event, error) { return ws.StreamingWSPublic(c, false) }),
		open(t, in, "sse local", social.PublicLocalChannel, func(c context.Context) (chan mastodon.Event, error) { return bc.StreamingPublic(c, true) }),
		open(t, in, "ws hashtag", social.HashtagChannel("e2e", false), func(c context.Context) (chan mastodon.Event, error) { return ws.StreamingWSHashtag(c, "e2e", false) }),
		open(t, in, "sse hashtag local", social.HashtagChannel("e2e", true), func(c context.Context) (chan mastodon.Event, error) { return bc.StreamingHashtag(c, "e2e", true) }),
		open(t, in, "ws list", social.ListChannel(mustInt(list.ID)), func(c context.Context) (chan mastodon.Event, error) { return ws.StreamingWSList(c, list.ID) }),
		open(t, in, "sse list", social.ListChannel(mustInt(list.ID)), func(c context.Context) (chan mastodon.Event, error) { return bc.StreamingList(c, list.ID) }),
	}
	st, err := ac.PostStatus(ctx, &mastodon.Toot{Status: "streaming #e2e"})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range streams {
		s.update(t, st.ID)
	}
	if _, err := ac.UpdateStatus(ctx, &mastodon.Toot{Status: "streaming, edited #e2e"}, st.ID); err != nil {
		t.Fatal(err)
	}
	for _, s := range streams {
		if ev, ok := s.next(t).(*mastodon.UpdateEditEvent); !ok || !strings.Contains(ev.Status.Content, "edited") {
			t.Errorf("%s: got %#v; want status.update", s.name, ev)
		}
	}
	if err := ac.DeleteStatus(ctx, st.ID); err != nil {
		t.Fatal(err)
	}
	for _, s := range streams {
		if ev, ok := s.next(t).(*mastodon.DeleteEvent); !ok || ev.ID != st.ID {
			t.Errorf("%s: got %#v; want delete of %s", s.name, ev, st.ID)
		}
	}

	// A direct message: a notification on bob's user streams, an update in his home, a
	// conversation on his direct streams.
	direct := []*events{
		open(t, in, "ws direct", social.DirectChannel(bob.Account.ID), ws.StreamingWSDirect),
		open(t, in, "sse direct", social.DirectChannel(bob.Account.ID), bc.StreamingDirect),
	}
	dm, err := ac.PostStatus(ctx, &mastodon.Toot{Status: "psst @bob", Visibility: "direct"})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range direct {
		if ev, ok := s.next(t).(*mastodon.ConversationEvent); !ok || ev.Conversation.LastStatus.ID != dm.ID {
			t.Errorf("%s: got %#v; want the conversation of %s", s.name, ev, dm.ID)
		}
	}
	for _, s := range streams[:2] {
		got := map[string]bool{}
		for range 2 {
			switch ev := s.next(t).(type) {
			case *mastodon.NotificationEvent:
				got["notification"] = ev.Notification.Status != nil && ev.Notification.Status.ID == dm.ID
			case *mastodon.UpdateEvent:
				got["update"] = ev.Status.ID == dm.ID
			}
		}
		if !got["notification"] || !got["update"] {
			t.Errorf("%s: got %v; want the DM's notification and update", s.name, got)
		}
	}
}

func mustInt(id mastodon.ID) int64 {
	var n int64
	fmt.Sscan(string(id), &n)
	return n
}

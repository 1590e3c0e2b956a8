package e2e

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	mastodon "github.com/mattn/go-mastodon"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/emoji"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/store"
)

// TestInstanceInformation reads the instance's peers and weekly activity, posts with a
// custom emoji and reports a status, through the client library.
func TestInstanceInformation(t *testing.T) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			in := servertest.Start(t, engine, func(c *config.Config) { c.Registrations = config.RegistrationsOpen })
			ctx := context.Background()
			app, err := mastodon.RegisterApp(ctx, &mastodon.AppConfig{Server: in.URL, ClientName: "e2e", Scopes: "read write follow"})
			if err != nil {
				t.Fatalf("RegisterApp: %v", err)
			}
			signUp(t, in, app, "alice")
			signUp(t, in, app, "bob")
			alice, bob := logIn(t, in, app, "alice"), logIn(t, in, app, "bob")
			checkPeersAndActivity(t, in, alice)
			checkCustomEmoji(t, in, alice)
			checkReport(t, alice, bob)
		})
	}
}

func checkPeersAndActivity(t *testing.T, in *servertest.Instance, c *mastodon.Client) {
	t.Helper()
	ctx := context.Background()
	if err := in.Store.Writer().InsertAccount(ctx, &model.Account{Username: "far", Domain: "remote.example", URI: "https://remote.example/users/far"}); err != nil {
		t.Fatal(err)
	}
	peers, err := c.GetInstancePeers(ctx)
	if err != nil || len(peers) != 1 || peers[0] != "remote.example" {
		t.Errorf("GetInstancePeers = %v, %v; want [remote.example]", peers, err)
	}
	if _, err := c.PostStatus(ctx, &mastodon.Toot{Status: "counted this week", Visibility: "public"}); err != nil {
		t.Fatal(err)
	}
	weeks, err := c.GetInstanceActivity(ctx)
	if err != nil || len(weeks) != 12 {
		t.Fatalf("GetInstanceActivity = %d weeks, %v; want 12", len(weeks), err)
	}
	w := weeks[0]
	if !time.Time(w.Week).Equal(model.WeekOf(time.Now())) || w.Statuses != 1 || w.Logins != 2 || w.Registrations != 2 {
		t.Errorf("this week = %v: %d statuses, %d logins, %d registrations; want 1, 2, 2",
			time.Time(w.Week), w.Statuses, w.Logins, w.Registrations)
	}
}

func checkCustomEmoji(t *testing.T, in *servertest.Instance, c *mastodon.Client) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewGray(image.Rect(0, 0, 4, 4))); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "tusk_e2e.png"), img.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	im := &emoji.Importer{Store: in.Store, Dir: emoji.Dir(in.Config.DataDir), Catalogue: in.Social.Emojis}
	if res, err := im.Import(ctx, dir, emoji.Options{}); err != nil || len(res.Imported) != 1 {
		t.Fatalf("import = %v, %v", res, err)
	}
	st, err := c.PostStatus(ctx, &mastodon.Toot{Status: "hello :tusk_e2e:", Visibility: "public"})
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Emojis) != 1 || st.Emojis[0].ShortCode != "tusk_e2e" {
		t.Fatalf("status emojis = %+v; want tusk_e2e", st.Emojis)
	}
	resp, err := http.Get(st.Emojis[0].URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" {
		t.Errorf("GET %s = %d %s; want 200 image/png", st.Emojis[0].URL, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

func checkReport(t *testing.T, alice, bob *mastodon.Client) {
	t.Helper()
	ctx := context.Background()
	st, err := bob.PostStatus(ctx, &mastodon.Toot{Status: "something reportable", Visibility: "public"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := alice.Report(ctx, st.Account.ID, []mastodon.ID{st.ID}, "not nice")
	if err != nil || r.ID == "" || r.ActionTaken {
		t.Errorf("Report = %+v, %v; want a new open report", r, err)
	}
	if _, err := alice.Report(ctx, st.Account.ID, []mastodon.ID{"1"}, "no such status"); err == nil {
		t.Error("a report citing a missing status was accepted")
	}
}

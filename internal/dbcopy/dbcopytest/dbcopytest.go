// Package dbcopytest fills a running instance with the data a move must keep (members,
// statuses, follows, an uploaded image, OAuth tokens, server keys, queued jobs) and reads
// back a summary of it, so a copy or a restore can be compared with the original.
package dbcopytest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"image"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/tuskhq/tusk/internal/blob"
	"github.com/tuskhq/tusk/internal/jobs"
	"github.com/tuskhq/tusk/internal/server/servertest"
)

// Populate posts, follows, uploads and favourites through the API as members would; the
// instance's job queues are not worked, so the jobs these enqueue stay queued.
func Populate(t testing.TB, in *servertest.Instance) {
	t.Helper()
	alice, bob, carol := in.NewMember(t, "alice"), in.NewMember(t, "bob"), in.NewMember(t, "carol")
	media := uploadPNG(t, in, alice)
	expect(t, alice.Do(t, "POST", "/api/v1/statuses", map[string]any{"status": "a picture", "media_ids": []string{media}}), "post with media")
	for i := range 30 {
		expect(t, bob.Do(t, "POST", "/api/v1/statuses", map[string]any{"status": fmt.Sprintf("bob's status %d #tusk", i)}), "post")
	}
	expect(t, alice.Do(t, "POST", "/api/v1/accounts/"+fmt.Sprint(bob.Account.ID)+"/follow", nil), "follow")
	expect(t, carol.Do(t, "POST", "/api/v1/accounts/"+fmt.Sprint(alice.Account.ID)+"/follow", nil), "follow")
	if _, err := in.Push.VAPID(context.Background()); err != nil { // generates the server key pair
		t.Fatalf("vapid: %v", err)
	}
	enqueueJobs(t, in)
}

// enqueueJobs queues jobs with what River's columns hold: tags, metadata, unique keys and
// states, a future schedule, and a paused queue.
func enqueueJobs(t testing.TB, in *servertest.Instance) {
	t.Helper()
	ctx := context.Background()
	later := time.Now().Add(time.Hour)
	for _, opts := range []*river.InsertOpts{
		{Queue: jobs.Scheduler, Tags: []string{"backup", "test"}, ScheduledAt: later},
		{Queue: jobs.Scheduler, UniqueOpts: river.UniqueOpts{ByArgs: true, ByPeriod: time.Hour}},
	} {
		if err := in.Jobs.Enqueue(ctx, in.Store.Writer(), jobs.CleanOAuthArgs{}, opts); err != nil {
			t.Fatalf("enqueue: %v", err)
		}
	}
	if err := in.Jobs.Pause(ctx, jobs.Pull); err != nil {
		t.Fatalf("pause: %v", err)
	}
}

func expect(t testing.TB, r *servertest.Response, what string) {
	t.Helper()
	if r.Status != 200 {
		t.Fatalf("%s: %d %s", what, r.Status, r.Body)
	}
}

func uploadPNG(t testing.TB, in *servertest.Instance, m *servertest.Member) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 13)
	}
	var pic, body bytes.Buffer
	if err := png.Encode(&pic, img); err != nil {
		t.Fatal(err)
	}
	mw := multipart.NewWriter(&body)
	part, _ := mw.CreateFormFile("file", "picture.png")
	part.Write(pic.Bytes())
	mw.Close()
	req, _ := http.NewRequest("POST", in.URL+"/api/v1/media", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+m.Token)
	r := in.Send(t, req)
	expect(t, r, "upload")
	var att struct{ ID string }
	r.JSON(t, &att)
	return att.ID
}

// Summary is what must survive a move, read with SQL both engines run alike.
type Summary struct {
	Accounts, Statuses, Follows, Media, Tokens, Keys, Jobs []string
	Files                                                  map[string]string // media key → SHA-256
}

var summaryQueries = map[string]string{
	"accounts": `SELECT id || ' ' || username || ' ' || domain FROM accounts ORDER BY id`,
	"statuses": `SELECT id || ' ' || account_id || ' ' || text FROM statuses ORDER BY id`,
	"follows":  `SELECT account_id || ' ' || target_account_id FROM follows ORDER BY id`,
	"media":    `SELECT id || ' ' || file_key || ' ' || file_size FROM media_attachments ORDER BY id`,
	"tokens":   `SELECT token_hash FROM tokens ORDER BY token_hash`,
	"keys":     `SELECT name || '=' || value FROM server_keys ORDER BY name`,
	"jobs":     `SELECT id || ' ' || kind || ' ' || state FROM river_job WHERE state IN ('available', 'scheduled', 'retryable') ORDER BY id`,
}

// Summarize reads db's summary and the SHA-256 of every stored media file in files.
func Summarize(t testing.TB, db *sql.DB, files blob.Store) Summary {
	t.Helper()
	s := Summary{Files: map[string]string{}}
	for name, dst := range map[string]*[]string{"accounts": &s.Accounts, "statuses": &s.Statuses, "follows": &s.Follows,
		"media": &s.Media, "tokens": &s.Tokens, "keys": &s.Keys, "jobs": &s.Jobs} {
		*dst = column(t, db, summaryQueries[name])
		if len(*dst) == 0 {
			t.Fatalf("summary: no %s", name)
		}
	}
	ctx := context.Background()
	err := files.List(ctx, "media_attachments/", func(i blob.Info) error {
		o, err := files.Open(ctx, i.Key)
		if err != nil {
			return err
		}
		defer o.Close()
		h := sha256.New()
		if _, err := io.Copy(h, o); err != nil {
			return err
		}
		s.Files[i.Key] = hex.EncodeToString(h.Sum(nil))
		return nil
	})
	if err != nil {
		t.Fatalf("summary: media files: %v", err)
	}
	return s
}

func column(t testing.TB, db *sql.DB, q string) []string {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatalf("summary: %s: %v", q, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

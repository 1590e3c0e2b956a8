package backup_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/backup"
	"github.com/tuskhq/tusk/internal/blob"
	"github.com/tuskhq/tusk/internal/server"
	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/store"
)

func TestScheduledKeepsExactlyKeep(t *testing.T) {
	t.Parallel()
	in := servertest.Start(t, store.SQLite, nil)
	in.NewMember(t, "alice")
	dir := t.TempDir()
	other := filepath.Join(dir, "notes.txt") // not a backup: retention leaves it alone
	os.WriteFile(other, []byte("keep me"), 0o600)
	dst := &blob.Local{Root: dir}
	src := backup.Source{Store: in.Store, MediaDir: server.LocalMediaDir(in.Config), Env: testEnv}
	start := time.Date(2025, 3, 1, 4, 0, 0, 0, time.UTC)
	var made []string
	for i := range 5 {
		key, err := backup.Scheduled(context.Background(), src, dst, "", 3, start.Add(time.Duration(i)*24*time.Hour))
		if err != nil {
			t.Fatalf("backup %d: %v", i, err)
		}
		made = append(made, key)
	}
	var left []string
	dst.List(context.Background(), "", func(i blob.Info) error { left = append(left, i.Key); return nil })
	want := append([]string{"notes.txt"}, made[2:]...) // List goes in key order
	if !slices.Equal(left, want) {
		t.Errorf("left %v; want the 3 newest backups and notes.txt: %v", left, want)
	}
	f, err := os.Open(filepath.Join(dir, made[4]))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := backup.Verify(f); err != nil {
		t.Errorf("scheduled backup does not verify: %v", err)
	}
}

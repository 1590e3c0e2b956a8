package blob_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/blob"
)

// down is a backend that cannot be reached.
type down struct{ blob.Store }

var errDown = errors.New("connection refused")

func (down) Open(context.Context, string) (blob.Object, error) { return nil, errDown }
func (down) Stat(context.Context, string) (blob.Info, error)   { return blob.Info{}, errDown }

func newSwitch(t *testing.T, backends map[string]blob.Store, state *blob.State) *blob.Switch {
	sw := &blob.Switch{Backends: backends, Default: blob.State{Backend: "a"}, Interval: time.Nanosecond,
		Load: func(context.Context) (blob.State, bool, error) { return *state, state.Backend != "", nil }}
	if err := sw.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	return sw
}

func TestSwitchFollowsThePersistedState(t *testing.T) {
	ctx := context.Background()
	a, b := &blob.Local{Root: t.TempDir()}, &blob.Local{Root: t.TempDir()}
	a.Put(ctx, "old.png", strings.NewReader("old"), 3, "")
	state := &blob.State{}
	sw := newSwitch(t, map[string]blob.Store{"a": a, "b": b}, state)
	*state = blob.State{Backend: "b", Fallback: "a"} // another process started a move
	sw.Put(ctx, "new.png", strings.NewReader("new"), 3, "")
	if _, err := b.Stat(ctx, "new.png"); err != nil {
		t.Errorf("a write during the move did not go to the target: %v", err)
	}
	for _, key := range []string{"old.png", "new.png"} {
		o, err := sw.Open(ctx, key)
		if err != nil {
			t.Fatalf("Open(%s) during the move: %v", key, err)
		}
		body, _ := io.ReadAll(o)
		o.Close()
		if len(body) != 3 {
			t.Errorf("Open(%s) = %q", key, body)
		}
	}
	var keys []string
	sw.List(ctx, "", func(i blob.Info) error { keys = append(keys, i.Key); return nil })
	if strings.Join(keys, ",") != "new.png,old.png" {
		t.Errorf("List during the move = %v; want both backends' keys once, in order", keys)
	}
	sw.Delete(ctx, "old.png")
	if _, err := a.Stat(ctx, "old.png"); !errors.Is(err, blob.ErrNotExist) {
		t.Error("a delete during the move left the source's copy, which the copy would bring back")
	}
	*state = blob.State{Backend: "b"} // the move ended
	if _, err := sw.Open(ctx, "old.png"); !errors.Is(err, blob.ErrNotExist) {
		t.Errorf("after the move, reads still fall back: %v", err)
	}
}

func TestSwitchServesFromTheFallbackWhenTheTargetIsDown(t *testing.T) {
	ctx := context.Background()
	a := &blob.Local{Root: t.TempDir()}
	a.Put(ctx, "k.png", strings.NewReader("kept"), 4, "")
	state := &blob.State{Backend: "s3", Fallback: "a"}
	sw := newSwitch(t, map[string]blob.Store{"a": a, "s3": down{}}, state)
	if o, err := sw.Open(ctx, "k.png"); err != nil {
		t.Errorf("Open with the target down = %v; want the fallback's copy", err)
	} else {
		o.Close()
	}
	if _, err := sw.Open(ctx, "absent.png"); !errors.Is(err, errDown) {
		t.Errorf("Open(absent) = %v; want the target's error, not a false not-found", err)
	}
	*state = blob.State{Backend: "azure"}
	if err := sw.Refresh(ctx); err == nil || sw.State().Backend != "s3" {
		t.Errorf("an unconfigured backend was accepted: %v, state %+v", err, sw.State())
	}
}

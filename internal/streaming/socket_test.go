package streaming

import (
	"net"
	"testing"
	"time"

	"github.com/gobwas/ws"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/oauth"
)

// TestSocketFinishesWritesThePeerDidNotTakeAtOnce drives the slow path: a pipe has no
// descriptor to write without waiting, so every write is left to the goroutine that
// finishes them; frames must still arrive whole and in order, and the close frame last.
func TestSocketFinishesWritesThePeerDidNotTakeAtOnce(t *testing.T) {
	server, peer := net.Pipe()
	defer peer.Close()
	s := &socket{conn: server, in: server}
	s.c = newClient(&oauth.Auth{Token: &model.Token{ID: 1}, Account: &model.Account{ID: 2}}, s, 8)
	s.ready.Store(true)
	for _, id := range []string{"1", "2", "3"} {
		s.c.queue(encoded(&message{stream: []string{"public"}, event: "delete", payload: id}))
	}
	s.flush()
	s.c.send(encoded(&message{stream: []string{"public"}, event: "delete", payload: "4"}))
	s.c.end(endSlow)
	_ = peer.SetReadDeadline(time.Now().Add(5 * time.Second))
	for _, want := range []string{"1", "2", "3", "4"} {
		f, err := ws.ReadFrame(peer)
		if err != nil {
			t.Fatal(err)
		}
		if wantFrame := `{"stream":["public"],"event":"delete","payload":"` + want + `"}`; string(f.Payload) != wantFrame {
			t.Errorf("frame = %s; want %s", f.Payload, wantFrame)
		}
	}
	f, err := ws.ReadFrame(peer)
	if err != nil {
		t.Fatal(err)
	}
	if code, _ := ws.ParseCloseFrameData(f.Payload); f.Header.OpCode != ws.OpClose || code != 1013 {
		t.Errorf("last frame = %v %d; want a close frame with 1013", f.Header.OpCode, code)
	}
}

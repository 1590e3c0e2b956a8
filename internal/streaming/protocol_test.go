package streaming_test

import (
	"context"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gobwas/ws"

	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/store"
)

// TestWebSocketProtocol sends the frames a client library would not, and checks the
// server's answers: RFC 6455's rules, which do not depend on the database engine.
func TestWebSocketProtocol(t *testing.T) {
	t.Parallel()
	in := servertest.Start(t, store.SQLite, nil)
	token := in.NewMember(t, "alice").Token
	t.Run("fragmented request", func(t *testing.T) {
		conn := rawWS(t, in, token)
		writeMasked(t, conn, ws.NewFrame(ws.OpText, false, []byte(`{"type":"subscribe",`)))
		writeMasked(t, conn, ws.NewFrame(ws.OpContinuation, true, []byte(`"stream":"nonsense"}`)))
		if f := nextFrame(t, conn); f.Header.OpCode != ws.OpText || !strings.Contains(string(f.Payload), "Unknown stream type") {
			t.Errorf("answer = %v %q; want the unknown stream error", f.Header.OpCode, f.Payload)
		}
	})
	t.Run("ping", func(t *testing.T) {
		conn := rawWS(t, in, token)
		writeMasked(t, conn, ws.NewPingFrame([]byte("are you there")))
		if f := nextFrame(t, conn); f.Header.OpCode != ws.OpPong || string(f.Payload) != "are you there" {
			t.Errorf("answer = %v %q; want a pong with the ping's data", f.Header.OpCode, f.Payload)
		}
	})
	for _, tt := range []struct {
		name string
		send func(conn net.Conn) error
		want ws.StatusCode
	}{
		{"close", func(c net.Conn) error {
			return ws.WriteFrame(c, ws.MaskFrame(ws.NewCloseFrame(ws.NewCloseFrameBody(ws.StatusNormalClosure, "bye"))))
		}, ws.StatusNormalClosure},
		{"too big", func(c net.Conn) error {
			return ws.WriteFrame(c, ws.MaskFrame(ws.NewTextFrame(make([]byte, 5000))))
		}, ws.StatusMessageTooBig},
		{"not masked", func(c net.Conn) error { return ws.WriteFrame(c, ws.NewTextFrame([]byte(`{}`))) }, ws.StatusProtocolError},
		{"continuation first", func(c net.Conn) error {
			return ws.WriteFrame(c, ws.MaskFrame(ws.NewFrame(ws.OpContinuation, true, []byte(`{}`))))
		}, ws.StatusProtocolError},
	} {
		t.Run(tt.name, func(t *testing.T) {
			conn := rawWS(t, in, token)
			if err := tt.send(conn); err != nil {
				t.Fatal(err)
			}
			f := nextFrame(t, conn)
			if code, _ := ws.ParseCloseFrameData(f.Payload); f.Header.OpCode != ws.OpClose || code != tt.want {
				t.Errorf("answer = %v %d; want a close frame with %d", f.Header.OpCode, code, tt.want)
			}
		})
	}
}

// rawWS opens /api/v1/streaming as a bare connection, for frames written by hand.
func rawWS(t *testing.T, in *servertest.Instance, token string) net.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	conn, br, _, err := ws.Dial(ctx, "ws"+strings.TrimPrefix(in.URL, "http")+"/api/v1/streaming?access_token="+url.QueryEscape(token))
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	if br != nil {
		t.Fatal("the server sent frames before any was asked for")
	}
	return conn
}

func writeMasked(t *testing.T, conn net.Conn, f ws.Frame) {
	t.Helper()
	if err := ws.WriteFrame(conn, ws.MaskFrame(f)); err != nil {
		t.Fatal(err)
	}
}

// nextFrame reads the server's next frame, failing after waitFor.
func nextFrame(t *testing.T, conn net.Conn) ws.Frame {
	t.Helper()
	_ = conn.SetReadDeadline(time.Now().Add(waitFor))
	f, err := ws.ReadFrame(conn)
	if err != nil {
		t.Fatalf("read a frame: %v", err)
	}
	return f
}

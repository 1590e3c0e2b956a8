package webpush_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/webpush"
	"github.com/tuskhq/tusk/internal/webpush/webpushtest"
)

// TestRoundTrip delivers in both encodings to a subscriber who checks the VAPID
// signature and decrypts.
func TestRoundTrip(t *testing.T) {
	priv, pub, err := webpush.GenerateKeys()
	if err != nil {
		t.Fatal(err)
	}
	v, err := webpush.ParseKeys(priv, pub)
	if err != nil {
		t.Fatal(err)
	}
	for _, standard := range []bool{true, false} {
		r := webpushtest.NewReceiver()
		msg := webpush.Message{Payload: []byte(`{"title":"hello"}`), TTL: 48 * time.Hour, Urgency: "normal", Subject: "mailto:admin@example.test"}
		req, err := v.Request(context.Background(), r.Subscription("https://push.example:8443/send/abc", standard), msg)
		if err != nil {
			t.Fatalf("standard=%v: %v", standard, err)
		}
		body, _ := io.ReadAll(req.Body)
		got, err := r.Open(req.Header, body, pub, "https://push.example:8443")
		if err != nil || string(got) != string(msg.Payload) {
			t.Errorf("standard=%v: opened %q, %v; want %q", standard, got, err, msg.Payload)
		}
		if req.Header.Get("TTL") != "172800" || req.Header.Get("Urgency") != "normal" {
			t.Errorf("standard=%v: TTL %q Urgency %q", standard, req.Header.Get("TTL"), req.Header.Get("Urgency"))
		}
		if _, err := webpushtest.NewReceiver().Open(req.Header, body, pub, "https://push.example:8443"); err == nil {
			t.Errorf("standard=%v: another subscriber could decrypt", standard)
		}
		_, otherPub, _ := webpush.GenerateKeys()
		if _, err := r.Open(req.Header, body, otherPub, "https://push.example:8443"); err == nil {
			t.Errorf("standard=%v: signature verified against another key", standard)
		}
	}
}

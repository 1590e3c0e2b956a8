package webpush

import (
	"context"
	"crypto/ecdh"
	"encoding/base64"
	"io"
	"strings"
	"testing"
	"time"
)

// TestRFC8291Example encrypts the worked example of RFC 8291 (Appendix A) with its
// fixed server key and salt, and must produce its body byte for byte.
func TestRFC8291Example(t *testing.T) {
	b := func(s string) []byte {
		v, err := base64.RawURLEncoding.DecodeString(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	server, err := ecdh.P256().NewPrivateKey(b("yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw"))
	if err != nil {
		t.Fatal(err)
	}
	ua, err := ecdh.P256().NewPublicKey(b("BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"))
	if err != nil {
		t.Fatal(err)
	}
	secret, err := server.ECDH(ua)
	if err != nil {
		t.Fatal(err)
	}
	k := &keys{server: server, uaPublic: ua.Bytes(), auth: b("BTBZMqHH6r4Tts7J_aSIgg"), secret: secret, salt: b("DGv6ra1nlYgDCS1FRnbzlw")}
	body, err := encryptStandard(k, []byte("When I grow up, I want to be a watermelon"))
	if err != nil {
		t.Fatal(err)
	}
	want := "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN"
	if got := base64.RawURLEncoding.EncodeToString(body); got != want {
		t.Errorf("body = %s\nwant   %s", got, want)
	}
}

func TestKeys(t *testing.T) {
	priv, pub, err := GenerateKeys()
	if err != nil {
		t.Fatal(err)
	}
	v, err := ParseKeys(priv, pub)
	if err != nil {
		t.Fatalf("ParseKeys(generated) = %v", err)
	}
	if v.PublicKey() != pub {
		t.Errorf("PublicKey() = %s; want %s", v.PublicKey(), pub)
	}
	if v2, err := ParseKeys(strings.TrimRight(priv, "="), ""); err != nil || v2.PublicKey() != pub {
		t.Errorf("ParseKeys(unpadded, no public) = %v, %v", v2, err)
	}
	_, other, _ := GenerateKeys()
	if _, err := ParseKeys(priv, other); err == nil {
		t.Error("ParseKeys accepted a public key of another pair")
	}
	if _, err := ParseKeys("not base64!", ""); err == nil {
		t.Error("ParseKeys accepted garbage")
	}
}

func TestValidate(t *testing.T) {
	_, pub, _ := GenerateKeys()
	good := Subscription{Endpoint: "https://push.example/x", P256DH: pub, Auth: "BTBZMqHH6r4Tts7J_aSIgg"}
	if err := good.Validate(); err != nil {
		t.Fatalf("Validate(good) = %v", err)
	}
	for name, s := range map[string]Subscription{
		"ftp endpoint":   {Endpoint: "ftp://push.example/x", P256DH: pub, Auth: good.Auth},
		"no host":        {Endpoint: "https:///x", P256DH: pub, Auth: good.Auth},
		"short p256dh":   {Endpoint: good.Endpoint, P256DH: "BCVx", Auth: good.Auth},
		"not on curve":   {Endpoint: good.Endpoint, P256DH: "B" + strings.Repeat("A", 86), Auth: good.Auth},
		"short auth":     {Endpoint: good.Endpoint, P256DH: pub, Auth: "BTBZ"},
		"garbage p256dh": {Endpoint: good.Endpoint, P256DH: "***", Auth: good.Auth},
	} {
		if err := s.Validate(); err == nil {
			t.Errorf("%s: Validate accepted %+v", name, s)
		}
	}
}

func TestRequestTooLarge(t *testing.T) {
	priv, pub, _ := GenerateKeys()
	v, _ := ParseKeys(priv, pub)
	sub := Subscription{Endpoint: "https://push.example/x", P256DH: pub, Auth: "BTBZMqHH6r4Tts7J_aSIgg", Standard: true}
	_, err := v.Request(context.Background(), sub, Message{Payload: make([]byte, MaxPayload+1), TTL: time.Hour, Subject: "mailto:a@b"})
	if err != ErrTooLarge {
		t.Errorf("Request(too large) = %v; want ErrTooLarge", err)
	}
	req, err := v.Request(context.Background(), sub, Message{Payload: make([]byte, MaxPayload), TTL: time.Hour, Subject: "mailto:a@b"})
	if err != nil {
		t.Fatalf("Request(MaxPayload) = %v", err)
	}
	if body, _ := io.ReadAll(req.Body); len(body) > recordSize+86 {
		t.Errorf("body of %d bytes exceeds one record", len(body))
	}
}

package httpsig

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	gofed "github.com/go-fed/httpsig"
)

const testActivity = `{"@context":"https://www.w3.org/ns/activitystreams","type":"Follow","actor":"https://remote.example/users/alice","object":"https://local.example/users/bob"}`

func TestSignRequestHeaders(t *testing.T) {
	t.Parallel()
	key, _ := testKeys()
	r, _ := http.NewRequest(http.MethodPost, "https://local.example/users/bob/inbox", strings.NewReader(testActivity))
	if err := SignRequest(r, []byte(testActivity), testKeyID, key, testNow); err != nil {
		t.Fatal(err)
	}
	if got, want := r.Header.Get("Date"), "Tue, 24 Nov 2026 12:00:00 GMT"; got != want {
		t.Errorf("Date = %q; want %q", got, want)
	}
	if r.Host != "local.example" {
		t.Errorf("Host = %q", r.Host)
	}
	sum := sha256.Sum256([]byte(testActivity))
	if got, want := r.Header.Get("Digest"), "SHA-256="+base64.StdEncoding.EncodeToString(sum[:]); got != want {
		t.Errorf("Digest = %q; want %q", got, want)
	}
	sig := r.Header.Get("Signature")
	prefix := `keyId="` + testKeyID + `",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="`
	if !strings.HasPrefix(sig, prefix) {
		t.Errorf("Signature = %q; want prefix %q", sig, prefix)
	}

	get, _ := http.NewRequest(http.MethodGet, "https://local.example/users/bob", nil)
	if err := SignRequest(get, nil, testKeyID, key, testNow); err != nil {
		t.Fatal(err)
	}
	if get.Header.Get("Digest") != "" || !strings.Contains(get.Header.Get("Signature"), `headers="(request-target) host date"`) {
		t.Errorf("GET signed as %q with digest %q", get.Header.Get("Signature"), get.Header.Get("Digest"))
	}
}

// TestCavageLoopback sends signed requests over real HTTP on loopback and
// verifies them in the handler, as the inbox will.
func TestCavageLoopback(t *testing.T) {
	t.Parallel()
	key, _ := testKeys()
	v, _ := newVerifier(&key.PublicKey)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		res, err := v.Verify(r.Context(), r, body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		io.WriteString(w, res.Owner+" "+strings.Join(res.Components, " "))
	}))
	t.Cleanup(srv.Close)
	for _, method := range []string{http.MethodPost, http.MethodGet} {
		var body []byte
		if method == http.MethodPost {
			body = []byte(testActivity)
		}
		r, _ := http.NewRequest(method, srv.URL+"/users/bob/inbox?x=1", strings.NewReader(string(body)))
		if err := SignRequest(r, body, testKeyID, key, testNow); err != nil {
			t.Fatal(err)
		}
		resp, err := srv.Client().Do(r)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(string(got), testOwner+" (request-target) host date") {
			t.Errorf("%s: %d %s", method, resp.StatusCode, got)
		}
	}
}

// TestGoFedSignsWeVerify: a request signed by go-fed/httpsig, another
// implementation of the draft (hs2019 over RSA, as it signs), verifies here.
func TestGoFedSignsWeVerify(t *testing.T) {
	t.Parallel()
	key, _ := testKeys()
	signer, _, err := gofed.NewSigner([]gofed.Algorithm{gofed.RSA_SHA256}, gofed.DigestSha256,
		[]string{gofed.RequestTarget, "host", "date", "digest"}, gofed.Signature, 0)
	if err != nil {
		t.Fatal(err)
	}
	r := inboundPost(t, testActivity)
	r.Header.Set("Host", r.Host) // go-fed reads host from the header map
	r.Header.Set("Date", testNow.Format(http.TimeFormat))
	if err := signer.SignRequest(key, testKeyID, r, []byte(testActivity)); err != nil {
		t.Fatal(err)
	}
	v, _ := newVerifier(&key.PublicKey)
	res, err := v.Verify(context.Background(), r, []byte(testActivity))
	if err != nil {
		t.Fatalf("verify go-fed signature %q: %v", r.Header.Get("Signature"), err)
	}
	if res.Algorithm != AlgRSAv15SHA256 || res.Scheme != SchemeCavage {
		t.Errorf("result = %+v", res)
	}
}

// TestWeSignGoFedVerifies: our outbound signature verifies with go-fed.
func TestWeSignGoFedVerifies(t *testing.T) {
	t.Parallel()
	key, _ := testKeys()
	r := inboundPost(t, testActivity)
	if err := SignRequest(r, []byte(testActivity), testKeyID, key, testNow); err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Host", r.Host)
	gv, err := gofed.NewVerifier(r)
	if err != nil {
		t.Fatal(err)
	}
	if gv.KeyId() != testKeyID {
		t.Errorf("go-fed read keyId %q", gv.KeyId())
	}
	if err := gv.Verify(&key.PublicKey, gofed.RSA_SHA256); err != nil {
		t.Errorf("go-fed rejects our signature: %v", err)
	}
}

// TestMastodonShapedRequest verifies a delivery built by hand the way
// Mastodon builds one (its header order, content-type covered, signing
// string written out literally), independent of our signer.
func TestMastodonShapedRequest(t *testing.T) {
	t.Parallel()
	key, _ := testKeys()
	r := inboundPost(t, testActivity)
	date := "Tue, 24 Nov 2026 11:59:58 GMT"
	sum := sha256.Sum256([]byte(testActivity))
	digest := "SHA-256=" + base64.StdEncoding.EncodeToString(sum[:])
	r.Header.Set("Date", date)
	r.Header.Set("Digest", digest)
	r.Header.Set("User-Agent", "http.rb/5.1.1 (Mastodon/4.3.0; +https://remote.example/)")
	signingString := "(request-target): post /users/bob/inbox\n" +
		"host: local.example\n" +
		"date: " + date + "\n" +
		"digest: " + digest + "\n" +
		"content-type: application/activity+json"
	hashed := sha256.Sum256([]byte(signingString))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, hashed[:])
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Signature", `keyId="`+testKeyID+`",algorithm="rsa-sha256",headers="(request-target) host date digest content-type",signature="`+base64.StdEncoding.EncodeToString(sig)+`"`)
	v, _ := newVerifier(&key.PublicKey)
	res, err := v.Verify(context.Background(), r, []byte(testActivity))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"(request-target)", "host", "date", "digest", "content-type"}
	if strings.Join(res.Components, " ") != strings.Join(want, " ") || res.Owner != testOwner {
		t.Errorf("result = %+v", res)
	}
	r.Header.Set("Content-Type", "text/plain")
	if _, err := v.Verify(context.Background(), r, []byte(testActivity)); !errors.Is(err, ErrBadSignature) {
		t.Errorf("changed content-type: err = %v; want ErrBadSignature", err)
	}
}

func TestParseCavageParams(t *testing.T) {
	t.Parallel()
	good := map[string]map[string]string{
		`keyId="a",algorithm="rsa-sha256",headers="date",signature="c2ln"`: {"keyid": "a", "algorithm": "rsa-sha256", "headers": "date", "signature": "c2ln"},
		` keyId="a, b" , created=1402170695,expires=1402170699 `:           {"keyid": "a, b", "created": "1402170695", "expires": "1402170699"},
		`signature="a=b=="`: {"signature": "a=b=="},
	}
	for in, want := range good {
		got, err := parseCavageParams(in)
		if err != nil || len(got) != len(want) {
			t.Errorf("parseCavageParams(%q) = %v, %v; want %v", in, got, err, want)
			continue
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("parseCavageParams(%q)[%s] = %q; want %q", in, k, got[k], v)
			}
		}
	}
	for _, in := range []string{`keyId`, `keyId="a`, `keyId="a"x,b="c"`, `="a"`, `a="1",a="2"`, `keyId="1",keyid="2"`} {
		if _, err := parseCavageParams(in); !errors.Is(err, ErrMalformed) {
			t.Errorf("parseCavageParams(%q) err = %v; want ErrMalformed", in, err)
		}
	}
}

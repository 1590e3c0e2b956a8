package httpsig

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
)

// signedPost returns an inbound POST signed by our cavage signer at when.
func signedPost(t testing.TB, body string, when time.Time) *http.Request {
	t.Helper()
	key, _ := testKeys()
	r := inboundPost(t, body)
	if err := SignRequest(r, []byte(body), testKeyID, key, when); err != nil {
		t.Fatal(err)
	}
	return r
}

// signed9421 returns an inbound request signed with RFC 9421 options o.
func signed9421(t testing.TB, r *http.Request, body string, o RFC9421Options) *http.Request {
	t.Helper()
	if o.Key == nil {
		key, _ := testKeys()
		o.Key = key
	}
	if o.KeyID == "" {
		o.KeyID = testKeyID
	}
	if o.Created.IsZero() {
		o.Created = testNow
	}
	if err := SignRequestRFC9421(r, []byte(body), o); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestVerifyRoundTrips(t *testing.T) {
	t.Parallel()
	rsaKey, _ := testKeys()
	edPub, edPriv, _ := ed25519.GenerateKey(rand.Reader)
	ecPriv, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	cases := []struct {
		name    string
		pub     crypto.PublicKey
		request func(t testing.TB) (*http.Request, string)
		alg     string
		scheme  Scheme
	}{
		{"cavage POST", &rsaKey.PublicKey, func(t testing.TB) (*http.Request, string) {
			return signedPost(t, testActivity, testNow), testActivity
		}, AlgRSAv15SHA256, SchemeCavage},
		{"cavage GET", &rsaKey.PublicKey, func(t testing.TB) (*http.Request, string) {
			r := inboundGet(t)
			if err := SignRequest(r, nil, testKeyID, rsaKey, testNow); err != nil {
				t.Fatal(err)
			}
			return r, ""
		}, AlgRSAv15SHA256, SchemeCavage},
		{"9421 POST rsa-v1_5", &rsaKey.PublicKey, func(t testing.TB) (*http.Request, string) {
			return signed9421(t, inboundPost(t, testActivity), testActivity, RFC9421Options{}), testActivity
		}, AlgRSAv15SHA256, SchemeRFC9421},
		{"9421 GET rsa-pss", &rsaKey.PublicKey, func(t testing.TB) (*http.Request, string) {
			return signed9421(t, inboundGet(t), "", RFC9421Options{Algorithm: AlgRSAPSSSHA512}), ""
		}, AlgRSAPSSSHA512, SchemeRFC9421},
		{"9421 POST ed25519", edPub, func(t testing.TB) (*http.Request, string) {
			return signed9421(t, inboundPost(t, testActivity), testActivity, RFC9421Options{Key: edPriv, Nonce: "n1"}), testActivity
		}, AlgEd25519, SchemeRFC9421},
		{"9421 POST ecdsa", &ecPriv.PublicKey, func(t testing.TB) (*http.Request, string) {
			return signed9421(t, inboundPost(t, testActivity), testActivity, RFC9421Options{Key: ecPriv}), testActivity
		}, AlgECDSAP256SHA256, SchemeRFC9421},
		{"9421 POST all derived components", &rsaKey.PublicKey, func(t testing.TB) (*http.Request, string) {
			r := inboundPost(t, testActivity+"?")
			r.URL.RawQuery = "a=1&b=%20x"
			return signed9421(t, r, testActivity+"?", RFC9421Options{Components: []string{
				"@method", "@target-uri", "@authority", "@scheme", "@request-target", "@path", "@query",
				"content-type", "content-digest"}}), testActivity + "?"
		}, AlgRSAv15SHA256, SchemeRFC9421},
		{"cavage hs2019 ed25519", edPub, func(t testing.TB) (*http.Request, string) {
			r := inboundGet(t)
			r.Header.Set("Date", testNow.Format(http.TimeFormat))
			base, _ := cavageSigningString(r, []string{"(request-target)", "host", "date"}, nil)
			sig := ed25519.Sign(edPriv, []byte(base))
			r.Header.Set("Authorization", `Signature keyId="`+testKeyID+`",algorithm="hs2019",headers="(request-target) host date",signature="`+b64(sig)+`"`)
			return r, ""
		}, AlgEd25519, SchemeCavage},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r, body := c.request(t)
			v, _ := newVerifier(c.pub)
			res, err := v.Verify(context.Background(), r, []byte(body))
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if res.Algorithm != c.alg || res.Scheme != c.scheme || res.KeyID != testKeyID || res.Owner != testOwner {
				t.Errorf("result = %+v; want %s %s", res, c.scheme, c.alg)
			}
		})
	}
}

// TestVerifyErrors makes every error class happen and checks it is the
// one reported.
func TestVerifyErrors(t *testing.T) {
	t.Parallel()
	key, other := testKeys()
	cases := []struct {
		name    string
		request func(t testing.TB) *http.Request
		body    string
		want    error
	}{
		{"no signature", func(t testing.TB) *http.Request { return inboundPost(t, testActivity) }, testActivity, ErrNoSignature},
		{"malformed cavage", func(t testing.TB) *http.Request {
			r := inboundPost(t, testActivity)
			r.Header.Set("Signature", `keyId="x",signature=`)
			return r
		}, testActivity, ErrMalformed},
		{"malformed signature-input", func(t testing.TB) *http.Request {
			r := inboundPost(t, testActivity)
			r.Header.Set("Signature-Input", `sig1=("@method"`)
			r.Header.Set("Signature", `sig1=:AAAA:`)
			return r
		}, testActivity, ErrMalformed},
		{"9421 label without signature", func(t testing.TB) *http.Request {
			r := signed9421(t, inboundPost(t, testActivity), testActivity, RFC9421Options{})
			r.Header.Set("Signature", `other=:AAAA:`)
			return r
		}, testActivity, ErrMalformed},
		{"unsupported cavage algorithm", func(t testing.TB) *http.Request {
			r := signedPost(t, testActivity, testNow)
			r.Header.Set("Signature", strings.Replace(r.Header.Get("Signature"), "rsa-sha256", "hmac-sha256", 1))
			return r
		}, testActivity, ErrUnsupportedAlgorithm},
		{"unsupported 9421 algorithm", func(t testing.TB) *http.Request {
			r := signed9421(t, inboundPost(t, testActivity), testActivity, RFC9421Options{})
			r.Header.Set("Signature-Input", strings.Replace(r.Header.Get("Signature-Input"), AlgRSAv15SHA256, "hmac-sha256", 1))
			return r
		}, testActivity, ErrUnsupportedAlgorithm},
		{"cavage POST without digest", func(t testing.TB) *http.Request {
			return cavageCovering(t, key, "(request-target) host date")
		}, testActivity, ErrMissingComponent},
		{"cavage without host", func(t testing.TB) *http.Request {
			return cavageCovering(t, key, "(request-target) date digest")
		}, testActivity, ErrMissingComponent},
		{"cavage without date", func(t testing.TB) *http.Request {
			return cavageCovering(t, key, "(request-target) host digest")
		}, testActivity, ErrMissingComponent},
		{"cavage without request target", func(t testing.TB) *http.Request {
			return cavageCovering(t, key, "host date digest")
		}, testActivity, ErrMissingComponent},
		{"cavage covers an absent header", func(t testing.TB) *http.Request {
			return cavageCovering(t, key, "(request-target) host date digest x-absent")
		}, testActivity, ErrMissingComponent},
		{"9421 POST without content-digest", func(t testing.TB) *http.Request {
			return signed9421(t, inboundPost(t, testActivity), testActivity, RFC9421Options{Components: []string{"@method", "@target-uri", "@authority"}})
		}, testActivity, ErrMissingComponent},
		{"9421 GET without authority", func(t testing.TB) *http.Request {
			return signed9421(t, inboundGet(t), "", RFC9421Options{Components: []string{"@method", "@path"}})
		}, "", ErrMissingComponent},
		{"digest mismatch", func(t testing.TB) *http.Request { return signedPost(t, testActivity, testNow) }, testActivity + " ", ErrDigestMismatch},
		{"content-digest mismatch", func(t testing.TB) *http.Request {
			return signed9421(t, inboundPost(t, testActivity), testActivity, RFC9421Options{})
		}, strings.ToUpper(testActivity), ErrDigestMismatch},
		{"too old", func(t testing.TB) *http.Request {
			return signedPost(t, testActivity, testNow.Add(-12*time.Hour-time.Second))
		}, testActivity, ErrExpired},
		{"9421 past expires", func(t testing.TB) *http.Request {
			return signed9421(t, inboundPost(t, testActivity), testActivity, RFC9421Options{Created: testNow.Add(-time.Minute), Expires: testNow.Add(-time.Second)})
		}, testActivity, ErrExpired},
		{"cavage past expires", func(t testing.TB) *http.Request {
			r := signedPost(t, testActivity, testNow)
			r.Header.Set("Signature", r.Header.Get("Signature")+",expires=1")
			return r
		}, testActivity, ErrExpired},
		{"too far in the future", func(t testing.TB) *http.Request {
			return signed9421(t, inboundPost(t, testActivity), testActivity, RFC9421Options{Created: testNow.Add(time.Hour + time.Second)})
		}, testActivity, ErrFuture},
		{"tampered body with its digest", func(t testing.TB) *http.Request {
			r := signedPost(t, testActivity, testNow)
			r.Header.Set("Digest", DigestHeader([]byte(testActivity+" ")))
			return r
		}, testActivity + " ", ErrBadSignature},
		{"tampered date", func(t testing.TB) *http.Request {
			r := signedPost(t, testActivity, testNow)
			r.Header.Set("Date", testNow.Add(time.Second).Format(http.TimeFormat))
			return r
		}, testActivity, ErrBadSignature},
		{"tampered path", func(t testing.TB) *http.Request {
			r := signedPost(t, testActivity, testNow)
			r.URL.Path = "/users/carol/inbox"
			return r
		}, testActivity, ErrBadSignature},
		{"9421 tampered host", func(t testing.TB) *http.Request {
			r := signed9421(t, inboundPost(t, testActivity), testActivity, RFC9421Options{})
			r.Host = "evil.example"
			return r
		}, testActivity, ErrBadSignature},
		{"wrong key", func(t testing.TB) *http.Request {
			r := inboundPost(t, testActivity)
			if err := SignRequest(r, []byte(testActivity), testKeyID, other, testNow); err != nil {
				t.Fatal(err)
			}
			return r
		}, testActivity, ErrBadSignature},
		{"key not found", func(t testing.TB) *http.Request {
			r := inboundPost(t, testActivity)
			if err := SignRequest(r, []byte(testActivity), "https://remote.example/users/nobody#main-key", key, testNow); err != nil {
				t.Fatal(err)
			}
			return r
		}, testActivity, ErrKeyNotFound},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			v, _ := newVerifier(&key.PublicKey)
			res, err := v.Verify(context.Background(), c.request(t), []byte(c.body))
			if !errors.Is(err, c.want) {
				t.Errorf("Verify = %+v, %v; want %v", res, err, c.want)
			}
		})
	}
}

// cavageCovering signs an inbound POST of testActivity covering exactly
// headers, which SignRequest would never do.
func cavageCovering(t testing.TB, key *rsa.PrivateKey, headers string) *http.Request {
	t.Helper()
	r := inboundPost(t, testActivity)
	r.Header.Set("Date", testNow.Format(http.TimeFormat))
	r.Header.Set("Digest", DigestHeader([]byte(testActivity)))
	names := strings.Fields(headers)
	for i, n := range names {
		if n == "x-absent" {
			names[i] = "content-type" // sign something present, then claim x-absent
		}
	}
	base, err := cavageSigningString(r, names, nil)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := signWith(AlgRSAv15SHA256, key, []byte(base))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Signature", `keyId="`+testKeyID+`",algorithm="rsa-sha256",headers="`+headers+`",signature="`+b64(sig)+`"`)
	return r
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// TestVerifySecondLabel: an unusable first RFC 9421 signature does not
// stop a good second one from verifying.
func TestVerifySecondLabel(t *testing.T) {
	t.Parallel()
	key, _ := testKeys()
	r := signed9421(t, inboundPost(t, testActivity), testActivity, RFC9421Options{Label: "good"})
	r.Header.Set("Signature-Input", `bad=("@method" "@status");created=1;keyid="x", `+r.Header.Get("Signature-Input"))
	r.Header.Set("Signature", `bad=:AAAA:, `+r.Header.Get("Signature"))
	v, _ := newVerifier(&key.PublicKey)
	if _, err := v.Verify(context.Background(), r, []byte(testActivity)); err != nil {
		t.Errorf("Verify: %v", err)
	}
	r.Header.Set("Signature", `bad=:AAAA:`)
	if _, err := v.Verify(context.Background(), r, []byte(testActivity)); !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrUnsupportedAlgorithm) {
		t.Errorf("Verify with only the bad signature: err = %v", err)
	}
}

func TestKeyRefresh(t *testing.T) {
	t.Parallel()
	key, other := testKeys()
	cases := []struct {
		name      string
		keys      []crypto.PublicKey
		wantErr   error
		wantCalls []bool
	}{
		{"cached key good", []crypto.PublicKey{&key.PublicKey}, nil, []bool{false}},
		{"rotated: stale then fresh", []crypto.PublicKey{&other.PublicKey, &key.PublicKey}, nil, []bool{false, true}},
		{"rotated to another key type", []crypto.PublicKey{ed25519.PublicKey(make([]byte, 32)), &key.PublicKey}, nil, []bool{false, true}},
		{"wrong both times: one refresh only", []crypto.PublicKey{&other.PublicKey, &other.PublicKey}, ErrBadSignature, []bool{false, true}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			v, sk := newVerifier(c.keys...)
			_, err := v.Verify(context.Background(), signedPost(t, testActivity, testNow), []byte(testActivity))
			if !errors.Is(err, c.wantErr) {
				t.Errorf("Verify err = %v; want %v", err, c.wantErr)
			}
			if !slices.Equal(sk.calls, c.wantCalls) {
				t.Errorf("key lookups (refresh flags) = %v; want %v", sk.calls, c.wantCalls)
			}
		})
	}
}

// TestNoKeyFetchForJunk: requests that fail cheap checks never reach the
// KeyFunc, so they cannot make us fetch remote actors.
func TestNoKeyFetchForJunk(t *testing.T) {
	t.Parallel()
	key, _ := testKeys()
	v, sk := newVerifier(&key.PublicKey)
	for _, body := range []string{testActivity + "x"} {
		if _, err := v.Verify(context.Background(), signedPost(t, testActivity, testNow), []byte(body)); err == nil {
			t.Fatal("tampered body verified")
		}
	}
	if _, err := v.Verify(context.Background(), signedPost(t, testActivity, testNow.Add(-24*time.Hour)), []byte(testActivity)); err == nil {
		t.Fatal("old signature verified")
	}
	if len(sk.calls) != 0 {
		t.Errorf("KeyFunc called %d times for junk", len(sk.calls))
	}
}

// TestRFC9421Loopback signs a client request and verifies it in a real
// server on loopback, where the request arrives in origin form over plain
// HTTP: @target-uri and @authority must be rebuilt the way the client saw them.
func TestRFC9421Loopback(t *testing.T) {
	t.Parallel()
	edPub, edPriv, _ := ed25519.GenerateKey(rand.Reader)
	v, _ := newVerifier(edPub)
	v.Scheme = "http"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if _, err := v.Verify(r.Context(), r, body); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
		}
	}))
	t.Cleanup(srv.Close)
	for _, method := range []string{http.MethodPost, http.MethodGet} {
		body := ""
		if method == http.MethodPost {
			body = testActivity
		}
		r, _ := http.NewRequest(method, srv.URL+"/users/bob/inbox?x=%20y", strings.NewReader(body))
		signed9421(t, r, body, RFC9421Options{Key: edPriv})
		resp, err := srv.Client().Do(r)
		if err != nil {
			t.Fatal(err)
		}
		msg, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: %d %s", method, resp.StatusCode, msg)
		}
	}
}

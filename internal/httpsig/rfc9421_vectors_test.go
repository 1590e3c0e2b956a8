package httpsig

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/dunglas/httpsfv"
)

// The examples of RFC 9421 Appendix B.2 and B.3, with the request of B.2
// ("test-request") and the keys of B.1.

const vectorBody = `{"hello": "world"}`

// vectorCreated is created=1618884473 of every example.
var vectorCreated = time.Unix(1618884473, 0)

func vectorRequest(t testing.TB) *http.Request {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/foo?param=Value&Pet=dog", strings.NewReader(vectorBody))
	r.Host = "example.com"
	r.Header.Set("Date", "Tue, 20 Apr 2021 02:07:55 GMT")
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Content-Digest", "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:")
	r.Header.Set("Content-Length", "18")
	return r
}

// vectorKeys are the RFC's public keys by keyid.
func vectorKeys(t testing.TB) map[string]crypto.PublicKey {
	t.Helper()
	blocks := readPEMBlocks(t, "rfc9421-keys.pem")
	keys := map[string]crypto.PublicKey{}
	for id, i := range map[string]int{"test-key-rsa-pss": 0, "test-key-ecc-p256": 1, "test-key-ed25519": 2, "test-key-rsa": 4} {
		pub, err := DecodePublicKeyPEM(blocks[i])
		if err != nil {
			t.Fatalf("key %s: %v", id, err)
		}
		keys[id] = pub
	}
	return keys
}

type vector struct {
	name, input, signature string
	base                   string // the RFC's signature base, lines joined by \n
	request                func(testing.TB) *http.Request
}

var vectors = []vector{
	{
		name:      "B.2.1 minimal, rsa-pss-sha512",
		input:     `sig-b21=();created=1618884473;keyid="test-key-rsa-pss";nonce="b3k2pp5k7z-50gnwp.yemd"`,
		signature: `sig-b21=:d2pmTvmbncD3xQm8E9ZV2828BjQWGgiwAaw5bAkgibUopemLJcWDy/lkbbHAve4cRAtx31Iq786U7it++wgGxbtRxf8Udx7zFZsckzXaJMkA7ChG52eSkFxykJeNqsrWH5S+oxNFlD4dzVuwe8DhTSja8xxbR/Z2cOGdCbzR72rgFWhzx2VjBqJzsPLMIQKhO4DGezXehhWwE56YCE+O6c0mKZsfxVrogUvA4HELjVKWmAvtl6UnCh8jYzuVG5WSb/QEVPnP5TmcAnLH1g+s++v6d4s8m0gCw1fV5/SITLq9mhho8K3+7EPYTU8IU1bLhdxO5Nyt8C8ssinQ98Xw9Q==:`,
		base:      `"@signature-params": ();created=1618884473;keyid="test-key-rsa-pss";nonce="b3k2pp5k7z-50gnwp.yemd"`,
		request:   vectorRequest,
	},
	{
		name:      "B.2.2 selective, rsa-pss-sha512",
		input:     `sig-b22=("@authority" "content-digest" "@query-param";name="Pet");created=1618884473;keyid="test-key-rsa-pss";tag="header-example"`,
		signature: `sig-b22=:LjbtqUbfmvjj5C5kr1Ugj4PmLYvx9wVjZvD9GsTT4F7GrcQEdJzgI9qHxICagShLRiLMlAJjtq6N4CDfKtjvuJyE5qH7KT8UCMkSowOB4+ECxCmT8rtAmj/0PIXxi0A0nxKyB09RNrCQibbUjsLS/2YyFYXEu4TRJQzRw1rLEuEfY17SARYhpTlaqwZVtR8NV7+4UKkjqpcAoFqWFQh62s7Cl+H2fjBSpqfZUJcsIk4N6wiKYd4je2U/lankenQ99PZfB4jY3I5rSV2DSBVkSFsURIjYErOs0tFTQosMTAoxk//0RoKUqiYY8Bh0aaUEb0rQl3/XaVe4bXTugEjHSw==:`,
		base: `"@authority": example.com
"content-digest": sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:
"@query-param";name="Pet": dog
"@signature-params": ("@authority" "content-digest" "@query-param";name="Pet");created=1618884473;keyid="test-key-rsa-pss";tag="header-example"`,
		request: vectorRequest,
	},
	{
		name:      "B.2.3 full coverage, rsa-pss-sha512",
		input:     `sig-b23=("date" "@method" "@path" "@query" "@authority" "content-type" "content-digest" "content-length");created=1618884473;keyid="test-key-rsa-pss"`,
		signature: `sig-b23=:bbN8oArOxYoyylQQUU6QYwrTuaxLwjAC9fbY2F6SVWvh0yBiMIRGOnMYwZ/5MR6fb0Kh1rIRASVxFkeGt683+qRpRRU5p2voTp768ZrCUb38K0fUxN0O0iC59DzYx8DFll5GmydPxSmme9v6ULbMFkl+V5B1TP/yPViV7KsLNmvKiLJH1pFkh/aYA2HXXZzNBXmIkoQoLd7YfW91kE9o/CCoC1xMy7JA1ipwvKvfrs65ldmlu9bpG6A9BmzhuzF8Eim5f8ui9eH8LZH896+QIF61ka39VBrohr9iyMUJpvRX2Zbhl5ZJzSRxpJyoEZAFL2FUo5fTIztsDZKEgM4cUA==:`,
		base: `"date": Tue, 20 Apr 2021 02:07:55 GMT
"@method": POST
"@path": /foo
"@query": ?param=Value&Pet=dog
"@authority": example.com
"content-type": application/json
"content-digest": sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:
"content-length": 18
"@signature-params": ("date" "@method" "@path" "@query" "@authority" "content-type" "content-digest" "content-length");created=1618884473;keyid="test-key-rsa-pss"`,
		request: vectorRequest,
	},
	{
		name:      "B.2.6 ed25519",
		input:     `sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"`,
		signature: `sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:`,
		base: `"date": Tue, 20 Apr 2021 02:07:55 GMT
"@method": POST
"@path": /foo
"@authority": example.com
"content-type": application/json
"content-length": 18
"@signature-params": ("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"`,
		request: vectorRequest,
	},
	{
		name:      "B.3 proxy, ecdsa-p256-sha256",
		input:     `ttrp=("@path" "@query" "@method" "@authority" "client-cert");created=1618884473;keyid="test-key-ecc-p256"`,
		signature: `ttrp=:xVMHVpawaAC/0SbHrKRs9i8I3eOs5RtTMGCWXm/9nvZzoHsIg6Mce9315T6xoklyy0yzhD9ah4JHRwMLOgmizw==:`,
		base: `"@path": /foo
"@query": ?param=Value&Pet=dog
"@method": POST
"@authority": service.internal.example
"client-cert": :` + proxyClientCert + `:
"@signature-params": ("@path" "@query" "@method" "@authority" "client-cert");created=1618884473;keyid="test-key-ecc-p256"`,
		request: func(t testing.TB) *http.Request {
			r := vectorRequest(t)
			r.Host = "service.internal.example"
			r.Header.Del("Content-Digest")
			r.Header.Set("Client-Cert", ":"+proxyClientCert+":")
			return r
		},
	},
}

const proxyClientCert = "MIIBqDCCAU6gAwIBAgIBBzAKBggqhkjOPQQDAjA6MRswGQYDVQQKDBJMZXQncyBBdXRoZW50aWNhdGUxGzAZBgNVBAMMEkxBIEludGVybWVkaWF0ZSBDQTAeFw0yMDAxMTQyMjU1MzNaFw0yMTAxMjMyMjU1MzNaMA0xCzAJBgNVBAMMAkJDMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE8YnXXfaUgmnMtOXU/IncWalRhebrXmckC8vdgJ1p5Be5F/3YC8OthxM4+k1M6aEAEFcGzkJiNy6J84y7uzo9M6NyMHAwCQYDVR0TBAIwADAfBgNVHSMEGDAWgBRm3WjLa38lbEYCuiCPct0ZaSED2DAOBgNVHQ8BAf8EBAMCBsAwEwYDVR0lBAwwCgYIKwYBBQUHAwIwHQYDVR0RAQH/BBMwEYEPYmRjQGV4YW1wbGUuY29tMAoGCCqGSM49BAMCA0gAMEUCIBHda/r1vaL6G3VliL4/Di6YK0Q6bMjeSkC3dFCOOB8TAiEAx/kHSB4urmiZ0NX5r5XarmPk0wmuydBVoU4hBVZ1yhk="

// TestRFC9421Vectors rebuilds each example's signature base from the
// request and verifies the RFC's signature over it with the RFC's key.
func TestRFC9421Vectors(t *testing.T) {
	t.Parallel()
	keys := vectorKeys(t)
	for _, vec := range vectors {
		t.Run(vec.name, func(t *testing.T) {
			t.Parallel()
			r := vec.request(t)
			r.Header.Set("Signature-Input", vec.input)
			r.Header.Set("Signature", vec.signature)
			sigs, err := parseRFC9421(r, "")
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			s := sigs[0]
			if got := string(s.base); got != vec.base {
				t.Errorf("signature base:\n%s\nwant:\n%s", got, vec.base)
			}
			alg, err := s.verify(keys[s.keyID])
			if err != nil {
				t.Fatalf("verify with %s: %v", s.keyID, err)
			}
			t.Logf("verified with %s", alg)
			tampered := *s
			tampered.base = append([]byte("x"), s.base...)
			if _, err := tampered.verify(keys[s.keyID]); !errors.Is(err, ErrBadSignature) {
				t.Errorf("tampered base verified: %v", err)
			}
		})
	}
}

// TestRFC9421VectorFullPolicy runs B.2.3, the one example that covers
// what we require of a POST, through the whole Verifier, and B.2.6, which
// leaves out the body digest, to be refused for it.
func TestRFC9421VectorFullPolicy(t *testing.T) {
	t.Parallel()
	keys := vectorKeys(t)
	v := &Verifier{
		Keys: func(_ context.Context, keyID string, _ bool) (crypto.PublicKey, string, error) {
			return keys[keyID], "https://example.com/actor", nil
		},
		Now: func() time.Time { return vectorCreated.Add(time.Minute) },
	}
	b23, b26 := vectors[2], vectors[3]
	r := b23.request(t)
	r.Header.Set("Signature-Input", b23.input)
	r.Header.Set("Signature", b23.signature)
	res, err := v.Verify(context.Background(), r, []byte(vectorBody))
	if err != nil {
		t.Fatalf("B.2.3: %v", err)
	}
	if res.Scheme != SchemeRFC9421 || res.KeyID != "test-key-rsa-pss" || res.Algorithm != AlgRSAPSSSHA512 || !res.Created.Equal(vectorCreated) {
		t.Errorf("B.2.3 result = %+v", res)
	}
	if _, err := v.Verify(context.Background(), r, []byte(`{"hello": "world!"}`)); !errors.Is(err, ErrDigestMismatch) {
		t.Errorf("B.2.3 with another body: err = %v; want ErrDigestMismatch", err)
	}
	r = b26.request(t)
	r.Header.Set("Signature-Input", b26.input)
	r.Header.Set("Signature", b26.signature)
	if _, err := v.Verify(context.Background(), r, []byte(vectorBody)); !errors.Is(err, ErrMissingComponent) {
		t.Errorf("B.2.6 (no content-digest): err = %v; want ErrMissingComponent", err)
	}
}

// TestRFC9421SignEd25519Vector: Ed25519 is deterministic, so signing B.2.6's
// components with the RFC's private key must give the RFC's signature.
func TestRFC9421SignEd25519Vector(t *testing.T) {
	t.Parallel()
	priv, err := DecodePrivateKeyPEM(readPEMBlocks(t, "rfc9421-keys.pem")[3])
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := priv.(ed25519.PrivateKey); !ok {
		t.Fatalf("B.1.4 private key decoded as %T", priv)
	}
	r := vectorRequest(t)
	input, err := httpsfv.UnmarshalDictionary([]string{vectors[3].input})
	if err != nil {
		t.Fatal(err)
	}
	member, _ := input.Get("sig-b26")
	base, err := signatureBase(r, "", member.(httpsfv.InnerList))
	if err != nil {
		t.Fatal(err)
	}
	sig, err := signWith(AlgEd25519, priv, base)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Trim(strings.TrimPrefix(vectors[3].signature, "sig-b26="), ":")
	if got := base64.StdEncoding.EncodeToString(sig); got != want {
		t.Errorf("signature = %s; want %s", got, want)
	}
}

// TestContentDigestRFC9530 checks the examples of RFC 9530 Appendix B.
func TestContentDigestRFC9530(t *testing.T) {
	t.Parallel()
	body := []byte("{\"hello\": \"world\"}\n")
	for alg, want := range map[string]string{
		"sha-256": "sha-256=:RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg=:",
		"sha-512": "sha-512=:YMAam51Jz/jOATT6/zvHrLVgOYTGFy1d6GJiOHTohq4yP+pgk4vf2aCsyRZOtw8MjkM7iw7yZ/WkppmM44T3qg==:",
	} {
		got, err := ContentDigestHeader(alg, body)
		if err != nil || got != want {
			t.Errorf("ContentDigestHeader(%s) = %q, %v; want %q", alg, got, err, want)
		}
		if err := checkContentDigest([]string{want}, body); err != nil {
			t.Errorf("checkContentDigest(%s): %v", alg, err)
		}
	}
}

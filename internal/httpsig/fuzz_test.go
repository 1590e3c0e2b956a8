package httpsig

import (
	"errors"
	"net/http"
	"testing"
)

// FuzzParseCavage: any Signature header either parses or fails with one of
// our errors; it never panics.
func FuzzParseCavage(f *testing.F) {
	for _, s := range []string{
		`keyId="https://a.example/u#k",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="c2lnbmF0dXJl"`,
		`keyId="k",algorithm="hs2019",created=1402170695,expires=1402170699,headers="(created) (expires)",signature="AA=="`,
		`keyId="k",signature="AA=="`, `keyId=`, `"`, `,,,`, `a="b"x`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, value string) {
		r, _ := http.NewRequest(http.MethodGet, "https://local.example/x", nil)
		r.Header.Set("Date", "Tue, 24 Nov 2026 12:00:00 GMT")
		s, err := parseCavage(r, value)
		if err != nil && !isOurs(err) {
			t.Fatalf("parseCavage(%q) error %v is none of ours", value, err)
		}
		if err == nil && (s.keyID == "" || len(s.sig) == 0) {
			t.Fatalf("parseCavage(%q) accepted no keyId or signature", value)
		}
	})
}

// FuzzParseRFC9421 does the same for Signature-Input and Signature.
func FuzzParseRFC9421(f *testing.F) {
	f.Add(`sig1=("@method" "@target-uri" "@authority" "content-digest");created=1618884473;keyid="k";alg="rsa-v1_5-sha256"`, `sig1=:AAAA:`)
	f.Add(`a=("@query-param";name="x");created=1;keyid="k", b=();keyid="j"`, `a=:AA==:, b=:AA==:`)
	f.Add(`sig1=("host" "date" "x")`, `sig1=:AAAA:`)
	f.Add(`sig1=("@status");keyid="k"`, `sig1=:AAAA:`)
	f.Fuzz(func(t *testing.T, input, sig string) {
		r, _ := http.NewRequest(http.MethodPost, "https://local.example/x?x=1", nil)
		r.Header.Set("Date", "Tue, 24 Nov 2026 12:00:00 GMT")
		r.Header.Set("Signature-Input", input)
		r.Header.Set("Signature", sig)
		sigs, err := parseRFC9421(r, "")
		if err != nil && !isOurs(err) {
			t.Fatalf("parseRFC9421(%q, %q) error %v is none of ours", input, sig, err)
		}
		for _, s := range sigs {
			if s.keyID == "" || len(s.sig) == 0 {
				t.Fatalf("parseRFC9421(%q, %q) accepted no keyid or signature", input, sig)
			}
		}
	})
}

func isOurs(err error) bool {
	for _, e := range []error{ErrNoSignature, ErrMalformed, ErrUnsupportedAlgorithm, ErrMissingComponent} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

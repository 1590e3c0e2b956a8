package httpsig

import (
	"crypto/rsa"
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// cavageHeaders are the headers SignRequest covers, in Mastodon's order.
var (
	cavageHeadersWithBody    = []string{"(request-target)", "host", "date", "digest"}
	cavageHeadersWithoutBody = []string{"(request-target)", "host", "date"}
)

// SignRequest signs r as Mastodon does: draft-cavage "rsa-sha256" over
// "(request-target) host date digest". It sets Date (from now) and Host when
// they are missing, and a SHA-256 Digest of body for POST or any non-empty
// body. body must be the exact bytes r will send.
func SignRequest(r *http.Request, body []byte, keyID string, key *rsa.PrivateKey, now time.Time) error {
	if r.Header.Get("Date") == "" {
		r.Header.Set("Date", now.UTC().Format(http.TimeFormat))
	}
	if r.Host == "" {
		r.Host = r.URL.Host
	}
	headers := cavageHeadersWithoutBody
	if needsDigest(r, body) {
		r.Header.Set("Digest", DigestHeader(body))
		headers = cavageHeadersWithBody
	}
	signingString, err := cavageSigningString(r, headers, nil)
	if err != nil {
		return fmt.Errorf("httpsig: sign: %w", err)
	}
	sig, err := signWith(AlgRSAv15SHA256, key, []byte(signingString))
	if err != nil {
		return fmt.Errorf("httpsig: sign: %w", err)
	}
	r.Header.Set("Signature", fmt.Sprintf(`keyId="%s",algorithm="rsa-sha256",headers="%s",signature="%s"`,
		keyID, strings.Join(headers, " "), base64.StdEncoding.EncodeToString(sig)))
	return nil
}

// needsDigest says whether a request must carry and sign a body digest.
func needsDigest(r *http.Request, body []byte) bool {
	return len(body) > 0 || r.Method == http.MethodPost
}

// parseCavageParams reads the comma-separated key="value" list of a
// draft-cavage Signature header into a map keyed by lowercased name (some
// servers write keyid). Integers (created, expires) may be bare.
func parseCavageParams(s string) (map[string]string, error) {
	params := make(map[string]string)
	for s = strings.TrimSpace(s); s != ""; {
		key, rest, ok := strings.Cut(s, "=")
		if !ok {
			return nil, fmt.Errorf("%w: parameter %q has no value", ErrMalformed, s)
		}
		key = strings.ToLower(strings.TrimSpace(key))
		var value string
		if strings.HasPrefix(rest, `"`) {
			end := strings.IndexByte(rest[1:], '"')
			if end < 0 {
				return nil, fmt.Errorf("%w: unterminated quote in %q", ErrMalformed, key)
			}
			value, rest = rest[1:end+1], rest[end+2:]
		} else {
			value, rest, _ = strings.Cut(rest, ",")
			value = strings.TrimSpace(value)
			rest = "," + rest
		}
		if key == "" {
			return nil, fmt.Errorf("%w: empty parameter name", ErrMalformed)
		}
		if _, dup := params[key]; dup {
			return nil, fmt.Errorf("%w: parameter %q repeated", ErrMalformed, key)
		}
		params[key] = value
		rest = strings.TrimSpace(rest)
		if rest != "" && rest[0] != ',' {
			return nil, fmt.Errorf("%w: expected ',' after %q", ErrMalformed, key)
		}
		s = strings.TrimSpace(strings.TrimPrefix(rest, ","))
	}
	return params, nil
}

// cavageHeaderValue finds the draft-cavage Signature value in the Signature
// header or in "Authorization: Signature …".
func cavageHeaderValue(r *http.Request) (string, bool) {
	if v := r.Header.Get("Signature"); v != "" {
		return v, true
	}
	scheme, rest, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if ok && strings.EqualFold(scheme, "Signature") {
		return rest, true
	}
	return "", false
}

// parseCavage turns a draft-cavage signature into the common form, building
// its signing string from r.
func parseCavage(r *http.Request, value string) (*signature, error) {
	params, err := parseCavageParams(value)
	if err != nil {
		return nil, err
	}
	s := &signature{scheme: SchemeCavage, keyID: params["keyid"]}
	if s.keyID == "" {
		return nil, fmt.Errorf("%w: no keyId", ErrMalformed)
	}
	if s.algs, err = cavageAlgorithms(params["algorithm"]); err != nil {
		return nil, err
	}
	if s.sig, err = base64.StdEncoding.DecodeString(params["signature"]); err != nil || len(s.sig) == 0 {
		return nil, fmt.Errorf("%w: signature is not base64", ErrMalformed)
	}
	if s.created, err = unixParam(params, "created"); err != nil {
		return nil, err
	}
	if s.expires, err = unixParam(params, "expires"); err != nil {
		return nil, err
	}
	headers := strings.Fields(strings.ToLower(params["headers"]))
	if len(headers) == 0 {
		headers = []string{"date"} // the draft's default when headers is absent
	}
	s.components = headers
	base, err := cavageSigningString(r, headers, params)
	if err != nil {
		return nil, err
	}
	s.base = []byte(base)
	return s, nil
}

// cavageAlgorithms maps the algorithm parameter to what we will try; nil
// means "decided by the key", which is how hs2019 is used in the fediverse.
func cavageAlgorithms(name string) ([]string, error) {
	switch strings.ToLower(name) {
	case "rsa-sha256":
		return []string{AlgRSAv15SHA256}, nil
	case "hs2019", "":
		return nil, nil
	case "ed25519":
		return []string{AlgEd25519}, nil
	}
	return nil, fmt.Errorf("%w: %q", ErrUnsupportedAlgorithm, name)
}

func unixParam(params map[string]string, name string) (time.Time, error) {
	v, ok := params[name]
	if !ok {
		return time.Time{}, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: %s is not an integer", ErrMalformed, name)
	}
	return time.Unix(n, 0), nil
}

// cavageSigningString builds the string draft-cavage signs: one
// "name: value" line per covered header.
func cavageSigningString(r *http.Request, headers []string, params map[string]string) (string, error) {
	var b strings.Builder
	for i, h := range headers {
		value, err := cavageValue(r, h, params)
		if err != nil {
			return "", err
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(h)
		b.WriteString(": ")
		b.WriteString(value)
	}
	return b.String(), nil
}

func cavageValue(r *http.Request, name string, params map[string]string) (string, error) {
	switch name {
	case "(request-target)":
		return strings.ToLower(r.Method) + " " + r.URL.RequestURI(), nil
	case "(created)", "(expires)":
		v, ok := params[strings.Trim(name, "()")]
		if !ok {
			return "", fmt.Errorf("%w: %s signed without its parameter", ErrMalformed, name)
		}
		return v, nil
	case "host":
		return requestHost(r), nil
	}
	values := r.Header.Values(name)
	if len(values) == 0 {
		return "", fmt.Errorf("%w: signed header %q is absent", ErrMissingComponent, name)
	}
	return joinFieldValues(values), nil
}

// requestHost is the Host a server received or a client will send.
func requestHost(r *http.Request) string {
	if r.Host != "" {
		return r.Host
	}
	return r.URL.Host
}

// joinFieldValues combines repeated header lines as both schemes specify:
// each value trimmed, joined by ", ".
func joinFieldValues(values []string) string {
	if len(values) == 1 {
		return strings.TrimSpace(values[0])
	}
	trimmed := make([]string, len(values))
	for i, v := range values {
		trimmed[i] = strings.TrimSpace(v)
	}
	return strings.Join(trimmed, ", ")
}

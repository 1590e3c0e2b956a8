package httpsig

import (
	"cmp"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/dunglas/httpsfv"
)

// maxLabels bounds how many RFC 9421 signatures one request may ask us to
// consider, so a hostile request cannot make us do unbounded work.
const maxLabels = 8

// RFC9421Options says how SignRequestRFC9421 signs.
type RFC9421Options struct {
	Label     string        // signature label; "sig1" when empty
	KeyID     string        // keyid parameter, the actor's key URL
	Key       crypto.Signer // *rsa.PrivateKey, ed25519.PrivateKey or P-256 *ecdsa.PrivateKey
	Algorithm string        // alg parameter; from the key's type when empty
	// Components to cover; when nil: @method @target-uri @authority, plus
	// content-digest for a request with a body.
	Components []string
	Created    time.Time // created parameter; required
	Expires    time.Time // expires parameter; omitted when zero
	Nonce      string    // nonce parameter; omitted when empty
}

// SignRequestRFC9421 signs r with an RFC 9421 HTTP Message Signature, adding
// a sha-256 Content-Digest for body when content-digest is covered and the
// header is not already set.
func SignRequestRFC9421(r *http.Request, body []byte, o RFC9421Options) error {
	if r.Host == "" {
		r.Host = r.URL.Host
	}
	alg := o.Algorithm
	if alg == "" {
		alg = defaultAlgorithm(o.Key)
	}
	components := o.Components
	if components == nil {
		components = defaultComponents(r, body)
	}
	if slices.Contains(components, "content-digest") && r.Header.Get("Content-Digest") == "" {
		digest, err := ContentDigestHeader("sha-256", body)
		if err != nil {
			return err
		}
		r.Header.Set("Content-Digest", digest)
	}
	input := signatureInput(components, o, alg)
	base, err := signatureBase(r, "", input)
	if err != nil {
		return fmt.Errorf("httpsig: sign: %w", err)
	}
	sig, err := signWith(alg, o.Key, base)
	if err != nil {
		return fmt.Errorf("httpsig: sign: %w", err)
	}
	return setSignatureHeaders(r, o.Label, input, sig)
}

func defaultAlgorithm(key crypto.Signer) string {
	switch key.(type) {
	case ed25519.PrivateKey:
		return AlgEd25519
	case *ecdsa.PrivateKey:
		return AlgECDSAP256SHA256
	case *rsa.PrivateKey:
		return AlgRSAv15SHA256
	}
	return ""
}

func defaultComponents(r *http.Request, body []byte) []string {
	components := []string{"@method", "@target-uri", "@authority"}
	if needsDigest(r, body) {
		components = append(components, "content-digest")
	}
	return components
}

func signatureInput(components []string, o RFC9421Options, alg string) httpsfv.InnerList {
	input := httpsfv.InnerList{Params: httpsfv.NewParams()}
	for _, c := range components {
		input.Items = append(input.Items, httpsfv.NewItem(c))
	}
	input.Params.Add("created", o.Created.Unix())
	if !o.Expires.IsZero() {
		input.Params.Add("expires", o.Expires.Unix())
	}
	input.Params.Add("keyid", o.KeyID)
	input.Params.Add("alg", alg)
	if o.Nonce != "" {
		input.Params.Add("nonce", o.Nonce)
	}
	return input
}

func setSignatureHeaders(r *http.Request, label string, input httpsfv.InnerList, sig []byte) error {
	if label == "" {
		label = "sig1"
	}
	inputs, sigs := httpsfv.NewDictionary(), httpsfv.NewDictionary()
	inputs.Add(label, input)
	sigs.Add(label, httpsfv.NewItem(sig))
	inputValue, err := httpsfv.Marshal(inputs)
	if err != nil {
		return fmt.Errorf("httpsig: sign: %w", err)
	}
	sigValue, err := httpsfv.Marshal(sigs)
	if err != nil {
		return fmt.Errorf("httpsig: sign: %w", err)
	}
	r.Header.Set("Signature-Input", inputValue)
	r.Header.Set("Signature", sigValue)
	return nil
}

// parseRFC9421 reads every labelled signature of the request into the
// common form, building each signature base from r. scheme is what the
// verifier assumes when the request does not say (a server behind a proxy).
func parseRFC9421(r *http.Request, scheme string) ([]*signature, error) {
	inputs, err := httpsfv.UnmarshalDictionary(r.Header.Values("Signature-Input"))
	if err != nil {
		return nil, fmt.Errorf("%w: signature-input: %v", ErrMalformed, err)
	}
	sigs, err := httpsfv.UnmarshalDictionary(r.Header.Values("Signature"))
	if err != nil {
		return nil, fmt.Errorf("%w: signature: %v", ErrMalformed, err)
	}
	labels := inputs.Names()
	if len(labels) == 0 {
		return nil, fmt.Errorf("%w: empty signature-input", ErrNoSignature)
	}
	if len(labels) > maxLabels {
		return nil, fmt.Errorf("%w: %d signatures", ErrMalformed, len(labels))
	}
	// A label we cannot use (an algorithm or component we do not support)
	// does not spoil another label on the same request.
	var out []*signature
	var firstErr error
	for _, label := range labels {
		s, err := parseLabel(r, scheme, inputs, sigs, label)
		if err != nil {
			firstErr = cmp.Or(firstErr, fmt.Errorf("signature %q: %w", label, err))
			continue
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		return nil, firstErr
	}
	return out, nil
}

func parseLabel(r *http.Request, scheme string, inputs, sigs *httpsfv.Dictionary, label string) (*signature, error) {
	member, _ := inputs.Get(label)
	input, ok := member.(httpsfv.InnerList)
	if !ok {
		return nil, fmt.Errorf("%w: signature-input is not an inner list", ErrMalformed)
	}
	sigMember, ok := sigs.Get(label)
	if !ok {
		return nil, fmt.Errorf("%w: no signature for this label", ErrMalformed)
	}
	sigItem, _ := sigMember.(httpsfv.Item)
	sigBytes, ok := sigItem.Value.([]byte)
	if !ok || len(sigBytes) == 0 {
		return nil, fmt.Errorf("%w: signature is not a byte sequence", ErrMalformed)
	}
	s := &signature{scheme: SchemeRFC9421, sig: sigBytes}
	if err := readInputParams(s, input.Params); err != nil {
		return nil, err
	}
	for _, item := range input.Items {
		name, _ := item.Value.(string)
		s.components = append(s.components, name)
	}
	base, err := signatureBase(r, scheme, input)
	if err != nil {
		return nil, err
	}
	s.base = base
	return s, nil
}

// readInputParams copies keyid, alg, created and expires, checking types.
func readInputParams(s *signature, params *httpsfv.Params) error {
	var ok bool
	for _, name := range params.Names() {
		v, _ := params.Get(name)
		switch name {
		case "keyid":
			s.keyID, ok = v.(string)
		case "alg":
			var alg string
			alg, ok = v.(string)
			s.algs = []string{alg}
		case "created", "expires":
			var n int64
			n, ok = v.(int64)
			if name == "created" {
				s.created = time.Unix(n, 0)
			} else {
				s.expires = time.Unix(n, 0)
			}
		default:
			ok = true // nonce, tag and future parameters are signed but not ours to judge
		}
		if !ok {
			return fmt.Errorf("%w: parameter %s has the wrong type", ErrMalformed, name)
		}
	}
	if s.keyID == "" {
		return fmt.Errorf("%w: no keyid", ErrMalformed)
	}
	if len(s.algs) == 1 {
		return checkAlgorithm(s.algs[0])
	}
	return nil
}

// checkAlgorithm reports whether alg is one we verify.
func checkAlgorithm(alg string) error {
	switch alg {
	case AlgRSAv15SHA256, AlgRSAPSSSHA512, AlgEd25519, AlgECDSAP256SHA256:
		return nil
	}
	return fmt.Errorf("%w: %q", ErrUnsupportedAlgorithm, alg)
}

// signatureBase builds the RFC 9421 signature base: one line per covered
// component and the @signature-params line, which is input re-serialized.
func signatureBase(r *http.Request, scheme string, input httpsfv.InnerList) ([]byte, error) {
	var b strings.Builder
	seen := make(map[string]bool, len(input.Items))
	for _, item := range input.Items {
		id, err := httpsfv.Marshal(item)
		if err != nil {
			return nil, fmt.Errorf("%w: component: %v", ErrMalformed, err)
		}
		if seen[id] {
			return nil, fmt.Errorf("%w: component %s repeated", ErrMalformed, id)
		}
		seen[id] = true
		value, err := componentValue(r, scheme, item)
		if err != nil {
			return nil, err
		}
		b.WriteString(id)
		b.WriteString(": ")
		b.WriteString(value)
		b.WriteByte('\n')
	}
	params, err := httpsfv.Marshal(input)
	if err != nil {
		return nil, fmt.Errorf("%w: signature-input: %v", ErrMalformed, err)
	}
	b.WriteString(`"@signature-params": `)
	b.WriteString(params)
	return []byte(b.String()), nil
}

// componentValue is the value of one covered component of request r.
func componentValue(r *http.Request, scheme string, item httpsfv.Item) (string, error) {
	name, ok := item.Value.(string)
	if !ok || name == "" || name != strings.ToLower(name) {
		return "", fmt.Errorf("%w: component %v is not a lowercase string", ErrMalformed, item.Value)
	}
	paramNames := item.Params.Names()
	if name == "@query-param" {
		return queryParamValue(r, item.Params)
	}
	if len(paramNames) > 0 {
		return "", fmt.Errorf("%w: component parameters on %q are not supported", ErrUnsupportedAlgorithm, name)
	}
	if strings.HasPrefix(name, "@") {
		return derivedValue(r, scheme, name)
	}
	if name == "host" && r.Header.Get("Host") == "" {
		return requestHost(r), nil // Go moves Host out of the header map
	}
	values := r.Header.Values(name)
	if len(values) == 0 {
		return "", fmt.Errorf("%w: signed header %q is absent", ErrMissingComponent, name)
	}
	return joinFieldValues(values), nil
}

func derivedValue(r *http.Request, scheme, name string) (string, error) {
	switch name {
	case "@method":
		return r.Method, nil
	case "@target-uri":
		return requestScheme(r, scheme) + "://" + authority(r, scheme) + r.URL.RequestURI(), nil
	case "@authority":
		return authority(r, scheme), nil
	case "@scheme":
		return requestScheme(r, scheme), nil
	case "@request-target":
		return r.URL.RequestURI(), nil
	case "@path":
		if p := r.URL.EscapedPath(); p != "" {
			return p, nil
		}
		return "/", nil
	case "@query":
		return "?" + r.URL.RawQuery, nil
	}
	return "", fmt.Errorf("%w: derived component %q is not supported", ErrUnsupportedAlgorithm, name)
}

// queryParamValue is @query-param;name="…": the named parameter's value,
// decoded and re-encoded so that equivalent encodings sign alike.
func queryParamValue(r *http.Request, params *httpsfv.Params) (string, error) {
	v, _ := params.Get("name")
	name, ok := v.(string)
	if !ok || len(params.Names()) != 1 {
		return "", fmt.Errorf("%w: @query-param needs exactly a name parameter", ErrMalformed)
	}
	values, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return "", fmt.Errorf("%w: query: %v", ErrMalformed, err)
	}
	got, ok := values[name]
	if !ok || len(got) != 1 {
		return "", fmt.Errorf("%w: query parameter %q absent or repeated", ErrMissingComponent, name)
	}
	return url.QueryEscape(got[0]), nil
}

func requestScheme(r *http.Request, fallback string) string {
	switch {
	case r.URL.Scheme != "":
		return strings.ToLower(r.URL.Scheme)
	case r.TLS != nil:
		return "https"
	case fallback != "":
		return fallback
	}
	return "https"
}

// authority is the lowercased host with the scheme's default port removed.
func authority(r *http.Request, scheme string) string {
	host := strings.ToLower(requestHost(r))
	switch requestScheme(r, scheme) {
	case "https":
		return strings.TrimSuffix(host, ":443")
	case "http":
		return strings.TrimSuffix(host, ":80")
	}
	return host
}

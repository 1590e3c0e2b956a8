package httpsig

import "errors"

// The errors Verify returns, always wrapped with detail; test with errors.Is.
var (
	// ErrNoSignature: the request carries no signature of a scheme we read.
	ErrNoSignature = errors.New("httpsig: no signature")
	// ErrMalformed: a signature header or parameter cannot be parsed.
	ErrMalformed = errors.New("httpsig: malformed signature")
	// ErrUnsupportedAlgorithm: the signature or digest names an algorithm we do not verify.
	ErrUnsupportedAlgorithm = errors.New("httpsig: unsupported algorithm")
	// ErrMissingComponent: a component we require is not covered, or a covered one is absent.
	ErrMissingComponent = errors.New("httpsig: required component missing")
	// ErrDigestMismatch: the body digest header does not match the body.
	ErrDigestMismatch = errors.New("httpsig: digest does not match body")
	// ErrExpired: the signature is older than the allowed age or past its expiry.
	ErrExpired = errors.New("httpsig: signature expired")
	// ErrFuture: the signature claims a time too far ahead of our clock.
	ErrFuture = errors.New("httpsig: signature is from the future")
	// ErrBadSignature: the signature does not verify with the signer's key.
	ErrBadSignature = errors.New("httpsig: bad signature")
	// ErrKeyNotFound: the KeyFunc could not supply the key named by keyId.
	ErrKeyNotFound = errors.New("httpsig: key not found")
)

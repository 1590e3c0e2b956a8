// Package httpsig signs and verifies HTTP requests between ActivityPub
// servers.
//
// Outbound requests are signed the way Mastodon signs them, because every
// fediverse server accepts that form: draft-cavage-http-signatures-12 with
// algorithm "rsa-sha256" over "(request-target) host date digest" (digest
// only when there is a body), plus a "Digest: SHA-256=…" header.
//
// Inbound requests are accepted in two schemes, because both are in use:
//   - draft-cavage (the Signature header, or Authorization: Signature) with
//     algorithm "rsa-sha256" or "hs2019". hs2019 takes its algorithm from the
//     key: RSA keys are RSASSA-PKCS1-v1_5 with SHA-256 as the fediverse signs
//     them (RSASSA-PSS with SHA-512, the draft's own reading, is also tried),
//     Ed25519 keys are Ed25519.
//   - RFC 9421 HTTP Message Signatures (Signature-Input and Signature), which
//     newer servers send, with rsa-v1_5-sha256, rsa-pss-sha512, ed25519 and
//     ecdsa-p256-sha256, and RFC 9530 Content-Digest (sha-256, sha-512).
//
// Whatever the scheme, a signature is only accepted when it covers what makes
// it unusable elsewhere: the request target and method, the host, the time
// (Date or created), and for a request with a body the body digest, which must
// match the bytes received. Signatures older than 12 hours or more than one
// hour in the future are refused, as Mastodon does.
//
// Keys come from a KeyFunc supplied by the caller (federation fetches and
// caches actor keys). When a signature fails with a cached key the verifier
// asks once more with refresh=true, so a remote key rotation costs one refetch
// instead of a rejected delivery. The caller must still check that the key's
// owner is allowed to act for the activity's actor.
//
// Why our own code: the one Go library for RFC 9421 we could use is not served
// by the module proxy, and go-fed/httpsig covers only draft-cavage without the
// time window, required components, hs2019 key inference or key refresh, so
// we would wrap almost all of it. Structured field parsing (RFC 8941/9651) is
// delegated to github.com/dunglas/httpsfv; go-fed/httpsig is used in tests as
// an independent draft-cavage implementation to cross-check ours.
package httpsig

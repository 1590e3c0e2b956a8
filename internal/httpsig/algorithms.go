package httpsig

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"errors"
	"fmt"
	"math/big"
)

// Algorithm names, as RFC 9421 registers them.
const (
	AlgRSAv15SHA256    = "rsa-v1_5-sha256"
	AlgRSAPSSSHA512    = "rsa-pss-sha512"
	AlgEd25519         = "ed25519"
	AlgECDSAP256SHA256 = "ecdsa-p256-sha256"
)

// pssOptions are RFC 9421's: MGF1 with SHA-512 and a 64-byte salt.
var pssOptions = &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash, Hash: crypto.SHA512}

// errKeyMismatch means the key cannot make this kind of signature. It is
// reported as ErrBadSignature, so a rotated key of another type is refetched.
var errKeyMismatch = errors.New("key type does not fit the algorithm")

// verifyWith checks sig over msg with pub under the named algorithm.
func verifyWith(alg string, pub crypto.PublicKey, msg, sig []byte) error {
	var err error
	switch alg {
	case AlgRSAv15SHA256:
		k, ok := pub.(*rsa.PublicKey)
		if !ok {
			return errKeyMismatch
		}
		sum := sha256.Sum256(msg)
		err = rsa.VerifyPKCS1v15(k, crypto.SHA256, sum[:], sig)
	case AlgRSAPSSSHA512:
		k, ok := pub.(*rsa.PublicKey)
		if !ok {
			return errKeyMismatch
		}
		sum := sha512.Sum512(msg)
		err = rsa.VerifyPSS(k, crypto.SHA512, sum[:], sig, pssOptions)
	case AlgEd25519:
		k, ok := pub.(ed25519.PublicKey)
		if !ok {
			return errKeyMismatch
		}
		if !ed25519.Verify(k, msg, sig) {
			err = errors.New("ed25519 verification failed")
		}
	case AlgECDSAP256SHA256:
		err = verifyECDSAP256(pub, msg, sig)
	default:
		return fmt.Errorf("%w: %q", ErrUnsupportedAlgorithm, alg)
	}
	return err
}

// verifyECDSAP256 reads RFC 9421's fixed 64-byte r||s form, not ASN.1.
func verifyECDSAP256(pub crypto.PublicKey, msg, sig []byte) error {
	k, ok := pub.(*ecdsa.PublicKey)
	if !ok || k.Curve != elliptic.P256() {
		return errKeyMismatch
	}
	if len(sig) != 64 {
		return errors.New("ecdsa signature is not 64 bytes")
	}
	r := new(big.Int).SetBytes(sig[:32])
	s := new(big.Int).SetBytes(sig[32:])
	sum := sha256.Sum256(msg)
	if !ecdsa.Verify(k, sum[:], r, s) {
		return errors.New("ecdsa verification failed")
	}
	return nil
}

// signWith signs msg with key under the named algorithm.
func signWith(alg string, key crypto.Signer, msg []byte) ([]byte, error) {
	switch alg {
	case AlgRSAv15SHA256:
		k, ok := key.(*rsa.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("httpsig: %s needs an RSA key, not %T", alg, key)
		}
		sum := sha256.Sum256(msg)
		return rsa.SignPKCS1v15(rand.Reader, k, crypto.SHA256, sum[:])
	case AlgRSAPSSSHA512:
		k, ok := key.(*rsa.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("httpsig: %s needs an RSA key, not %T", alg, key)
		}
		sum := sha512.Sum512(msg)
		return rsa.SignPSS(rand.Reader, k, crypto.SHA512, sum[:], pssOptions)
	case AlgEd25519:
		k, ok := key.(ed25519.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("httpsig: %s needs an Ed25519 key, not %T", alg, key)
		}
		return ed25519.Sign(k, msg), nil
	case AlgECDSAP256SHA256:
		return signECDSAP256(key, msg)
	}
	return nil, fmt.Errorf("%w: %q", ErrUnsupportedAlgorithm, alg)
}

func signECDSAP256(key crypto.Signer, msg []byte) ([]byte, error) {
	k, ok := key.(*ecdsa.PrivateKey)
	if !ok || k.Curve != elliptic.P256() {
		return nil, fmt.Errorf("httpsig: %s needs a P-256 key, not %T", AlgECDSAP256SHA256, key)
	}
	sum := sha256.Sum256(msg)
	r, s, err := ecdsa.Sign(rand.Reader, k, sum[:])
	if err != nil {
		return nil, err
	}
	sig := make([]byte, 64)
	r.FillBytes(sig[:32])
	s.FillBytes(sig[32:])
	return sig, nil
}

// algorithmsForKey lists what a signature without an explicit algorithm may
// be for this key, most likely first. RSA keys get both RSA schemes because
// hs2019 and alg-less RFC 9421 signatures do not say which was used.
func algorithmsForKey(pub crypto.PublicKey) []string {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return []string{AlgRSAv15SHA256, AlgRSAPSSSHA512}
	case ed25519.PublicKey:
		return []string{AlgEd25519}
	case *ecdsa.PublicKey:
		if k.Curve == elliptic.P256() {
			return []string{AlgECDSAP256SHA256}
		}
	}
	return nil
}

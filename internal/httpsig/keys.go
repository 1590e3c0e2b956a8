package httpsig

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
)

// GenerateRSAKey makes the 2048-bit RSA key that every actor signs with; it
// is the size Mastodon uses and every server accepts.
func GenerateRSAKey() (*rsa.PrivateKey, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("httpsig: generate rsa key: %w", err)
	}
	return key, nil
}

// EncodePublicKeyPEM renders a public key as a PKIX "PUBLIC KEY" PEM block,
// the form actor documents carry in publicKey.publicKeyPem.
func EncodePublicKeyPEM(pub crypto.PublicKey) (string, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return "", fmt.Errorf("httpsig: encode public key: %w", err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})), nil
}

// DecodePublicKeyPEM reads the first PEM block of s as a PKIX ("PUBLIC KEY")
// or PKCS#1 ("RSA PUBLIC KEY") public key; both appear in real actor
// documents. It returns *rsa.PublicKey, ed25519.PublicKey or *ecdsa.PublicKey.
func DecodePublicKeyPEM(s string) (crypto.PublicKey, error) {
	block, _ := pem.Decode([]byte(s))
	if block == nil {
		return nil, errors.New("httpsig: decode public key: no PEM block")
	}
	if block.Type == "RSA PUBLIC KEY" {
		pub, err := x509.ParsePKCS1PublicKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("httpsig: decode pkcs1 public key: %w", err)
		}
		return pub, nil
	}
	pub, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err == nil {
		return pub, nil
	}
	// Some servers label a PKCS#1 key "PUBLIC KEY"; accept what parses.
	if rsaPub, err1 := x509.ParsePKCS1PublicKey(block.Bytes); err1 == nil {
		return rsaPub, nil
	}
	return nil, fmt.Errorf("httpsig: decode public key: %w", err)
}

// EncodePrivateKeyPEM renders an RSA private key as PKCS#1 ("RSA PRIVATE
// KEY"), the form Mastodon stores.
func EncodePrivateKeyPEM(key *rsa.PrivateKey) string {
	der := x509.MarshalPKCS1PrivateKey(key)
	return string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: der}))
}

// DecodePrivateKeyPEM reads a PKCS#1 ("RSA PRIVATE KEY"), PKCS#8 ("PRIVATE
// KEY") or SEC 1 ("EC PRIVATE KEY") private key.
func DecodePrivateKeyPEM(s string) (crypto.Signer, error) {
	block, _ := pem.Decode([]byte(s))
	if block == nil {
		return nil, errors.New("httpsig: decode private key: no PEM block")
	}
	switch block.Type {
	case "RSA PRIVATE KEY":
		key, err := x509.ParsePKCS1PrivateKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("httpsig: decode pkcs1 private key: %w", err)
		}
		return key, nil
	case "EC PRIVATE KEY":
		key, err := x509.ParseECPrivateKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("httpsig: decode ec private key: %w", err)
		}
		return key, nil
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("httpsig: decode pkcs8 private key: %w", err)
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("httpsig: decode private key: %T cannot sign", key)
	}
	return signer, nil
}

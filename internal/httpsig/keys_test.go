package httpsig

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"testing"
)

func TestPEMRoundTrips(t *testing.T) {
	t.Parallel()
	key, _ := testKeys()
	pubPEM, err := EncodePublicKeyPEM(&key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	pkcs1Pub := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(&key.PublicKey)}))
	mislabelled := string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(&key.PublicKey)}))
	for name, s := range map[string]string{"pkix": pubPEM, "pkcs1": pkcs1Pub, "pkcs1 labelled PUBLIC KEY": mislabelled} {
		pub, err := DecodePublicKeyPEM(s)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !key.PublicKey.Equal(pub) {
			t.Errorf("%s: decoded another key", name)
		}
	}

	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]string{
		"pkcs1": EncodePrivateKeyPEM(key),
		"pkcs8": string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8})),
	} {
		priv, err := DecodePrivateKeyPEM(s)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if rsaPriv, ok := priv.(*rsa.PrivateKey); !ok || !rsaPriv.Equal(key) {
			t.Errorf("%s: decoded %T, not the key", name, priv)
		}
	}
}

func TestDecodeRFCKeys(t *testing.T) {
	t.Parallel()
	blocks := readPEMBlocks(t, "rfc9421-keys.pem")
	for i, want := range []string{"rsa", "ecdsa", "ed25519", "", "rsa"} {
		if want == "" {
			continue
		}
		pub, err := DecodePublicKeyPEM(blocks[i])
		if err != nil {
			t.Errorf("block %d: %v", i, err)
			continue
		}
		var got string
		switch pub.(type) {
		case *rsa.PublicKey:
			got = "rsa"
		case *ecdsa.PublicKey:
			got = "ecdsa"
		case ed25519.PublicKey:
			got = "ed25519"
		}
		if got != want {
			t.Errorf("block %d decoded as %T; want %s", i, pub, want)
		}
	}
}

func TestDecodePEMErrors(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", "not pem", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"} {
		if _, err := DecodePublicKeyPEM(s); err == nil {
			t.Errorf("DecodePublicKeyPEM(%q) succeeded", s)
		}
		if _, err := DecodePrivateKeyPEM(s); err == nil {
			t.Errorf("DecodePrivateKeyPEM(%q) succeeded", s)
		}
	}
}

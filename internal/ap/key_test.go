package ap

import (
	"errors"
	"testing"
)

func TestDecodeKey(t *testing.T) {
	t.Parallel()
	good := `{"id":"https://a.example/keys/1","type":"CryptographicKey","owner":"https://a.example/users/x","publicKeyPem":"PEM"}`
	k, err := DecodeKey([]byte(good))
	if err != nil || k.Owner != "https://a.example/users/x" || k.PEM != "PEM" {
		t.Fatalf("DecodeKey(good) = %+v, %v", k, err)
	}
	for _, bad := range []string{
		`{"id":"https://a.example/keys/1","owner":"javascript:x","publicKeyPem":"PEM"}`,
		`{"id":"https://a.example/keys/1","owner":"https://a.example/users/x"}`,
		`{"id":"/keys/1","owner":"https://a.example/users/x","publicKeyPem":"PEM"}`,
		`[]`,
	} {
		if _, err := DecodeKey([]byte(bad)); !errors.Is(err, ErrInvalid) {
			t.Errorf("DecodeKey(%s) = %v; want ErrInvalid", bad, err)
		}
	}
}

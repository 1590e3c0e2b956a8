package webpush

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
)

// recordSize is the one record every payload fits in (RFC 8188's default of 4096).
const recordSize = 4096

// MaxPayload is the largest payload one record carries, after the header, padding
// delimiter and authentication tag.
const MaxPayload = recordSize - 86 - 1 - 16

// ErrTooLarge is returned for payloads beyond MaxPayload.
var ErrTooLarge = errors.New("webpush: payload too large")

// keys holds one message's fresh ephemeral key and salt, and the subscriber's keys.
type keys struct {
	server   *ecdh.PrivateKey
	uaPublic []byte // the subscription's p256dh, uncompressed point
	auth     []byte // the subscription's 16-byte auth secret
	secret   []byte // ECDH of the two
	salt     []byte
}

func newKeys(p256dh, auth []byte) (*keys, error) {
	ua, err := ecdh.P256().NewPublicKey(p256dh)
	if err != nil {
		return nil, errors.New("webpush: p256dh is not a P-256 public key")
	}
	if len(auth) < 16 {
		return nil, errors.New("webpush: auth secret shorter than 16 bytes")
	}
	server, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	secret, err := server.ECDH(ua)
	if err != nil {
		return nil, err
	}
	salt := make([]byte, 16)
	rand.Read(salt)
	return &keys{server: server, uaPublic: p256dh, auth: auth, secret: secret, salt: salt}, nil
}

// derive is HKDF-SHA-256 extract then expand.
func derive(secret, salt []byte, info string, n int) ([]byte, error) {
	prk, err := hkdf.Extract(sha256.New, secret, salt)
	if err != nil {
		return nil, err
	}
	return hkdf.Expand(sha256.New, prk, info, n)
}

func seal(cek, nonce, plaintext []byte) ([]byte, error) {
	block, err := aes.NewCipher(cek)
	if err != nil {
		return nil, err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return gcm.Seal(nil, nonce, plaintext, nil), nil
}

// encryptStandard is RFC 8291: the body is RFC 8188's header (salt, record size, the
// server's public key) followed by one encrypted record ending in the 0x02 delimiter.
func encryptStandard(k *keys, payload []byte) ([]byte, error) {
	serverPublic := k.server.PublicKey().Bytes()
	ikm, err := derive(k.secret, k.auth, "WebPush: info\x00"+string(k.uaPublic)+string(serverPublic), 32)
	if err != nil {
		return nil, err
	}
	cek, err := derive(ikm, k.salt, "Content-Encoding: aes128gcm\x00", 16)
	if err != nil {
		return nil, err
	}
	nonce, err := derive(ikm, k.salt, "Content-Encoding: nonce\x00", 12)
	if err != nil {
		return nil, err
	}
	record, err := seal(cek, nonce, append(append([]byte{}, payload...), 0x02))
	if err != nil {
		return nil, err
	}
	header := make([]byte, 0, 21+len(serverPublic))
	header = append(header, k.salt...)
	header = binary.BigEndian.AppendUint32(header, recordSize)
	header = append(header, byte(len(serverPublic)))
	header = append(header, serverPublic...)
	return append(header, record...), nil
}

// encryptLegacy is draft 4 of RFC 8291 ("aesgcm"): the salt and server key travel in
// headers, the body is one record with a two-byte padding length in front.
func encryptLegacy(k *keys, payload []byte) ([]byte, error) {
	serverPublic := k.server.PublicKey().Bytes()
	ikm, err := derive(k.secret, k.auth, "Content-Encoding: auth\x00", 32)
	if err != nil {
		return nil, err
	}
	context := legacyContext(k.uaPublic, serverPublic)
	cek, err := derive(ikm, k.salt, "Content-Encoding: aesgcm\x00"+context, 16)
	if err != nil {
		return nil, err
	}
	nonce, err := derive(ikm, k.salt, "Content-Encoding: nonce\x00"+context, 12)
	if err != nil {
		return nil, err
	}
	return seal(cek, nonce, append([]byte{0, 0}, payload...))
}

// legacyContext binds both public keys into the derived key and nonce.
func legacyContext(uaPublic, serverPublic []byte) string {
	b := []byte("P-256\x00")
	b = binary.BigEndian.AppendUint16(b, uint16(len(uaPublic)))
	b = append(b, uaPublic...)
	b = binary.BigEndian.AppendUint16(b, uint16(len(serverPublic)))
	return string(append(b, serverPublic...))
}

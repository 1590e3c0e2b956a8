package ap

// DecodeKey decodes a public key published as its own document (a
// CryptographicKey, as some servers serve their key ids) naming its owner.
// It fails with ErrInvalid when the id or the owner is not a valid IRI or the
// PEM is missing; the owner's actor document must still name the key back
// before anyone trusts it.
func DecodeKey(data []byte) (*PublicKey, error) {
	var v struct {
		ID           flexString `json:"id"`
		Owner        flexString `json:"owner"`
		Controller   flexString `json:"controller"`
		PublicKeyPem flexString `json:"publicKeyPem"`
	}
	if err := unmarshal(data, &v); err != nil {
		return nil, err
	}
	k := &PublicKey{ID: string(v.ID), Owner: string(v.Owner), PEM: string(v.PublicKeyPem)}
	if k.Owner == "" {
		k.Owner = string(v.Controller)
	}
	switch {
	case !ValidIRI(k.ID):
		return nil, invalid("id", "%q is not an absolute http(s) URL", truncate(k.ID, 256))
	case !ValidIRI(k.Owner):
		return nil, invalid("owner", "%q is not an absolute http(s) URL", truncate(k.Owner, 256))
	case k.PEM == "":
		return nil, invalid("publicKeyPem", "missing")
	}
	return k, nil
}

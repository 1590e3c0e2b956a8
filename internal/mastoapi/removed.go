package mastoapi

import (
	"net/http"

	"github.com/tuskhq/tusk/internal/httpx"
)

// errIdentityProofsGone answers for identity proofs, which Mastodon removed in 3.5 with
// Keybase's shutdown. Mastodon still routes the endpoint to a permanent empty list; tusk
// says plainly that the feature is gone instead of pretending every account has none.
var errIdentityProofsGone = &httpx.Error{Code: http.StatusGone,
	Msg: "Identity proofs were removed from Mastodon in 3.5; tusk does not support them"}

// identityProofs answers 404 for an unknown account and 410 Gone for a known one.
func (a *API) identityProofs(w http.ResponseWriter, r *http.Request) error {
	if _, err := viewer(r, "read:accounts"); err != nil {
		return err
	}
	if _, err := a.accountByPath(r); err != nil {
		return err
	}
	return errIdentityProofsGone
}

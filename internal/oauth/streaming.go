package oauth

import (
	"context"
	"errors"

	"github.com/tuskhq/tusk/internal/httpx"
)

// SessionEnder closes the live streams of a token or of every token of an account.
type SessionEnder interface {
	EndSessions(tokenID, accountID int64)
}

// AuthenticateSecret resolves a token the streaming API received in the
// Sec-WebSocket-Protocol header, where browsers let WebSocket clients put it: the same
// checks as Authenticate, answered with the same 401.
func (s *Service) AuthenticateSecret(ctx context.Context, secret string) (*Auth, error) {
	auth, err := s.lookup(ctx, secret)
	if errors.Is(err, errInvalidToken) {
		return nil, httpx.ErrUnauthorized
	}
	if err != nil {
		return nil, err
	}
	if auth.refusal != nil {
		return nil, refusalError(auth.refusal)
	}
	return auth, nil
}

// endSessions closes the token's open streams, when the service knows who streams.
func (s *Service) endSessions(tokenID int64) {
	if s.Sessions != nil {
		s.Sessions.EndSessions(tokenID, 0)
	}
}

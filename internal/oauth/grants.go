package oauth

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/tuskhq/tusk/internal/accounts"
	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/webform"
)

// grantCode exchanges an authorization code. The code is deleted before it is
// checked, so a failed attempt burns it as surely as a successful one.
func (s *Service) grantCode(ctx context.Context, app *model.App, p httpx.Params) (*issued, error) {
	code := p.String("code")
	if code == "" {
		return nil, invalidRequest("Missing required parameter: code.")
	}
	c, err := s.Store.Writer().TakeAuthCode(ctx, HashSecret(code))
	if errors.Is(err, store.ErrNotFound) {
		return nil, invalidGrant("unknown or already used code")
	}
	if err != nil {
		return nil, fmt.Errorf("oauth: take code: %w", err)
	}
	switch {
	case c.AppID != app.ID:
		return nil, invalidGrant("code issued to another client")
	case time.Now().After(c.ExpiresAt):
		return nil, invalidGrant("code expired")
	case p.String("redirect_uri") != c.RedirectURI:
		return nil, invalidGrant("redirect_uri does not match")
	case !pkceMatches(c, p.String("code_verifier")):
		return nil, invalidGrant("code_verifier does not match the code_challenge")
	}
	if err := s.userMaySignIn(ctx, c.UserID); err != nil {
		return nil, err
	}
	return s.issue(ctx, app.ID, &c.UserID, c.Scopes)
}

// pkceMatches checks an S256 verifier (RFC 7636); codes asked without a challenge
// need none. The authorize step refuses every other method.
func pkceMatches(c *model.AuthCode, verifier string) bool {
	if c.CodeChallenge == "" {
		return true
	}
	if c.CodeChallengeMethod != "S256" || len(verifier) < 43 || len(verifier) > 128 {
		return false
	}
	sum := sha256.Sum256([]byte(verifier))
	return webform.SecretsEqual(base64.RawURLEncoding.EncodeToString(sum[:]), c.CodeChallenge)
}

// grantClient issues an app-only token.
func (s *Service) grantClient(ctx context.Context, app *model.App, p httpx.Params) (*issued, error) {
	scopes, err := askedScopes(p, app)
	if err != nil {
		return nil, err
	}
	return s.issue(ctx, app.ID, nil, scopes)
}

// grantPassword signs a user in with e-mail (as "username") and password. Users with
// two-factor sign-in are refused: this grant has no way to ask for the second factor.
func (s *Service) grantPassword(ctx context.Context, app *model.App, p httpx.Params) (*issued, error) {
	scopes, err := askedScopes(p, app)
	if err != nil {
		return nil, err
	}
	u, err := s.Accounts.Authenticate(ctx, p.String("username"), p.String("password"))
	if errors.Is(err, accounts.ErrBadCredentials) {
		return nil, invalidGrant("wrong e-mail address or password")
	}
	if err != nil {
		return nil, err
	}
	if u.OTPEnabled {
		return nil, invalidGrant("two-factor authentication is enabled; sign in through /oauth/authorize")
	}
	if err := s.userMaySignIn(ctx, u.ID); err != nil {
		return nil, err
	}
	return s.issue(ctx, app.ID, &u.ID, scopes)
}

// grantRefresh rotates a refresh token: the old token is revoked and a new pair
// issued with the same scopes, or fewer when scope narrows them.
func (s *Service) grantRefresh(ctx context.Context, app *model.App, p httpx.Params) (*issued, error) {
	old, err := s.Store.TokenByRefreshHash(ctx, HashSecret(p.String("refresh_token")))
	if errors.Is(err, store.ErrNotFound) {
		return nil, invalidGrant("unknown refresh token")
	}
	if err != nil {
		return nil, fmt.Errorf("oauth: refresh: %w", err)
	}
	if old.RevokedAt != nil || old.AppID == nil || *old.AppID != app.ID || old.UserID == nil {
		return nil, invalidGrant("refresh token revoked or issued to another client")
	}
	scopes := old.Scopes
	if p.String("scope") != "" {
		asked, ok := parseScopes(p.String("scope"), "")
		if !ok || !within(asked, old.Scopes) {
			return nil, errInvalidScope
		}
		scopes = asked
	}
	if err := s.userMaySignIn(ctx, *old.UserID); err != nil {
		return nil, err
	}
	var res *issued
	err = s.Store.Tx(ctx, func(q store.Q) error {
		won, err := q.RevokeTokenOnce(ctx, old.ID)
		if err != nil {
			return err
		}
		if !won {
			return invalidGrant("refresh token already used")
		}
		res, err = issueIn(ctx, q, app.ID, old.UserID, scopes)
		return err
	})
	return res, err
}

// userMaySignIn turns a user who may no longer sign in into invalid_grant.
func (s *Service) userMaySignIn(ctx context.Context, userID int64) error {
	_, _, err := s.signInUser(ctx, userID)
	if errors.Is(err, errInvalidToken) || errors.Is(err, store.ErrNotFound) ||
		errors.Is(err, accounts.ErrUnconfirmed) || errors.Is(err, accounts.ErrPending) {
		return invalidGrant("the user may not sign in")
	}
	return err
}

func (s *Service) issue(ctx context.Context, appID int64, userID *int64, scopes []string) (*issued, error) {
	return issueIn(ctx, s.Store.Writer(), appID, userID, scopes)
}

func issueIn(ctx context.Context, q store.Q, appID int64, userID *int64, scopes []string) (*issued, error) {
	token, refresh, t, err := insertToken(ctx, q, appID, userID, scopes)
	if err != nil {
		return nil, err
	}
	return &issued{token: token, refresh: refresh, t: t}, nil
}

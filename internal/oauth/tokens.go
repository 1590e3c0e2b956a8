package oauth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/webform"
)

// HashSecret is how token and code secrets are stored: hex SHA-256. The secrets are
// 256 random bits, so a fast hash is enough; a stolen database reveals no usable token.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// IssueToken creates an access token for an app, acting for userID or, when it is nil,
// for the app alone. User tokens come with a refresh token; app tokens do not.
func (s *Service) IssueToken(ctx context.Context, appID int64, userID *int64, scopes []string) (token, refresh string, t *model.Token, err error) {
	return insertToken(ctx, s.Store.Writer(), appID, userID, scopes)
}

func insertToken(ctx context.Context, q store.Q, appID int64, userID *int64, scopes []string) (string, string, *model.Token, error) {
	token, refresh, refreshHash := webform.RandomSecret(), "", ""
	if userID != nil {
		refresh = webform.RandomSecret()
		refreshHash = HashSecret(refresh)
	}
	t := &model.Token{AppID: &appID, UserID: userID, Scopes: scopes}
	if err := q.InsertToken(ctx, t, HashSecret(token), refreshHash); err != nil {
		return "", "", nil, fmt.Errorf("oauth: issue token: %w", err)
	}
	if err := recordLogin(ctx, q, userID, t.CreatedAt); err != nil {
		return "", "", nil, err
	}
	return token, refresh, t, nil
}

// tokenJSON is Mastodon's Token entity, with the refresh token when there is one.
type tokenJSON struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	Scope        string `json:"scope"`
	CreatedAt    int64  `json:"created_at"`
	RefreshToken string `json:"refresh_token,omitempty"`
}

func renderToken(token, refresh string, t *model.Token) tokenJSON {
	return tokenJSON{AccessToken: token, TokenType: "Bearer", Scope: strings.Join(t.Scopes, " "),
		CreatedAt: t.CreatedAt.Unix(), RefreshToken: refresh}
}

// issued is what a grant hands back to the token endpoint.
type issued struct {
	token, refresh string
	t              *model.Token
}

// token serves POST /oauth/token.
func (s *Service) token(w http.ResponseWriter, r *http.Request) error {
	p, err := httpx.ParseParams(w, r)
	if err != nil {
		return err
	}
	grant := p.String("grant_type")
	if grant == "" {
		return invalidRequest("Missing required parameter: grant_type.")
	}
	handle, ok := s.grants()[grant]
	if !ok {
		return errUnsupportedGrant
	}
	app, err := s.authenticateClient(r.Context(), r, p)
	if err != nil {
		return err
	}
	res, err := handle(r.Context(), app, p)
	if err != nil {
		return err
	}
	return httpx.OK(w, renderToken(res.token, res.refresh, res.t))
}

type grantFunc func(ctx context.Context, app *model.App, p httpx.Params) (*issued, error)

func (s *Service) grants() map[string]grantFunc {
	g := map[string]grantFunc{
		"authorization_code": s.grantCode,
		"client_credentials": s.grantClient,
		"refresh_token":      s.grantRefresh,
	}
	if s.Config.OAuthPasswordGrant {
		g["password"] = s.grantPassword
	}
	return g
}

// authenticateClient checks client_id and client_secret, sent with HTTP Basic
// authentication or as parameters.
func (s *Service) authenticateClient(ctx context.Context, r *http.Request, p httpx.Params) (*model.App, error) {
	id, secret, basic := r.BasicAuth()
	if !basic {
		id, secret = p.String("client_id"), p.String("client_secret")
	}
	if id == "" || secret == "" {
		return nil, errInvalidClient
	}
	app, err := s.Store.AppByClientID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errInvalidClient
	}
	if err != nil {
		return nil, fmt.Errorf("oauth: authenticate client: %w", err)
	}
	if !webform.SecretsEqual(app.ClientSecret, secret) {
		return nil, errInvalidClient
	}
	return app, nil
}

// askedScopes reads the scope parameter ("read" when absent) and checks it against
// what the app registered.
func askedScopes(p httpx.Params, app *model.App) ([]string, error) {
	scopes, ok := parseScopes(p.String("scope"), "read")
	if !ok || !within(scopes, app.Scopes) {
		return nil, errInvalidScope
	}
	return scopes, nil
}

// revoke serves POST /oauth/revoke (RFC 7009). Unknown tokens answer 200 too, so
// the endpoint tells nothing about which tokens exist.
func (s *Service) revoke(w http.ResponseWriter, r *http.Request) error {
	p, err := httpx.ParseParams(w, r)
	if err != nil {
		return err
	}
	app, err := s.authenticateClient(r.Context(), r, p)
	if err != nil {
		return err
	}
	secret := p.String("token")
	if secret == "" {
		return invalidRequest("Missing required parameter: token.")
	}
	t, err := s.findToken(r.Context(), secret)
	if errors.Is(err, store.ErrNotFound) {
		return httpx.OK(w, struct{}{})
	}
	if err != nil {
		return err
	}
	if t.AppID == nil || *t.AppID != app.ID {
		return errNotYourToken
	}
	if err := s.Store.Writer().RevokeToken(r.Context(), t.ID); err != nil {
		return fmt.Errorf("oauth: revoke: %w", err)
	}
	s.endSessions(t.ID)
	return httpx.OK(w, struct{}{})
}

// findToken loads a token by its access or its refresh secret.
func (s *Service) findToken(ctx context.Context, secret string) (*model.Token, error) {
	t, err := s.Store.TokenByHash(ctx, HashSecret(secret))
	if errors.Is(err, store.ErrNotFound) {
		t, err = s.Store.TokenByRefreshHash(ctx, HashSecret(secret))
	}
	return t, err
}

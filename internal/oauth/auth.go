package oauth

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/tuskhq/tusk/internal/accounts"
	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// Auth is who a request acts for. User and Account are nil for an app-only token
// (client credentials); App is nil only for tokens issued without a client.
type Auth struct {
	Token   *model.Token
	App     *model.App
	User    *model.User
	Account *model.Account
	// refusal is set when the user may not act yet: the address is unconfirmed or the
	// account awaits approval. Such a token is answered with 403, as Mastodon does,
	// except where a handler asks for it (RequireUserAwaitingConfirmation).
	refusal error
}

type authKey struct{}

// FromContext returns the request's Auth, or nil when it carries no token or one whose
// user may not act yet.
func FromContext(ctx context.Context) *Auth {
	a := anyAuth(ctx)
	if a != nil && a.refusal != nil {
		return nil
	}
	return a
}

// anyAuth returns the request's Auth, refused or not.
func anyAuth(ctx context.Context) *Auth {
	a, _ := ctx.Value(authKey{}).(*Auth)
	return a
}

// WithAuth returns ctx carrying a (for tests and internal callers).
func WithAuth(ctx context.Context, a *Auth) context.Context {
	return context.WithValue(ctx, authKey{}, a)
}

// errInvalidToken covers every reason a presented token is refused.
var errInvalidToken = errors.New("oauth: invalid token")

// Authenticate is middleware that resolves the request's bearer token, from the
// Authorization header or an access_token query or form parameter. A token that is
// unknown, revoked or expired, or whose user may not sign in, is answered with 401
// at once; a valid one is put in the context for FromContext. Requests without a
// token pass through anonymous. The OAuth endpoints authenticate clients, not
// tokens, so a stale token sent to them is ignored rather than refused.
func (s *Service) Authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/oauth/") || strings.HasPrefix(r.URL.Path, "/.well-known/") {
			next.ServeHTTP(w, r)
			return
		}
		secret, err := bearer(w, r)
		if err != nil {
			httpx.WriteError(s.log(), w, r, err)
			return
		}
		if secret == "" {
			next.ServeHTTP(w, r)
			return
		}
		auth, err := s.lookup(r.Context(), secret)
		if err != nil {
			if errors.Is(err, errInvalidToken) {
				w.Header().Set("WWW-Authenticate", `Bearer realm="tusk", error="invalid_token"`)
				err = httpx.ErrUnauthorized
			}
			httpx.WriteError(s.log(), w, r, err)
			return
		}
		s.noteUse(r.Context(), auth)
		next.ServeHTTP(w, r.WithContext(WithAuth(r.Context(), auth)))
	})
}

// bearer finds the token a request presents. A form body is read only when there is
// no header and the body is urlencoded; it stays available to later handlers.
func bearer(w http.ResponseWriter, r *http.Request) (string, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, token, _ := strings.Cut(h, " ")
		if strings.EqualFold(scheme, "Bearer") {
			return strings.TrimSpace(token), nil
		}
	}
	if t := r.URL.Query().Get("access_token"); t != "" {
		return t, nil
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if r.Body == nil || ct != "application/x-www-form-urlencoded" {
		return "", nil
	}
	r.Body = http.MaxBytesReader(w, r.Body, httpx.MaxBodyBytes)
	if err := r.ParseForm(); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return "", err
		}
		return "", httpx.BadRequest("Malformed request body: %v", err)
	}
	return r.PostForm.Get("access_token"), nil
}

// lookup loads a token by its secret and everything it acts for, refusing tokens
// that may no longer be used.
func (s *Service) lookup(ctx context.Context, secret string) (*Auth, error) {
	t, err := s.Store.TokenByHash(ctx, HashSecret(secret))
	if errors.Is(err, store.ErrNotFound) {
		return nil, errInvalidToken
	}
	if err != nil {
		return nil, fmt.Errorf("oauth: authenticate: %w", err)
	}
	if t.RevokedAt != nil || (t.ExpiresAt != nil && time.Now().After(*t.ExpiresAt)) {
		return nil, errInvalidToken
	}
	auth := &Auth{Token: t}
	if t.AppID != nil {
		if auth.App, err = s.Store.AppByID(ctx, *t.AppID); err != nil {
			return nil, notFoundAsInvalid(err)
		}
	}
	if t.UserID != nil {
		auth.User, auth.Account, err = s.signInUser(ctx, *t.UserID)
		if errors.Is(err, accounts.ErrUnconfirmed) || errors.Is(err, accounts.ErrPending) {
			auth.refusal, err = err, nil
		}
		if err != nil {
			return nil, notFoundAsInvalid(err)
		}
	}
	return auth, nil
}

func notFoundAsInvalid(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return errInvalidToken
	}
	return fmt.Errorf("oauth: authenticate: %w", err)
}

// signInUser loads a user and its account. A user whose address is unconfirmed or
// who awaits approval comes back with accounts.ErrUnconfirmed or ErrPending; one who
// is disabled or suspended fails with errInvalidToken.
func (s *Service) signInUser(ctx context.Context, userID int64) (*model.User, *model.Account, error) {
	u, err := s.Store.UserByID(ctx, userID)
	if err != nil {
		return nil, nil, err
	}
	a, err := s.Store.AccountByID(ctx, u.AccountID)
	if err != nil {
		return nil, nil, err
	}
	switch err := accounts.CanSignIn(u, a); {
	case errors.Is(err, accounts.ErrUnconfirmed), errors.Is(err, accounts.ErrPending):
		return u, a, err
	case err != nil:
		return nil, nil, errInvalidToken
	}
	return u, a, nil
}

// Mastodon's answers to a token whose user may not act yet.
var (
	errUnconfirmedLogin = &httpx.Error{Code: http.StatusForbidden, Msg: "Your login is missing a confirmed e-mail address"}
	errPendingLogin     = &httpx.Error{Code: http.StatusForbidden, Msg: "Your login is currently pending approval"}
)

func refusalError(err error) error {
	if errors.Is(err, accounts.ErrUnconfirmed) {
		return errUnconfirmedLogin
	}
	return errPendingLogin
}

// errUserRequired answers an app-only token on an endpoint that acts for a user.
var errUserRequired = &httpx.Error{Code: http.StatusUnprocessableEntity, Msg: "This method requires an authenticated user"}

// RequireUser returns the request's Auth when it acts for a user and grants scope
// ("" asks for no particular scope). No token is 401, a token without the scope 403,
// an app-only token 422; the scope is checked first, as Mastodon does.
func RequireUser(r *http.Request, scope string) (*Auth, error) {
	a, err := RequireApp(r, scope)
	if err != nil {
		return nil, err
	}
	if a.User == nil {
		return nil, errUserRequired
	}
	return a, nil
}

// RequireApp returns the request's Auth for any token, user or app-only, that grants
// scope. No token is 401, a token without the scope 403.
func RequireApp(r *http.Request, scope string) (*Auth, error) {
	a, err := requireScope(r, scope)
	if err != nil {
		return nil, err
	}
	if a.refusal != nil {
		return nil, refusalError(a.refusal)
	}
	return a, nil
}

// RequireUserAwaitingConfirmation is RequireUser that also accepts a user whose
// address is unconfirmed or who awaits approval: for resending the confirmation mail.
func RequireUserAwaitingConfirmation(r *http.Request, scope string) (*Auth, error) {
	a, err := requireScope(r, scope)
	if err != nil {
		return nil, err
	}
	if a.User == nil {
		return nil, errUserRequired
	}
	return a, nil
}

// requireScope returns the request's Auth, refused or not, when it grants scope.
func requireScope(r *http.Request, scope string) (*Auth, error) {
	a := anyAuth(r.Context())
	if a == nil {
		return nil, httpx.ErrUnauthorized
	}
	if scope != "" && !HasScope(a.Token.Scopes, scope) {
		return nil, httpx.ErrForbidden
	}
	return a, nil
}

// Optional is for endpoints open to anonymous callers: it returns nil, nil without a
// token, the Auth when the token grants scope, and 403 when it does not.
func Optional(r *http.Request, scope string) (*Auth, error) {
	if anyAuth(r.Context()) == nil {
		return nil, nil
	}
	return RequireApp(r, scope)
}

package oauth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/webform"
)

// codeLifetime is how long an authorization code may wait to be exchanged.
const codeLifetime = 10 * time.Minute

// authRequest is a checked authorization request.
type authRequest struct {
	app                  *model.App
	redirectURI, state   string
	scopes               []string
	challenge, challMeth string
}

// pageError is a failure shown on tusk's own page: the request cannot safely be sent
// back to the app, because the app or its redirect URI is unknown.
type pageError struct {
	status int
	msg    string
}

func (e *pageError) Error() string { return "oauth: authorize: " + e.msg }

var challengePattern = regexp.MustCompile(`^[A-Za-z0-9._~-]{43,128}$`)

// parseAuthRequest checks the OAuth parameters of GET and POST /oauth/authorize.
// Errors found once the redirect URI is known are *oauthError and come with the
// request, so they can be sent back to the app.
func (s *Service) parseAuthRequest(ctx context.Context, v url.Values) (*authRequest, error) {
	app, err := s.Store.AppByClientID(ctx, v.Get("client_id"))
	if errors.Is(err, store.ErrNotFound) {
		return nil, &pageError{http.StatusBadRequest, "The application asking for access is not registered on this server."}
	}
	if err != nil {
		return nil, fmt.Errorf("oauth: authorize: %w", err)
	}
	req := &authRequest{app: app, state: v.Get("state")}
	if req.redirectURI = pickRedirect(app, v.Get("redirect_uri")); req.redirectURI == "" {
		return nil, &pageError{http.StatusBadRequest, "The redirect URI is not one the application registered."}
	}
	if v.Get("response_type") != "code" {
		return req, &oauthError{http.StatusBadRequest, "unsupported_response_type", "Only response_type=code is supported."}
	}
	scopes, ok := parseScopes(v.Get("scope"), "read")
	if !ok || !within(scopes, app.Scopes) {
		return req, errInvalidScope
	}
	req.scopes = scopes
	return req, req.setPKCE(v.Get("code_challenge"), v.Get("code_challenge_method"))
}

// pickRedirect returns the redirect URI to use, or "" when it is not registered.
// An app with a single URI may leave it out.
func pickRedirect(app *model.App, asked string) string {
	if asked == "" && len(app.RedirectURIs) == 1 {
		return app.RedirectURIs[0]
	}
	if asked != "" && slices.Contains(app.RedirectURIs, asked) {
		return asked
	}
	return ""
}

// setPKCE accepts an S256 challenge, or none. RFC 7636 makes "plain" the default
// method, so a challenge without a method is refused with it.
func (req *authRequest) setPKCE(challenge, method string) error {
	switch {
	case challenge == "" && method == "":
		return nil
	case challenge == "":
		return invalidRequest("Missing required parameter: code_challenge.")
	case method != "S256":
		return invalidRequest("Only the S256 code_challenge_method is supported.")
	case !challengePattern.MatchString(challenge):
		return invalidRequest("The code_challenge is malformed.")
	}
	req.challenge, req.challMeth = challenge, method
	return nil
}

// authorizePage serves GET /oauth/authorize: the sign-in and consent form.
func (s *Service) authorizePage(w http.ResponseWriter, r *http.Request) {
	req, err := s.parseAuthRequest(r.Context(), r.URL.Query())
	if err != nil {
		s.failAuthorize(w, r, req, err)
		return
	}
	s.renderForm(w, r, http.StatusOK, req, "", "")
}

// authorizeSubmit serves POST /oauth/authorize: Deny, or sign in and Authorize.
func (s *Service) authorizeSubmit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		s.renderError(w, http.StatusBadRequest, "The form could not be read.")
		return
	}
	if !s.csrf().Valid(r) {
		s.renderError(w, http.StatusForbidden, "This form has expired or was not sent from this site. Go back, reload the page and try again.")
		return
	}
	req, err := s.parseAuthRequest(r.Context(), r.PostForm)
	if err != nil {
		s.failAuthorize(w, r, req, err)
		return
	}
	if r.PostForm.Get("decision") != "authorize" {
		s.failAuthorize(w, r, req, &oauthError{http.StatusForbidden, "access_denied", "The user denied the request."})
		return
	}
	email := strings.TrimSpace(r.PostForm.Get("email"))
	u, alert, err := s.signIn(r.Context(), email, r.PostForm.Get("password"))
	if err != nil {
		s.failAuthorize(w, r, req, err)
		return
	}
	if alert != "" {
		s.renderForm(w, r, http.StatusUnprocessableEntity, req, email, alert)
		return
	}
	code, err := s.newCode(r.Context(), req, u.ID)
	if err != nil {
		s.failAuthorize(w, r, req, err)
		return
	}
	s.deliver(w, r, req, url.Values{"code": {code}})
}

// newCode stores a fresh authorization code by its hash and returns the code.
func (s *Service) newCode(ctx context.Context, req *authRequest, userID int64) (string, error) {
	code := webform.RandomSecret()
	err := s.Store.Writer().InsertAuthCode(ctx, HashSecret(code), &model.AuthCode{
		AppID: req.app.ID, UserID: userID, RedirectURI: req.redirectURI, Scopes: req.scopes,
		CodeChallenge: req.challenge, CodeChallengeMethod: req.challMeth,
		ExpiresAt: time.Now().Add(codeLifetime),
	})
	if err != nil {
		return "", fmt.Errorf("oauth: authorize: %w", err)
	}
	return code, nil
}

// deliver sends the result back to the app: a redirect carrying params and the
// state, or, for the out-of-band URI, a page showing the code or the error.
func (s *Service) deliver(w http.ResponseWriter, r *http.Request, req *authRequest, params url.Values) {
	if req.redirectURI == oob {
		if code := params.Get("code"); code != "" {
			s.render(w, http.StatusOK, "code", page{Heading: "Authorization code", AppName: req.app.Name, Code: code})
			return
		}
		s.renderError(w, http.StatusBadRequest, params.Get("error_description"))
		return
	}
	if req.state != "" {
		params.Set("state", req.state)
	}
	u, err := url.Parse(req.redirectURI) // checked when the app registered
	if err != nil {
		s.failAuthorize(w, r, nil, err)
		return
	}
	q := u.Query()
	for k, v := range params {
		q[k] = v
	}
	u.RawQuery = q.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}

// failAuthorize reports err: on tusk's page when the app cannot be trusted with it,
// back to the app when it is an OAuth error, and as a logged 500 otherwise.
func (s *Service) failAuthorize(w http.ResponseWriter, r *http.Request, req *authRequest, err error) {
	var pe *pageError
	var oe *oauthError
	switch {
	case errors.As(err, &pe):
		s.renderError(w, pe.status, pe.msg)
	case errors.As(err, &oe) && req != nil:
		s.deliver(w, r, req, url.Values{"error": {oe.Code}, "error_description": {oe.Desc}})
	default:
		s.log().ErrorContext(r.Context(), "authorize failed", "err", err)
		s.renderError(w, http.StatusInternalServerError, "Something went wrong on the server. Please try again later.")
	}
}

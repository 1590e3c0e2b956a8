package accounts

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/tuskhq/tusk/internal/model"
)

// Limits on what a local account may be created with.
const (
	MaxUsernameLen = 30
	MinPasswordLen = 8
	MaxPasswordLen = 72 // bcrypt ignores anything longer
	maxEmailLen    = 254
)

// FieldError is one problem with one field, in Mastodon's terms: Code is the
// machine-readable ERR_* constant and Msg the human description ("is reserved").
type FieldError struct {
	Field string // parameter name: "username", "email", …
	Code  string
	Msg   string
}

// ValidationError lists every invalid field of a request. Handlers answer it with 422
// and Mastodon's {"error": "Validation failed: …", "details": {…}} body.
type ValidationError struct {
	Fields []FieldError
}

// Invalid makes a ValidationError about one field.
func Invalid(field, code, msg string) *ValidationError {
	return &ValidationError{Fields: []FieldError{{Field: field, Code: code, Msg: msg}}}
}

// Error reads as Mastodon's message: "Validation failed: Username has already been taken".
func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = humanize(f.Field) + " " + f.Msg
	}
	return "Validation failed: " + strings.Join(parts, ", ")
}

// Add appends the fields of other; nil is ignored.
func (e *ValidationError) Add(other *ValidationError) {
	if other != nil {
		e.Fields = append(e.Fields, other.Fields...)
	}
}

// Has reports whether field has a problem.
func (e *ValidationError) Has(field string) bool {
	for _, f := range e.Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

// Details is the "details" member of Mastodon's 422 body.
func (e *ValidationError) Details() map[string][]map[string]string {
	out := make(map[string][]map[string]string, len(e.Fields))
	for _, f := range e.Fields {
		out[f.Field] = append(out[f.Field], map[string]string{"error": f.Code, "description": f.Msg})
	}
	return out
}

// orNil turns an empty error list into a nil error.
func (e *ValidationError) orNil() error {
	if e == nil || len(e.Fields) == 0 {
		return nil
	}
	return e
}

func humanize(field string) string {
	s := strings.ReplaceAll(field, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

var (
	usernamePattern = regexp.MustCompile(`^[a-zA-Z0-9_]+$`)
	emailPattern    = regexp.MustCompile(`^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$`)
)

// reserved usernames would let a member pass for the instance's staff or services.
var reserved = map[string]bool{
	"admin": true, "administrator": true, "root": true, "support": true, "www": true,
	"help": true, "staff": true, "moderator": true, "mod": true, "security": true,
	"abuse": true, "postmaster": true, "hostmaster": true, "webmaster": true,
	"noreply": true, "no_reply": true, "api": true, "instance": true, "actor": true,
}

// IsReserved reports whether a username is kept back from sign-ups.
func IsReserved(username string) bool { return reserved[strings.ToLower(username)] }

// ValidateUsername checks the characters and length of a local username.
func ValidateUsername(u string) error {
	switch {
	case u == "":
		return Invalid("username", "ERR_BLANK", "can't be blank")
	case len(u) > MaxUsernameLen:
		return Invalid("username", "ERR_TOO_LONG", fmt.Sprintf("is too long (maximum is %d characters)", MaxUsernameLen))
	case !usernamePattern.MatchString(u):
		return Invalid("username", "ERR_INVALID", "must contain only letters, numbers and underscores")
	}
	return nil
}

// ValidatePassword checks a password's length in bytes (bcrypt's limit is 72).
func ValidatePassword(p string) error {
	switch {
	case p == "":
		return Invalid("password", "ERR_BLANK", "can't be blank")
	case len(p) < MinPasswordLen:
		return Invalid("password", "ERR_TOO_SHORT", fmt.Sprintf("is too short (minimum is %d characters)", MinPasswordLen))
	case len(p) > MaxPasswordLen:
		return Invalid("password", "ERR_TOO_LONG", fmt.Sprintf("is too long (maximum is %d characters)", MaxPasswordLen))
	}
	return nil
}

// ValidateEmail is a syntax check only: whether the address exists is for confirmation to tell.
func ValidateEmail(e string) error {
	switch {
	case e == "":
		return Invalid("email", "ERR_BLANK", "can't be blank")
	case len(e) > maxEmailLen || !emailPattern.MatchString(e):
		return Invalid("email", "ERR_INVALID", "is invalid")
	}
	return nil
}

// ValidateRole accepts the roles a user may hold ("" is none).
func ValidateRole(r string) error {
	switch r {
	case "", model.RoleModerator, model.RoleAdmin, model.RoleOwner:
		return nil
	}
	return Invalid("role", "ERR_INCLUSION", "is not one of Owner, Admin, Moderator")
}

// asValidation returns err's ValidationError, or nil when err is nil or another kind.
func asValidation(err error) *ValidationError {
	var v *ValidationError
	if errors.As(err, &v) {
		return v
	}
	return nil
}

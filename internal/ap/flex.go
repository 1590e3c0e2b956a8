package ap

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"
)

// The types in this file decode a JSON value of whatever shape a remote
// server chose and never fail: a value of the wrong shape reads as empty.
// Failing the whole document because one server sends "sensitive": "true"
// or a number where a string belongs would lose posts for no gain.

// flexString is a JSON string; anything else reads as "".
type flexString string

func (s *flexString) UnmarshalJSON(b []byte) error {
	var v string
	if json.Unmarshal(b, &v) == nil {
		*s = flexString(v)
	}
	return nil
}

// flexBool is a JSON boolean, or the strings "true"/"false"; anything else
// reads as false.
type flexBool bool

func (f *flexBool) UnmarshalJSON(b []byte) error {
	var v bool
	if json.Unmarshal(b, &v) == nil {
		*f = flexBool(v)
		return nil
	}
	var s string
	if json.Unmarshal(b, &s) == nil {
		v, _ = strconv.ParseBool(s)
		*f = flexBool(v)
	}
	return nil
}

// flexInt is a JSON number or a numeric string; anything else reads as 0.
type flexInt int64

func (f *flexInt) UnmarshalJSON(b []byte) error {
	var v float64
	if json.Unmarshal(b, &v) != nil {
		var s string
		if json.Unmarshal(b, &s) != nil {
			return nil
		}
		var err error
		if v, err = strconv.ParseFloat(s, 64); err != nil {
			return nil
		}
	}
	if v >= -1<<53 && v <= 1<<53 {
		*f = flexInt(v)
	}
	return nil
}

// flexTime is an RFC 3339 timestamp; anything else reads as the zero time.
type flexTime time.Time

func (f *flexTime) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) != nil {
		return nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		*f = flexTime(t.UTC())
	}
	return nil
}

// flexList is a value that may be one item or an array of items; it keeps
// each item's raw JSON for the caller to interpret.
type flexList []json.RawMessage

func (l *flexList) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || bytes.Equal(b, []byte("null")):
		*l = nil
	case b[0] == '[':
		var items []json.RawMessage
		if json.Unmarshal(b, &items) == nil {
			*l = items
		}
	default:
		*l = flexList{append(json.RawMessage(nil), b...)} // b is only lent to us
	}
	return nil
}

// flexTypes is the type property: a string or an array of strings.
type flexTypes []string

func (t *flexTypes) UnmarshalJSON(b []byte) error {
	var one string
	if json.Unmarshal(b, &one) == nil {
		*t = flexTypes{one}
		return nil
	}
	var many []flexString
	if json.Unmarshal(b, &many) == nil {
		for _, s := range many {
			if s != "" {
				*t = append(*t, string(s))
			}
		}
	}
	return nil
}

// first returns the first type listed, which is the one servers that send
// several put first on purpose (e.g. ["Note", "Article"]).
func (t flexTypes) first() string {
	if len(t) == 0 {
		return ""
	}
	return t[0]
}

// has reports whether name is among the types.
func (t flexTypes) has(name string) bool {
	for _, s := range t {
		if s == name {
			return true
		}
	}
	return false
}

// idOf reads the identifier an item stands for: the item itself when it is
// a string, else its id, else its href (a Link). It returns "" for anything
// else.
func idOf(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return ""
	}
	switch raw[0] {
	case '"':
		var s string
		json.Unmarshal(raw, &s) //nolint:errcheck // invalid reads as ""
		return s
	case '{':
		var v struct {
			ID   flexString `json:"id"`
			Href flexString `json:"href"`
		}
		json.Unmarshal(raw, &v) //nolint:errcheck // invalid reads as ""
		if v.ID != "" {
			return string(v.ID)
		}
		return string(v.Href)
	}
	return ""
}

// ids reads every item of l as an identifier, skipping the empty ones.
func (l flexList) ids() []string {
	var out []string
	for _, raw := range l {
		if s := idOf(raw); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// isObject reports whether raw is a JSON object.
func isObject(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) > 0 && raw[0] == '{'
}

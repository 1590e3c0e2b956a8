package dbcopy

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

func quote(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

// sourceExpr reads a column from SQLite: json() turns River's binary JSONB into text.
func sourceExpr(c column) string {
	switch c.kind {
	case kindJSON, kindTextArray, kindJSONArray:
		return "json(" + quote(c.name) + ")"
	}
	return quote(c.name)
}

// targetExpr reads a column from PostgreSQL in the shape the source has it.
func targetExpr(c column) string {
	switch c.kind {
	case kindJSON:
		return quote(c.name) + "::text"
	case kindTextArray, kindJSONArray:
		return "to_json(" + quote(c.name) + ")::text"
	case kindBit:
		return quote(c.name) + "::integer"
	}
	return quote(c.name)
}

// placeholder writes parameter n into a PostgreSQL column of c's type.
func placeholder(c column, n int) string {
	p := "$" + strconv.Itoa(n)
	switch c.kind {
	case kindJSON:
		return p + "::" + c.pgType
	case kindTextArray:
		return fmt.Sprintf("CASE WHEN %[1]s::jsonb IS NULL THEN NULL ELSE ARRAY(SELECT jsonb_array_elements_text(%[1]s::jsonb)) END", p)
	case kindJSONArray:
		return fmt.Sprintf("CASE WHEN %[1]s::jsonb IS NULL THEN NULL ELSE ARRAY(SELECT jsonb_array_elements(%[1]s::jsonb)) END", p)
	case kindBit:
		return p + "::integer::bit(8)" // River's unique_states, the only bit column
	}
	return p
}

// toTarget converts a value read from SQLite into the parameter PostgreSQL's column takes.
func toTarget(c column, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch c.kind {
	case kindBool:
		return asBool(v)
	case kindTime:
		return asTime(v)
	case kindInt, kindBit:
		return asInt(v)
	case kindBytes:
		if s, ok := v.(string); ok {
			return []byte(s), nil
		}
		return v, nil
	case kindText, kindJSON, kindTextArray, kindJSONArray:
		if b, ok := v.([]byte); ok {
			return string(b), nil
		}
	}
	return v, nil
}

func asBool(v any) (bool, error) {
	switch x := v.(type) {
	case bool:
		return x, nil
	case int64:
		return x != 0, nil
	case string:
		return strconv.ParseBool(x)
	}
	return false, fmt.Errorf("%T is not a boolean", v)
}

func asInt(v any) (int64, error) {
	switch x := v.(type) {
	case int64:
		return x, nil
	case float64:
		return int64(x), nil
	case string:
		return strconv.ParseInt(x, 10, 64)
	case []byte:
		return strconv.ParseInt(string(x), 10, 64)
	}
	return 0, fmt.Errorf("%T is not an integer", v)
}

// timeLayouts are the ways SQLite files hold timestamps: tusk's driver format, River's,
// and SQLite's own CURRENT_TIMESTAMP.
var timeLayouts = []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999", "2006-01-02"}

func asTime(v any) (time.Time, error) {
	switch x := v.(type) {
	case time.Time:
		return x, nil
	case int64:
		return time.Unix(x, 0), nil
	case []byte:
		return asTime(string(x))
	case string:
		for _, l := range timeLayouts {
			if t, err := time.Parse(l, x); err == nil {
				return t, nil
			}
		}
		return time.Time{}, fmt.Errorf("%q is not a timestamp", x)
	}
	return time.Time{}, fmt.Errorf("%T is not a timestamp", v)
}

// canonical renders a value the same way whichever engine it came from: timestamps in UTC
// to the microsecond (PostgreSQL's precision), booleans as t/f, JSON re-encoded with
// sorted keys, bytes in hex, NULL apart from every string.
func canonical(c column, v any) (string, error) {
	if v == nil {
		return "\x00", nil
	}
	switch c.kind {
	case kindBool:
		b, err := asBool(v)
		return strconv.FormatBool(b), err
	case kindInt, kindBit:
		n, err := asInt(v)
		return strconv.FormatInt(n, 10), err
	case kindFloat:
		return canonicalFloat(v)
	case kindTime:
		t, err := asTime(v)
		return t.UTC().Truncate(time.Microsecond).Format(time.RFC3339Nano), err
	case kindJSON, kindTextArray, kindJSONArray:
		return canonicalJSON(v)
	case kindBytes:
		if s, ok := v.(string); ok {
			return hex.EncodeToString([]byte(s)), nil
		}
		b, _ := v.([]byte)
		return hex.EncodeToString(b), nil
	}
	if b, ok := v.([]byte); ok {
		return string(b), nil
	}
	return fmt.Sprint(v), nil
}

func canonicalFloat(v any) (string, error) {
	switch x := v.(type) {
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64), nil
	case int64:
		return strconv.FormatFloat(float64(x), 'g', -1, 64), nil
	}
	f, err := strconv.ParseFloat(fmt.Sprint(v), 64)
	return strconv.FormatFloat(f, 'g', -1, 64), err
}

func canonicalJSON(v any) (string, error) {
	var raw []byte
	switch x := v.(type) {
	case string:
		raw = []byte(x)
	case []byte:
		raw = x
	default:
		return "", fmt.Errorf("%T is not JSON text", v)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return "", fmt.Errorf("invalid JSON: %w", err)
	}
	out, err := json.Marshal(doc)
	return string(out), err
}

// checksum sums per-row SHA-256 hashes lane by lane: the result does not depend on the
// order rows are read in, so the engines' different collations cannot disturb it.
type checksum struct {
	lanes [4]uint64
	rows  int64
}

func (s *checksum) add(cols []column, values []any) error {
	h := sha256.New()
	for i, c := range cols {
		text, err := canonical(c, values[i])
		if err != nil {
			return fmt.Errorf("column %s: %w", c.name, err)
		}
		fmt.Fprintf(h, "%d:%s", len(text), text)
	}
	sum := h.Sum(nil)
	for i := range s.lanes {
		s.lanes[i] += binary.BigEndian.Uint64(sum[i*8:])
	}
	s.rows++
	return nil
}

func (s *checksum) String() string {
	var b [32]byte
	for i, l := range s.lanes {
		binary.BigEndian.PutUint64(b[i*8:], l)
	}
	return hex.EncodeToString(b[:])
}

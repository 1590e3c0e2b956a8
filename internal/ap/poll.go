package ap

import (
	"encoding/json"
	"strings"
	"time"
)

// Poll is the poll of a Question.
type Poll struct {
	Multiple    bool // options came as anyOf
	Options     []PollOption
	EndTime     time.Time // zero when the poll has no end
	Closed      time.Time // when it closed; zero when open or unknown
	ClosedFlag  bool      // the sender says it is closed (closed: true or a time)
	VotersCount int64
}

// PollOption is one answer and its vote count.
type PollOption struct {
	Name  string
	Votes int64
}

// poll reads the poll of a Question, nil for other types.
func (r *rawObject) poll() *Poll {
	if !r.Type.has("Question") {
		return nil
	}
	p := &Poll{Multiple: len(r.AnyOf) > 0 && len(r.OneOf) == 0, EndTime: time.Time(r.EndTime)}
	items := r.OneOf
	if p.Multiple {
		items = r.AnyOf
	}
	for _, raw := range items {
		if len(p.Options) == MaxPollOptions {
			break
		}
		if o, ok := pollOption(raw); ok {
			p.Options = append(p.Options, o)
		}
	}
	p.Closed, p.ClosedFlag = closedAt(r.Closed)
	if r.VotersCount > 0 {
		p.VotersCount = int64(r.VotersCount)
	}
	return p
}

func pollOption(raw json.RawMessage) (PollOption, bool) {
	var v struct {
		Name    flexString `json:"name"`
		Replies struct {
			TotalItems flexInt `json:"totalItems"`
		} `json:"replies"`
	}
	if !isObject(raw) || json.Unmarshal(raw, &v) != nil {
		return PollOption{}, false
	}
	name := strings.TrimSpace(string(v.Name))
	if name == "" {
		return PollOption{}, false
	}
	votes := int64(v.Replies.TotalItems)
	if votes < 0 {
		votes = 0
	}
	return PollOption{Name: truncate(name, MaxFieldLength), Votes: votes}, true
}

// closedAt reads closed, which Mastodon sends as a time and others as a
// boolean.
func closedAt(raw json.RawMessage) (time.Time, bool) {
	if len(raw) == 0 {
		return time.Time{}, false
	}
	var t flexTime
	t.UnmarshalJSON(raw) //nolint:errcheck // never fails
	if !time.Time(t).IsZero() {
		return time.Time(t), true
	}
	var b flexBool
	b.UnmarshalJSON(raw) //nolint:errcheck // never fails
	return time.Time{}, bool(b)
}

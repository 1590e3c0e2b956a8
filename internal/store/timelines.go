package store

import (
	"context"
	"fmt"

	"github.com/tuskhq/tusk/internal/model"
)

// Scope narrows a public timeline as Mastodon's local, remote and only_media do.
type Scope struct {
	Local, Remote, OnlyMedia bool
	Viewer                   int64 // whose blocks and mutes screen the timeline; 0 = anonymous
}

func (b *builder) scope(sc Scope) {
	if sc.Local {
		b.where("s.local = ?", true)
	} else if sc.Remote {
		b.where("s.local = ?", false)
	}
	if sc.OnlyMedia {
		b.where("EXISTS (SELECT 1 FROM media_attachments om WHERE om.status_id = s.id)")
	}
	b.screenFor(sc.Viewer)
}

// PublicTimeline lists public original statuses that are not replies to others.
func (q Q) PublicTimeline(ctx context.Context, sc Scope, p Page) ([]*model.Status, error) {
	var b builder
	b.where(`s.visibility = 'public' AND s.reblog_of_id IS NULL AND (s.in_reply_to_account_id IS NULL OR s.in_reply_to_account_id = s.account_id)`)
	b.scope(sc)
	tail := b.page("s.id", p)
	out, err := q.statuses(ctx, "public timeline", b.clause()+tail, b.args...)
	return ordered(p, out), err
}

// TagFilter is the hashtag timeline's query: statuses with any of Any, all of All, none of None.
type TagFilter struct {
	Any, All, None []string
	Scope
}

// TagTimeline lists public statuses carrying the tags.
func (q Q) TagTimeline(ctx context.Context, f TagFilter, p Page) ([]*model.Status, error) {
	var b builder
	b.where(`s.visibility = 'public' AND s.reblog_of_id IS NULL`)
	hasTag := `EXISTS (SELECT 1 FROM status_tags st JOIN tags t ON t.id = st.tag_id WHERE st.status_id = s.id AND lower(t.name) IN (%s))`
	b.where(fmt.Sprintf(hasTag, questionMarks(len(f.Any))), lowerArgs(f.Any)...)
	for _, tag := range f.All {
		b.where(fmt.Sprintf(hasTag, "?"), lowerArgs([]string{tag})...)
	}
	if len(f.None) > 0 {
		b.where("NOT "+fmt.Sprintf(hasTag, questionMarks(len(f.None))), lowerArgs(f.None)...)
	}
	b.scope(f.Scope)
	tail := b.page("s.id", p)
	out, err := q.statuses(ctx, "tag timeline", b.clause()+tail, b.args...)
	return ordered(p, out), err
}

func lowerArgs(v []string) []any {
	out := make([]any, len(v))
	for i, s := range v {
		out[i] = toLower(s)
	}
	return out
}

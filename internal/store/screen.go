package store

import (
	"context"
	"fmt"
	"time"

	"github.com/tuskhq/tusk/internal/model"
)

// screenSQL is the SQL form of model.Screen for the account in column col, seen by the
// viewer: no block either way, no mute still running (one hiding notifications, when
// forNotifications) and no block of the account's domain unless the viewer follows it.
// Every '?' is the viewer except the one after the mute's expiry, which is now.
func screenSQL(col string, forNotifications bool) string {
	return screenSQLOf(col, "?", forNotifications)
}

// screenSQLOf is screenSQL with the viewer given as the SQL expression viewer (a '?' or a
// column), so that one query can screen a status from many viewers at once; the mute's
// expiry stays a '?'.
func screenSQLOf(col, viewer string, forNotifications bool) string {
	mute := ""
	if forNotifications {
		mute = " AND xm.hide_notifications"
	}
	return fmt.Sprintf(`NOT EXISTS (SELECT 1 FROM blocks xb WHERE xb.account_id = %[3]s AND xb.target_account_id = %[1]s)
		AND NOT EXISTS (SELECT 1 FROM blocks xb WHERE xb.account_id = %[1]s AND xb.target_account_id = %[3]s)
		AND NOT EXISTS (SELECT 1 FROM mutes xm WHERE xm.account_id = %[3]s AND xm.target_account_id = %[1]s
			AND (xm.expires_at IS NULL OR xm.expires_at > ?)%[2]s)
		AND NOT EXISTS (SELECT 1 FROM accounts xa JOIN account_domain_blocks xd ON xd.domain = xa.domain
			WHERE xa.id = %[1]s AND xd.account_id = %[3]s
			AND NOT EXISTS (SELECT 1 FROM follows xf WHERE xf.account_id = %[3]s AND xf.target_account_id = %[1]s))`, col, mute, viewer)
}

func screenArgs(viewer int64) []any {
	return []any{viewer, viewer, viewer, time.Now().UTC(), viewer, viewer}
}

// screenFor keeps out of a status list (alias s) what model.Screen.HidesStatuses hides
// from viewer: statuses by screened accounts, and boosts of their statuses. Anonymous
// viewers screen nothing.
func (b *builder) screenFor(viewer int64) {
	if viewer == 0 {
		return
	}
	b.where(screenSQL("s.account_id", false), screenArgs(viewer)...)
	b.where(`(s.reblog_of_id IS NULL OR EXISTS (SELECT 1 FROM statuses xo WHERE xo.id = s.reblog_of_id AND `+
		screenSQL("xo.account_id", false)+`))`, screenArgs(viewer)...)
}

// screenNotificationsFor keeps out of a notification list (alias n) what
// model.Screen.HidesNotifications hides from its recipient.
func (b *builder) screenNotificationsFor(viewer int64) {
	b.where(screenSQL("n.from_account_id", true), screenArgs(viewer)...)
}

// NotificationScreened reports whether notifications from "from" are screened out of
// to's list: screenNotificationsFor's rule, asked for one sender.
func (q Q) NotificationScreened(ctx context.Context, to, from int64) (bool, error) {
	b := builder{args: []any{from}}
	b.where(screenSQL("$1", true), screenArgs(to)...)
	var shown bool
	err := q.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1`+b.clause()+`)`, b.args...).Scan(&shown)
	return !shown, wrap(err, "notification screened")
}

// Screens loads model.Screen between viewer and each of accounts, as of now.
func (q Q) Screens(ctx context.Context, viewer int64, accounts []int64, now time.Time) (map[int64]model.Screen, error) {
	out := make(map[int64]model.Screen, len(accounts))
	if viewer == 0 || len(accounts) == 0 {
		return out, nil
	}
	blocking, err := q.RelationSet(ctx, Blocks, viewer, accounts)
	if err != nil {
		return nil, err
	}
	blockedBy, err := q.BlockedBySet(ctx, viewer, accounts)
	if err != nil {
		return nil, err
	}
	muting, err := q.MuteSet(ctx, viewer, accounts, now)
	if err != nil {
		return nil, err
	}
	domainBlocked, err := q.DomainBlockedSet(ctx, viewer, accounts)
	if err != nil {
		return nil, err
	}
	following, err := q.FollowingSet(ctx, Follows, viewer, accounts)
	if err != nil {
		return nil, err
	}
	for _, a := range accounts {
		m := muting[a]
		out[a] = model.Screen{Blocking: blocking[a], BlockedBy: blockedBy[a], Muting: m != nil,
			MutingNotifications: m != nil && m.HideNotifications, DomainBlocking: domainBlocked[a] && following[a] == nil}
	}
	return out, nil
}

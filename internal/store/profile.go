package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tuskhq/tusk/internal/model"
)

// ProfileSettings loads an account's profile settings; an account that never saved
// any has the defaults.
func (q Q) ProfileSettings(ctx context.Context, accountID int64) (*model.ProfileSettings, error) {
	p := model.DefaultProfileSettings(accountID)
	var domains string
	err := q.db.QueryRowContext(ctx, `SELECT avatar_description, header_description, show_media, show_media_replies,
		show_featured, attribution_domains FROM profile_settings WHERE account_id = $1`, accountID).
		Scan(&p.AvatarDescription, &p.HeaderDescription, &p.ShowMedia, &p.ShowMediaReplies, &p.ShowFeatured, &domains)
	if err := notFound(err, fmt.Sprintf("profile settings %d", accountID)); errors.Is(err, ErrNotFound) {
		return p, nil
	} else if err != nil {
		return nil, err
	}
	if domains != "" {
		p.AttributionDomains = strings.Split(domains, ",")
	}
	return p, nil
}

// SaveProfileSettings writes an account's profile settings.
func (q Q) SaveProfileSettings(ctx context.Context, p *model.ProfileSettings) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO profile_settings (account_id, avatar_description, header_description,
		show_media, show_media_replies, show_featured, attribution_domains) VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (account_id) DO UPDATE SET avatar_description = excluded.avatar_description,
		header_description = excluded.header_description, show_media = excluded.show_media,
		show_media_replies = excluded.show_media_replies, show_featured = excluded.show_featured,
		attribution_domains = excluded.attribution_domains`,
		p.AccountID, p.AvatarDescription, p.HeaderDescription, p.ShowMedia, p.ShowMediaReplies, p.ShowFeatured,
		strings.Join(p.AttributionDomains, ","))
	return wrap(err, "save profile settings %d", p.AccountID)
}

// Profile images an account may clear.
const (
	Avatar = "avatar"
	Header = "header"
)

// ClearProfileImage removes an account's avatar or header and its description.
func (q Q) ClearProfileImage(ctx context.Context, accountID int64, which string) error {
	if which != Avatar && which != Header {
		return fmt.Errorf("store: clear profile image: unknown image %q", which)
	}
	if _, err := q.db.ExecContext(ctx, `UPDATE accounts SET `+which+`_remote_url = '', `+which+`_file_key = '', updated_at = $1 WHERE id = $2`,
		time.Now().UTC(), accountID); err != nil {
		return fmt.Errorf("store: clear %s of %d: %w", which, accountID, err)
	}
	_, err := q.db.ExecContext(ctx, `UPDATE profile_settings SET `+which+`_description = '' WHERE account_id = $1`, accountID)
	return wrap(err, "clear %s description of %d", which, accountID)
}

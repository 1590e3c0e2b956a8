package blob

import (
	"context"
	"time"
)

// Owner tells whether a database row refers to a key; each area of the storage has one
// (attachments, accounts, emoji, the cache), wired where the tables are known.
type Owner interface {
	Owns(ctx context.Context, key string) (bool, error)
}

// OwnerFunc adapts a function to Owner.
type OwnerFunc func(ctx context.Context, key string) (bool, error)

// Owns calls f.
func (f OwnerFunc) Owns(ctx context.Context, key string) (bool, error) { return f(ctx, key) }

// Orphans calls fn for every object under an owned prefix that no row refers to and
// that is older than grace: an upload stores its file just before its row, and must not
// be taken for an orphan in between. It returns the prefixes it could not check, for
// want of an owner.
func Orphans(ctx context.Context, s Store, owners map[string]Owner, grace time.Duration, fn func(Info) error) ([]string, error) {
	var unchecked []string
	cutoff := time.Now().Add(-grace)
	for _, c := range Categories {
		owner := owners[c.Prefix]
		if owner == nil {
			unchecked = append(unchecked, c.Prefix)
			continue
		}
		err := s.List(ctx, c.Prefix, func(i Info) error {
			if i.ModTime.After(cutoff) {
				return nil
			}
			owned, err := owner.Owns(ctx, i.Key)
			if err != nil || owned {
				return err
			}
			return fn(i)
		})
		if err != nil {
			return unchecked, err
		}
	}
	return unchecked, nil
}

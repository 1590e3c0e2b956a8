package store

import (
	"context"
	"fmt"
	"time"

	"github.com/tuskhq/tusk/internal/model"
)

const collectionColumns = `c.id, c.account_id, c.name, c.description, c.language, c.tag_name, c.sensitive, c.discoverable,
	c.created_at, c.updated_at`

func scanCollection(row scanner) (*model.Collection, error) {
	var c model.Collection
	err := row.Scan(&c.ID, &c.AccountID, &c.Name, &c.Description, &c.Language, &c.TagName, &c.Sensitive, &c.Discoverable,
		&c.CreatedAt, &c.UpdatedAt)
	return &c, err
}

func (q Q) collections(ctx context.Context, what, tail string, args ...any) ([]*model.Collection, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT `+collectionColumns+` FROM collections c `+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	defer rows.Close()
	var out []*model.Collection
	for rows.Next() {
		c, err := scanCollection(rows)
		if err != nil {
			return nil, fmt.Errorf("store: %s: %w", what, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// InsertCollection stores a new collection.
func (q Q) InsertCollection(ctx context.Context, c *model.Collection) error {
	c.ID = q.NewID()
	c.CreatedAt = time.Now().UTC()
	c.UpdatedAt = c.CreatedAt
	_, err := q.db.ExecContext(ctx, `INSERT INTO collections (id, account_id, name, description, language, tag_name,
		sensitive, discoverable, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		c.ID, c.AccountID, c.Name, c.Description, c.Language, c.TagName, c.Sensitive, c.Discoverable, c.CreatedAt, c.UpdatedAt)
	return wrap(err, "insert collection")
}

// UpdateCollection saves a collection's editable fields.
func (q Q) UpdateCollection(ctx context.Context, c *model.Collection) error {
	c.UpdatedAt = time.Now().UTC()
	_, err := q.db.ExecContext(ctx, `UPDATE collections SET name = $1, description = $2, language = $3, tag_name = $4,
		sensitive = $5, discoverable = $6, updated_at = $7 WHERE id = $8`,
		c.Name, c.Description, c.Language, c.TagName, c.Sensitive, c.Discoverable, c.UpdatedAt, c.ID)
	return wrap(err, "update collection %d", c.ID)
}

// TouchCollection bumps updated_at after its items changed.
func (q Q) TouchCollection(ctx context.Context, id int64) error {
	_, err := q.db.ExecContext(ctx, `UPDATE collections SET updated_at = $1 WHERE id = $2`, time.Now().UTC(), id)
	return wrap(err, "touch collection %d", id)
}

// DeleteCollection removes a collection and its items.
func (q Q) DeleteCollection(ctx context.Context, id int64) error {
	res, err := q.db.ExecContext(ctx, `DELETE FROM collections WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("store: delete collection %d: %w", id, err)
	}
	return mustAffect(res, fmt.Sprintf("delete collection %d", id))
}

// CollectionByID loads one collection.
func (q Q) CollectionByID(ctx context.Context, id int64) (*model.Collection, error) {
	c, err := scanCollection(q.db.QueryRowContext(ctx, `SELECT `+collectionColumns+` FROM collections c WHERE c.id = $1`, id))
	return c, notFound(err, fmt.Sprintf("collection %d", id))
}

// CountCollections counts an account's collections.
func (q Q) CountCollections(ctx context.Context, accountID int64) (int, error) {
	var n int
	err := q.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM collections WHERE account_id = $1`, accountID).Scan(&n)
	return n, wrap(err, "count collections of %d", accountID)
}

// AccountCollections pages through an account's collections, newest first; with
// discoverableOnly, those it shows to others.
func (q Q) AccountCollections(ctx context.Context, accountID int64, discoverableOnly bool, limit, offset int) ([]*model.Collection, error) {
	return q.collections(ctx, "account collections", `WHERE c.account_id = $1 AND (c.discoverable OR NOT $2)
		ORDER BY c.id DESC LIMIT $3 OFFSET $4`, accountID, discoverableOnly, limit, offset)
}

// CollectionsFeaturing pages through the collections in which accountID is an accepted
// item, newest first; unless viewer owns one, only discoverable ones.
func (q Q) CollectionsFeaturing(ctx context.Context, accountID, viewer int64, limit, offset int) ([]*model.Collection, error) {
	return q.collections(ctx, "collections featuring", `JOIN collection_items i ON i.collection_id = c.id
		JOIN accounts o ON o.id = c.account_id
		WHERE i.account_id = $1 AND i.state = $2 AND o.suspended_at IS NULL AND (c.discoverable OR c.account_id = $3)
		ORDER BY c.id DESC LIMIT $4 OFFSET $5`, accountID, model.ItemAccepted, viewer, limit, offset)
}

// InsertCollectionItem adds an account to a collection; ErrConflict when it is there.
func (q Q) InsertCollectionItem(ctx context.Context, it *model.CollectionItem) error {
	it.ID = q.NewID()
	it.CreatedAt = time.Now().UTC()
	_, err := q.db.ExecContext(ctx, `INSERT INTO collection_items (id, collection_id, account_id, state, created_at)
		VALUES ($1, $2, $3, $4, $5)`, it.ID, it.CollectionID, it.AccountID, it.State, it.CreatedAt)
	if isUniqueViolation(err) {
		return fmt.Errorf("store: insert collection item: %w", ErrConflict)
	}
	return wrap(err, "insert collection item")
}

// CollectionItems lists the items of collections, oldest first within each.
func (q Q) CollectionItems(ctx context.Context, collectionIDs []int64) (map[int64][]*model.CollectionItem, error) {
	out := map[int64][]*model.CollectionItem{}
	if len(collectionIDs) == 0 {
		return out, nil
	}
	rows, err := q.db.QueryContext(ctx, `SELECT i.id, i.collection_id, i.account_id, i.state, i.created_at
		FROM collection_items i JOIN accounts a ON a.id = i.account_id
		WHERE a.suspended_at IS NULL AND i.collection_id IN (`+placeholders(1, len(collectionIDs))+`) ORDER BY i.id`,
		int64Args(collectionIDs)...)
	if err != nil {
		return nil, fmt.Errorf("store: collection items: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var it model.CollectionItem
		if err := rows.Scan(&it.ID, &it.CollectionID, &it.AccountID, &it.State, &it.CreatedAt); err != nil {
			return nil, fmt.Errorf("store: collection items: %w", err)
		}
		out[it.CollectionID] = append(out[it.CollectionID], &it)
	}
	return out, rows.Err()
}

// CollectionItem loads one item of a collection.
func (q Q) CollectionItem(ctx context.Context, collectionID, id int64) (*model.CollectionItem, error) {
	var it model.CollectionItem
	err := q.db.QueryRowContext(ctx, `SELECT id, collection_id, account_id, state, created_at FROM collection_items
		WHERE id = $1 AND collection_id = $2`, id, collectionID).Scan(&it.ID, &it.CollectionID, &it.AccountID, &it.State, &it.CreatedAt)
	return &it, notFound(err, fmt.Sprintf("collection item %d", id))
}

// CountCollectionItems counts a collection's items, whatever their state.
func (q Q) CountCollectionItems(ctx context.Context, collectionID int64) (int, error) {
	var n int
	err := q.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM collection_items WHERE collection_id = $1`, collectionID).Scan(&n)
	return n, wrap(err, "count collection items")
}

// DeleteCollectionItem removes an item.
func (q Q) DeleteCollectionItem(ctx context.Context, id int64) error {
	_, err := q.db.ExecContext(ctx, `DELETE FROM collection_items WHERE id = $1`, id)
	return wrap(err, "delete collection item %d", id)
}

// SetCollectionItemState records the featured account's answer.
func (q Q) SetCollectionItemState(ctx context.Context, id int64, state string) error {
	_, err := q.db.ExecContext(ctx, `UPDATE collection_items SET state = $1 WHERE id = $2`, state, id)
	return wrap(err, "set collection item %d state", id)
}

package store

import "context"

// MigrateTo applies the migrations up to version only: for upgrade tests that need a
// database as an older release left it.
func (s *Store) MigrateTo(ctx context.Context, version int) (int, error) {
	return s.migrateTo(ctx, version)
}

// MigrationVersions lists the engine's migration numbers in order.
func MigrationVersions(engine Engine) []int {
	ms, err := migrationsFor(engine)
	if err != nil {
		panic(err)
	}
	out := make([]int, len(ms))
	for i, m := range ms {
		out[i] = m.version
	}
	return out
}

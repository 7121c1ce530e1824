package store

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
	"gorm.io/gorm"
)

// ExecForTest runs raw SQL as a database administrator could, for tests that
// tamper with data behind the application's back.
func ExecForTest(s *Store, query string) error { return s.db.Exec(query).Error }

// CountInOrganisationForTest runs a count query as organisation orgID's work
// (the transaction the store's organisation-scoped methods use), or outside any
// organisation when orgID is "": what row-level security lets through.
func CountInOrganisationForTest(s *Store, orgID, query string, args ...any) (int64, error) {
	var n int64
	count := func(db *gorm.DB) error { return db.Raw(query, args...).Scan(&n).Error }
	if orgID == "" {
		return n, count(s.db)
	}
	return n, s.inOrganisation(context.Background(), orgID, count)
}

// ExecInOrganisationForTest runs a change as organisation orgID's work and
// returns how many rows it changed.
func ExecInOrganisationForTest(s *Store, orgID, query string, args ...any) (int64, error) {
	var n int64
	err := s.inOrganisation(context.Background(), orgID, func(db *gorm.DB) error {
		res := db.Exec(query, args...)
		n = res.RowsAffected
		return res.Error
	})
	return n, err
}

// HoldCommitForTest makes every Postgres commit of a meeting for which hold
// returns a statement run that statement last, after its writes: one that
// waits on a lock the test holds keeps the commit's transaction open.
func HoldCommitForTest(s *Store, hold func(meetingID string) string) { s.holdCommit = hold }

// PoolForTest is the store's Postgres pool, for a session of the test's own.
func PoolForTest(s *Store) *pgxpool.Pool { return s.pool }

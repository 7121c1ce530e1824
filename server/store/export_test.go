package store

import (
	"context"
	"strings"

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

// SchemaForTest describes the database's schema (tables, columns, indexes,
// constraints, triggers, functions and row-level security policies), without the
// migrations' own table, so that two schemas can be compared as text.
func SchemaForTest(s *Store) (string, error) {
	// SQLite keeps each table's CREATE statement as written, and ALTER TABLE RENAME
	// quotes the name in it: the shape is the columns, keys and indexes, plus the
	// statements with quotes and spacing taken out.
	perTable := func(cols, pragma string) string {
		return `SELECT ` + cols + ` FROM sqlite_master m, ` + pragma + `(m.name) p
			WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name != 'schema_migrations' ORDER BY 1`
	}
	queries := []string{
		perTable(`m.name || '.' || printf('%03d', p.cid) || ' ' || p.name || ' ' || p.type || ' notnull=' || p."notnull" ||
			' default=' || COALESCE(p.dflt_value, '') || ' pk=' || p.pk`, "pragma_table_info"),
		perTable(`m.name || ' index ' || p.name || ' unique=' || p."unique" || ' ' || p.origin || ' partial=' || p.partial ||
			' (' || (SELECT group_concat(ii.name, ',') FROM pragma_index_info(p.name) ii) || ')'`, "pragma_index_list"),
		perTable(`m.name || ' references ' || p."table" || '(' || p."to" || ') from ' || p."from" || ' ' || p.on_update || ' ' || p.on_delete`,
			"pragma_foreign_key_list"),
		`SELECT type || ' ' || name || ' ' || replace(replace(replace(sql, '"', ''), char(10), ' '), char(9), ' ') FROM sqlite_master
			WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' AND tbl_name != 'schema_migrations' ORDER BY type, name`,
	}
	if s.dialect == Postgres {
		queries = []string{
			`SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || COALESCE(column_default, '')
				FROM information_schema.columns WHERE table_schema = current_schema() AND table_name != 'schema_migrations' ORDER BY table_name, column_name`,
			`SELECT indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename != 'schema_migrations' ORDER BY indexname`,
			`SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
				WHERE connamespace = current_schema()::regnamespace AND conrelid::regclass::text != 'schema_migrations' ORDER BY 1`,
			`SELECT event_object_table || ' ' || trigger_name || ' ' || event_manipulation || ' ' || action_statement
				FROM information_schema.triggers WHERE trigger_schema = current_schema() ORDER BY 1`,
			`SELECT proname || ' ' || md5(prosrc) FROM pg_proc WHERE pronamespace = current_schema()::regnamespace ORDER BY 1`,
			`SELECT tablename || ' ' || policyname || ' ' || COALESCE(qual, '') || ' ' || COALESCE(with_check, '') FROM pg_policies
				WHERE schemaname = current_schema() ORDER BY 1`,
			`SELECT relname || ' rls=' || relrowsecurity::text || ' force=' || relforcerowsecurity::text FROM pg_class
				WHERE relnamespace = current_schema()::regnamespace AND relkind = 'r' AND relname != 'schema_migrations' ORDER BY 1`,
		}
	}
	var out []string
	for _, q := range queries {
		var rows []string
		if err := s.db.Raw(q).Scan(&rows).Error; err != nil {
			return "", err
		}
		out = append(out, rows...)
	}
	text := strings.Join(out, "\n")
	if s.dialect == SQLite {
		text = strings.Join(strings.FieldsFunc(text, func(r rune) bool { return r == ' ' }), " ")
	}
	if s.dialect == Postgres {
		// Each test has its own schema; its name is no part of the shape.
		var name string
		if err := s.db.Raw(`SELECT current_schema()`).Scan(&name).Error; err != nil {
			return "", err
		}
		text = strings.ReplaceAll(text, name+".", "")
	}
	return text, nil
}

// StringsForTest runs a query that returns one text column, as a database
// administrator could, and returns its values in the order the database gives.
func StringsForTest(s *Store, query string, args ...any) ([]string, error) {
	var out []string
	err := s.db.Raw(query, args...).Scan(&out).Error
	return out, err
}

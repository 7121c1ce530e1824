// Package storetest opens real databases for tests: an SQLite file in a temporary
// directory, and a fresh schema in the PostgreSQL named by TAFEL_TEST_DATABASE_URL
// (default: the local test database). Under CI=true a missing Postgres fails the
// test; elsewhere it is skipped with a message.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/store"

	_ "github.com/glebarez/go-sqlite"  // the driver behind gorm's sqlite dialect
	_ "github.com/jackc/pgx/v5/stdlib" // the driver behind gorm's postgres dialect
)

// DefaultPostgresURL is the local test database that the machine and CI provide.
const DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// PostgresURL returns the base URL of the test database.
func PostgresURL() string {
	if u := os.Getenv("TAFEL_TEST_DATABASE_URL"); u != "" {
		return u
	}
	return DefaultPostgresURL
}

// Dialects are the databases every store test runs on.
var Dialects = []store.Dialect{store.SQLite, store.Postgres}

// Each runs fn once per dialect as a subtest with a fresh, migrated store, and
// once more on Postgres as AppRole ("postgres-app"), where row-level security binds.
func Each(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	for _, d := range Dialects {
		t.Run(string(d), func(t *testing.T) {
			fn(t, Open(t, d))
		})
	}
	t.Run("postgres-app", func(t *testing.T) {
		fn(t, OpenAsApp(t))
	})
}

// AppRole is a role that is not a superuser, as Tafel should run in production:
// superusers are never bound by row-level security.
const AppRole = "tafel_rls_test"

// OpenAsApp returns a fresh Postgres store connected as AppRole, which migrates
// and so owns its schema, closed when the test ends.
func OpenAsApp(tb testing.TB) *store.Store {
	tb.Helper()
	s, err := store.Open(context.Background(), AppURL(tb), tb.TempDir())
	if err != nil {
		tb.Fatalf("open postgres store as %s: %v", AppRole, err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// AppURL returns a DATABASE_URL for a fresh, empty Postgres schema that connects
// as AppRole (made if it does not exist), with the right to create in that schema.
// The base user must be a superuser, as the default one is.
func AppURL(tb testing.TB) string {
	tb.Helper()
	base := URL(tb, store.Postgres)
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatal(err)
	}
	q := u.Query()
	db, err := sql.Open("pgx", PostgresURL())
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	// Tests in several packages run at once: two may make the role together.
	setup := []string{
		`DO $$ BEGIN
			IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '` + AppRole + `') THEN
				CREATE ROLE ` + AppRole + ` NOLOGIN NOSUPERUSER NOBYPASSRLS;
			END IF;
		EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
		END $$`,
		`GRANT USAGE, CREATE ON SCHEMA ` + q.Get("search_path") + ` TO ` + AppRole,
	}
	for _, stmt := range setup {
		if _, err := db.Exec(stmt); err != nil {
			tb.Fatalf("set up role %s: %v", AppRole, err)
		}
	}
	// pgx passes options to the server at start: every connection becomes AppRole.
	q.Set("options", "-c role="+AppRole)
	u.RawQuery = q.Encode()
	return u.String()
}

// Open returns a fresh, migrated store of the dialect, closed when the test ends.
func Open(tb testing.TB, d store.Dialect) *store.Store {
	tb.Helper()
	url := URL(tb, d)
	s, err := store.Open(context.Background(), url, tb.TempDir())
	if err != nil {
		tb.Fatalf("open %s store: %v", d, err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// URL returns a DATABASE_URL for a fresh, empty database of the dialect: "" with
// TAFEL_DATA_DIR set to a temp dir means SQLite; for Postgres, a new schema that
// is dropped when the test ends.
func URL(tb testing.TB, d store.Dialect) string {
	tb.Helper()
	if d == store.SQLite {
		return "sqlite:" + tb.TempDir() + "/tafel.db"
	}
	base := PostgresURL()
	db, err := sql.Open("pgx", base)
	if err == nil {
		err = db.Ping()
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("PostgreSQL is required in CI and is not reachable at %s: %v", base, err)
		}
		tb.Skipf("PostgreSQL not reachable at %s (start it, or set TAFEL_TEST_DATABASE_URL): %v", base, err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		_, _ = db.Exec("DROP SCHEMA " + schema + " CASCADE")
		db.Close()
	})
	return withSearchPath(tb, base, schema)
}

func withSearchPath(tb testing.TB, base, schema string) string {
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Executed is what Execute did.
type Executed struct {
	Meeting   *meeting.Meeting // the state after the command
	Events    []meeting.Event  // what it stored; empty for a duplicate
	Seq       int64            // the seq of its answer
	Duplicate bool             // the command id was stored before; nothing changed
}

// Execute runs one command on a stored meeting as the application layer does
// (load, decide, commit with its command id, join token and audit entries),
// for tests of the store that need a meeting to move.
func Execute(ctx context.Context, s *store.Store, meetingID string, key meeting.CommandKey,
	decide func(*meeting.Meeting) (*meeting.Meeting, []meeting.Event, error), joinTokenHash string, audit ...meeting.AuditEntry) (Executed, error) {
	if key.ID != "" {
		if seq, ok, err := s.FindCommand(ctx, meetingID, key); err != nil || ok {
			return Executed{Seq: seq, Duplicate: ok}, err
		}
	}
	st, err := s.OpenMeeting(ctx, meetingID)
	if err != nil {
		return Executed{}, err
	}
	next, events, err := decide(st.Meeting)
	if err != nil {
		return Executed{}, err
	}
	c := meeting.Commit{OrganisationID: st.Info.OrganisationID, FamilyID: st.Info.FamilyID, MeetingID: meetingID,
		FromSeq: st.Meeting.Seq, AuditFrom: st.Audit, Events: events, Phase: next.Phase, Audit: audit}
	if key.ID != "" {
		c.Commands = []meeting.StoredCommand{{Key: key, Seq: next.Seq}}
	}
	if joinTokenHash != "" && len(events) > 0 {
		c.JoinTokens = map[string]string{events[0].ParticipantID: joinTokenHash}
	}
	res, err := s.Commit(ctx, c)
	if err != nil {
		return Executed{}, err
	}
	if res.Stale || len(res.Duplicates) > 0 {
		return Executed{}, fmt.Errorf("commit not stored: %+v", res)
	}
	return Executed{Meeting: next, Events: events, Seq: next.Seq}, nil
}

// RawDB opens a plain connection to the database a store URL names (from URL),
// for tests that look behind the application's back as an administrator could.
func RawDB(tb testing.TB, databaseURL string) *sql.DB {
	tb.Helper()
	driver, dsn := "pgx", databaseURL
	if path, ok := strings.CutPrefix(databaseURL, "sqlite:"); ok {
		driver, dsn = "sqlite", "file:"+path+"?_pragma=busy_timeout(10000)"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

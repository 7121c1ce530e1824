// Package store keeps Tafel's data in Postgres or in an embedded SQLite file,
// through GORM. The schema comes from the versioned SQL in schema/; rows are
// private types, and what leaves this package is domain values.
package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/tafel-met/tafel/server/meeting"
)

// Dialect names the database in use.
type Dialect string

// Supported dialects.
const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// Store is the database behind Tafel.
type Store struct {
	db      *gorm.DB
	dialect Dialect
	now     func() time.Time

	// pool is Postgres's connection pool; GORM runs on it too, and the command
	// path (Commit) uses it directly, to send a whole commit in one round trip.
	pool *pgxpool.Pool
	// writer is SQLite's one writer of commits, which groups the commits that
	// wait into one transaction.
	writer *sqliteWriter
	// holdCommit, when a test sets it, returns a statement that Postgres runs
	// last in a meeting's commit, after its writes (one that waits on a lock
	// the test holds, say), or "".
	holdCommit func(meetingID string) string
	// observer hears of database faults and audit writes (Observe).
	observer *observerHolder
}

// Open connects to databaseURL (postgres://...) or, when it is empty, to the SQLite
// file tafel.db in dataDir, and applies the migrations that are not yet applied.
// It refuses a schema newer than this binary knows (ErrSchemaNewer).
func Open(ctx context.Context, databaseURL, dataDir string) (*Store, error) {
	s, err := Connect(ctx, databaseURL, dataDir)
	if err != nil {
		return nil, err
	}
	if err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// SQLitePath is the file of the SQLite database that databaseURL and dataDir
// select, and false when they select Postgres.
func SQLitePath(databaseURL, dataDir string) (string, bool) {
	if databaseURL != "" && !strings.HasPrefix(databaseURL, "sqlite:") {
		return "", false
	}
	if path := strings.TrimPrefix(databaseURL, "sqlite:"); path != "" {
		return path, true
	}
	return filepath.Join(dataDir, "tafel.db"), true
}

// Connect is Open without migrating: for reading the schema version, and for
// tests that migrate step by step.
func Connect(ctx context.Context, databaseURL, dataDir string) (*Store, error) {
	cfg := &gorm.Config{Logger: logger.Discard, SkipDefaultTransaction: true, TranslateError: true}
	var (
		db       *gorm.DB
		err      error
		dialect  Dialect
		pool     *pgxpool.Pool
		observed = &observerHolder{}
	)
	switch {
	case strings.HasPrefix(databaseURL, "postgres://") || strings.HasPrefix(databaseURL, "postgresql://"):
		dialect = Postgres
		if pool, err = openPool(ctx, databaseURL, pgObserver{observed}); err == nil {
			db, err = gorm.Open(postgres.New(postgres.Config{Conn: stdlib.OpenDBFromPool(pool)}), cfg)
		}
	case databaseURL == "" || strings.HasPrefix(databaseURL, "sqlite:"):
		dialect = SQLite
		path, _ := SQLitePath(databaseURL, dataDir)
		if databaseURL == "" || databaseURL == "sqlite:" {
			if err := os.MkdirAll(dataDir, 0o700); err != nil {
				return nil, fmt.Errorf("data dir: %w", err)
			}
		}
		// WAL for readers beside the writer, foreign keys on, and wait for locks.
		dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_txlock=immediate"
		db, err = gorm.Open(sqlite.Open(dsn), cfg)
	default:
		return nil, fmt.Errorf("DATABASE_URL must start with postgres:// (or be empty for SQLite)")
	}
	if err != nil {
		if pool != nil {
			pool.Close()
		}
		return nil, fmt.Errorf("open %s: %w", dialect, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	if dialect == SQLite {
		// SQLite has one writer; one connection keeps writes in order without busy errors.
		sqlDB.SetMaxOpenConns(1)
	} else {
		// GORM's connections come from the pool; database/sql keeps few idle.
		sqlDB.SetMaxIdleConns(4)
	}
	if err := sqlDB.PingContext(ctx); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("connect %s: %w", dialect, err)
	}
	s := &Store{db: db, dialect: dialect, pool: pool, observer: observed, now: func() time.Time { return time.Now().UTC() }}
	if dialect == SQLite {
		if err := observeGORM(db, observed); err != nil {
			sqlDB.Close()
			return nil, err
		}
		s.writer = newSQLiteWriter(s)
	}
	return s, nil
}

// Dialect tells which database the store uses.
func (s *Store) Dialect() Dialect { return s.dialect }

// Close stops the writer and closes the database connections.
func (s *Store) Close() error {
	if s.writer != nil {
		s.writer.close()
	}
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	err = sqlDB.Close()
	if s.pool != nil {
		s.pool.Close()
	}
	return err
}

// Deadlines of Postgres connections and statements, unless the URL sets them
// (connect_timeout, options=-c statement_timeout=...).
const (
	connectTimeout   = 5 * time.Second
	statementTimeout = 15 * time.Second
)

// openPool opens Postgres's connection pool.
func openPool(ctx context.Context, url string, tracer pgx.QueryTracer) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, err
	}
	cfg.ConnConfig.Tracer = tracer
	if cfg.MaxConns < 20 && !strings.Contains(url, "pool_max_conns") {
		cfg.MaxConns = 20
	}
	cfg.MaxConnIdleTime = 5 * time.Minute
	// A database that holds connections without answering must not hold
	// Tafel: connecting has a deadline, and so does every statement on the
	// server's side (the callers' contexts bound each call on ours).
	if cfg.ConnConfig.ConnectTimeout == 0 || cfg.ConnConfig.ConnectTimeout > connectTimeout {
		cfg.ConnConfig.ConnectTimeout = connectTimeout
	}
	if _, ok := cfg.ConnConfig.RuntimeParams["statement_timeout"]; !ok {
		cfg.ConnConfig.RuntimeParams["statement_timeout"] = strconv.Itoa(int(statementTimeout.Milliseconds()))
	}
	return pgxpool.NewWithConfig(ctx, cfg)
}

// Ready checks that the database answers and the schema is at head.
func (s *Store) Ready(ctx context.Context) error {
	v, err := s.Version(ctx)
	if err != nil {
		return err
	}
	head, err := headVersion(s.dialect)
	if err != nil {
		return err
	}
	if v != head {
		return fmt.Errorf("schema at version %d, head is %d", v, head)
	}
	return nil
}

// inOrganisation runs fn as organisation orgID's work. On Postgres that is one
// transaction in which row-level security (schema 0008) shows only orgID's rows:
// the second wall behind the organisation scope every query carries. On SQLite
// fn runs on the store's one connection as before. fn must use the db it is
// given, never s.db: on Postgres another connection would be outside the wall
// and could wait on this transaction's locks.
func (s *Store) inOrganisation(ctx context.Context, orgID string, fn func(db *gorm.DB) error) error {
	if orgID == "" {
		// An empty setting means "every organisation" to the policies.
		return errors.New("store: organisation work without an organisation")
	}
	return s.inTx(ctx, func(tx *gorm.DB) error {
		if err := s.scope(tx, orgID); err != nil {
			return err
		}
		return fn(tx)
	})
}

// changeInOrganisation runs fn as organisation orgID's work in ONE transaction
// on both databases, and writes audit, the entries that record the change, in
// that same transaction: the one way a change outside a meeting is audited.
// fill completes each entry with what fn made (a new row's id, say).
func (s *Store) changeInOrganisation(ctx context.Context, orgID string, audit []AuditEntry, fn func(db *gorm.DB) error, fill func(*AuditEntry)) error {
	if orgID == "" {
		return errors.New("store: organisation work without an organisation")
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.scope(tx, orgID); err != nil {
			return err
		}
		if err := fn(tx); err != nil {
			return err
		}
		for _, e := range audit {
			if e.OrganisationID == "" {
				e.OrganisationID = orgID
			}
			if fill != nil {
				fill(&e)
			}
			if err := s.auditTx(tx, e); err != nil {
				return err
			}
		}
		return nil
	})
}

// inTx runs fn in a transaction on Postgres, where a transaction is what holds
// the organisation for row-level security, and on SQLite as before, without one.
func (s *Store) inTx(ctx context.Context, fn func(db *gorm.DB) error) error {
	if s.dialect != Postgres {
		return fn(s.db.WithContext(ctx))
	}
	return s.db.WithContext(ctx).Transaction(fn)
}

// SetClock makes the store read the time from now (UTC) instead of the wall
// clock: for tests that move time on (a session's idle and absolute limits)
// without sleeping, and for nothing else.
func (s *Store) SetClock(now func() time.Time) {
	s.now = func() time.Time { return now().UTC() }
}

// scope limits the rest of transaction tx to orgID's rows (Postgres only).
func (s *Store) scope(tx *gorm.DB, orgID string) error {
	if s.dialect != Postgres {
		return nil
	}
	return tx.Exec(`SELECT set_config('tafel.organisation', ?, true)`, orgID).Error
}

func newID() string { return uuid.NewString() }

// NewToken returns a random secret of 256 bits, URL-safe.
func NewToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return strings.ToLower(strings.TrimRight(base32.StdEncoding.EncodeToString(b), "="))
}

// HashToken returns the SHA-256 of a secret; only hashes are stored.
func HashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// ErrNotFound is returned when a row does not exist or belongs to another organisation.
var ErrNotFound = meeting.ErrNotFound

// ErrDuplicate is returned when a unique value (an email, say) is taken.
var ErrDuplicate = errors.New("duplicate")

// translate maps GORM's translated constraint errors to the store's own.
func translate(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return ErrNotFound
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return fmt.Errorf("%w: %v", ErrDuplicate, err)
	}
	return err
}

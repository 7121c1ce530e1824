package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tafel-met/tafel/schema"
	"gorm.io/gorm"
)

type migration struct {
	version int
	name    string
	up      string
	down    string
}

func migrations(d Dialect) ([]migration, error) {
	dir := string(d)
	entries, err := fs.ReadDir(schema.FS, dir)
	if err != nil {
		return nil, err
	}
	byVersion := map[int]*migration{}
	for _, e := range entries {
		name := e.Name()
		num, rest, ok := strings.Cut(name, "_")
		if !ok {
			return nil, fmt.Errorf("migration %s: want NNNN_name.up.sql", name)
		}
		v, err := strconv.Atoi(num)
		if err != nil {
			return nil, fmt.Errorf("migration %s: %w", name, err)
		}
		body, err := fs.ReadFile(schema.FS, dir+"/"+name)
		if err != nil {
			return nil, err
		}
		m := byVersion[v]
		if m == nil {
			m = &migration{version: v}
			byVersion[v] = m
		}
		switch {
		case strings.HasSuffix(rest, ".up.sql"):
			m.name, m.up = strings.TrimSuffix(rest, ".up.sql"), string(body)
		case strings.HasSuffix(rest, ".down.sql"):
			m.down = string(body)
		default:
			return nil, fmt.Errorf("migration %s: want .up.sql or .down.sql", name)
		}
	}
	var out []migration
	for _, m := range byVersion {
		if m.up == "" || m.down == "" {
			return nil, fmt.Errorf("migration %04d: needs both up and down", m.version)
		}
		out = append(out, *m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

func headVersion(d Dialect) (int, error) {
	ms, err := migrations(d)
	if err != nil || len(ms) == 0 {
		return 0, err
	}
	return ms[len(ms)-1].version, nil
}

// Versions lists the schema versions this binary knows for the dialect, oldest first.
func Versions(d Dialect) ([]int, error) {
	ms, err := migrations(d)
	var vs []int
	for _, m := range ms {
		vs = append(vs, m.version)
	}
	return vs, err
}

// ErrSchemaNewer means the database was migrated by a newer version of Tafel.
var ErrSchemaNewer = errors.New("schema newer than this binary knows")

func schemaNewer(cur, head int) error {
	return fmt.Errorf("%w: the database schema is at version %d, but this version of tafel knows migrations up to %d only. "+
		"A newer tafel has migrated it: run that version (during a rolling upgrade, upgrade this instance too), "+
		"or migrate down with the newer binary ('tafel migrate down') before going back", ErrSchemaNewer, cur, head)
}

// Version returns the highest migration applied, 0 for an empty database. It
// changes nothing.
func (s *Store) Version(ctx context.Context) (int, error) {
	if !s.db.WithContext(ctx).Migrator().HasTable("schema_migrations") {
		return 0, nil
	}
	var v *int
	if err := s.db.WithContext(ctx).Raw(`SELECT MAX(version) FROM schema_migrations`).Scan(&v).Error; err != nil {
		return 0, err
	}
	if v == nil {
		return 0, nil
	}
	return *v, nil
}

// Migrate applies every migration above the current version, each in its own
// transaction. It refuses a schema newer than it knows (ErrSchemaNewer).
func (s *Store) Migrate(ctx context.Context) error {
	head, err := headVersion(s.dialect)
	if err != nil {
		return err
	}
	return s.MigrateTo(ctx, head)
}

// MigrateTo applies the migrations above the current version up to target.
func (s *Store) MigrateTo(ctx context.Context, target int) error {
	all, err := migrations(s.dialect)
	if err != nil {
		return err
	}
	var ms []migration
	for _, m := range all {
		if m.version <= target {
			ms = append(ms, m)
		}
	}
	if s.dialect == Postgres {
		// Two instances starting together must not both migrate.
		return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			if err := tx.Exec(`SELECT pg_advisory_xact_lock(7150001)`).Error; err != nil {
				return err
			}
			return s.migrateUp(ctx, tx, ms)
		})
	}
	return s.migrateUp(ctx, s.db.WithContext(ctx), ms)
}

func (s *Store) migrateUp(ctx context.Context, db *gorm.DB, ms []migration) error {
	if err := db.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`).Error; err != nil {
		return err
	}
	var cur *int
	if err := db.Raw(`SELECT MAX(version) FROM schema_migrations`).Scan(&cur).Error; err != nil {
		return err
	}
	if head, _ := headVersion(s.dialect); cur != nil && *cur > head {
		return schemaNewer(*cur, head)
	}
	for _, m := range ms {
		if cur != nil && m.version <= *cur {
			continue
		}
		err := db.Transaction(func(tx *gorm.DB) error {
			if err := tx.Exec(m.up).Error; err != nil {
				return err
			}
			return tx.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				m.version, m.name, time.Now().UTC().Format(time.RFC3339)).Error
		})
		if err != nil {
			return fmt.Errorf("migration %04d_%s: %w", m.version, m.name, err)
		}
	}
	return nil
}

// MigrateDown reverts the newest applied migration.
func (s *Store) MigrateDown(ctx context.Context) error {
	ms, err := migrations(s.dialect)
	if err != nil {
		return err
	}
	v, err := s.Version(ctx)
	if err != nil || v == 0 {
		return err
	}
	for _, m := range ms {
		if m.version != v {
			continue
		}
		return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			if err := tx.Exec(m.down).Error; err != nil {
				return fmt.Errorf("migration %04d down: %w", m.version, err)
			}
			return tx.Exec(`DELETE FROM schema_migrations WHERE version = ?`, v).Error
		})
	}
	head, _ := headVersion(s.dialect)
	if v > head {
		return schemaNewer(v, head)
	}
	return fmt.Errorf("migration %04d: not found", v)
}

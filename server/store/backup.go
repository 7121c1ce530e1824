package store

import (
	"context"
	"errors"
	"fmt"
	"os"
)

// ErrBackupPostgres means a backup of PostgreSQL was asked of Tafel: that is
// pg_dump's job (docs/operations.md).
var ErrBackupPostgres = errors.New("tafel backs up the embedded SQLite database only; for PostgreSQL use pg_dump (see docs/operations.md)")

// Backup writes a consistent copy of the SQLite database to path, which must not
// exist, while the server goes on using it: VACUUM INTO reads one snapshot in a
// read transaction, and with WAL the server's writes carry on beside it.
func (s *Store) Backup(ctx context.Context, path string) error {
	if s.dialect != SQLite {
		return ErrBackupPostgres
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("%s exists already", path)
	}
	if err := s.db.WithContext(ctx).Exec(`VACUUM INTO ?`, path).Error; err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}

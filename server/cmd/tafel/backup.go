package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/tafel-met/tafel/server/store"

	_ "github.com/glebarez/go-sqlite" // "sqlite", to check a backup file read-only
)

// backupCommand writes a consistent copy of the SQLite database to a new file,
// while a server may be running on it.
func backupCommand(ctx context.Context, cfg Config, args []string, out io.Writer) error {
	if len(args) != 1 || args[0] == "" || args[0][0] == '-' {
		return errors.New("backup: use 'tafel backup FILE' (FILE must not exist)")
	}
	file := args[0]
	if _, ok := store.SQLitePath(cfg.DatabaseURL, cfg.DataDir); !ok {
		return store.ErrBackupPostgres
	}
	// Connect, not Open: a backup never migrates the database it copies.
	st, err := store.Connect(ctx, cfg.DatabaseURL, cfg.DataDir)
	if err != nil {
		return err
	}
	defer st.Close()
	// Written beside the target under another name, then renamed: FILE is either
	// absent or a whole backup.
	partial := file + ".partial"
	_ = os.Remove(partial)
	if err := st.Backup(ctx, partial); err != nil {
		return err
	}
	v, err := checkBackup(ctx, partial)
	if err != nil {
		os.Remove(partial)
		return err
	}
	if _, err := os.Stat(file); err == nil {
		os.Remove(partial)
		return fmt.Errorf("%s exists already", file)
	}
	if err := os.Rename(partial, file); err != nil {
		return err
	}
	fmt.Fprintf(out, "backup written to %s (schema version %d)\n", file, v)
	return nil
}

// checkBackup opens a backup read-only, checks its integrity and returns its
// schema version, which must be one this binary knows.
func checkBackup(ctx context.Context, file string) (int, error) {
	if _, err := os.Stat(file); err != nil {
		return 0, err
	}
	db, err := sql.Open("sqlite", "file:"+file+"?mode=ro")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var ok string
	if err := db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&ok); err != nil {
		return 0, fmt.Errorf("%s is not a Tafel SQLite backup: %w", file, err)
	}
	if ok != "ok" {
		return 0, fmt.Errorf("%s is damaged: %s", file, ok)
	}
	var v sql.NullInt64
	if err := db.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, fmt.Errorf("%s is not a Tafel database: %w", file, err)
	}
	versions, err := store.Versions(store.SQLite)
	if err != nil {
		return 0, err
	}
	if head := versions[len(versions)-1]; int(v.Int64) > head {
		return 0, fmt.Errorf("%s is at schema version %d, newer than this tafel knows (%d): restore it with the version that made it", file, v.Int64, head)
	}
	return int(v.Int64), nil
}

// restoreCommand puts a backup in place of the SQLite database. It refuses while a
// server is using the database, unless --force; the database it replaces is kept
// beside it as tafel.db.before-restore-TIME.
func restoreCommand(ctx context.Context, cfg Config, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	fs.SetOutput(out)
	force := fs.Bool("force", false, "restore even while a server is using the database (its writes since then are lost; stop it right after)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("restore: use 'tafel restore [--force] FILE'")
	}
	file := fs.Arg(0)
	target, ok := store.SQLitePath(cfg.DatabaseURL, cfg.DataDir)
	if !ok {
		return errors.New("tafel restores the embedded SQLite database only; for PostgreSQL use pg_restore (see docs/operations.md)")
	}
	v, err := checkBackup(ctx, file)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(target), 0o700); err != nil {
		return err
	}
	release, err := lockDatabase(target)
	switch {
	case errors.Is(err, errDatabaseInUse) && *force:
		fmt.Fprintf(out, "warning: a server is using %s; stop it now: what it writes from here on is lost\n", target)
	case errors.Is(err, errDatabaseInUse):
		return fmt.Errorf("%w: stop it before restoring (or pass --force)", err)
	case err != nil:
		return err
	default:
		defer release()
	}
	tmp := target + ".restoring"
	if err := copyFile(file, tmp); err != nil {
		return err
	}
	if _, err := os.Stat(target); err == nil {
		aside := target + ".before-restore-" + time.Now().UTC().Format("20060102T150405Z")
		// The write-ahead log belongs to the old file: it moves with it, or SQLite
		// would read it into the restored one.
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if err := os.Rename(target+suffix, aside+suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
				return err
			}
		}
		fmt.Fprintf(out, "the database it replaces is kept as %s\n", aside)
	}
	if err := os.Rename(tmp, target); err != nil {
		return err
	}
	fmt.Fprintf(out, "restored %s to %s (schema version %d); start tafel, which migrates it if it is older\n", file, target, v)
	return nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	o, err := os.OpenFile(to, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(o, in); err != nil {
		o.Close()
		return err
	}
	if err := o.Sync(); err != nil {
		o.Close()
		return err
	}
	return o.Close()
}

// healthcheckCommand asks this machine's server whether it is ready (GET /readyz
// on TAFEL_ADDR) and fails when it is not: for a container's health check, in an
// image that has no curl.
func healthcheckCommand(ctx context.Context, cfg Config, out io.Writer) error {
	host, port, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		return fmt.Errorf("TAFEL_ADDR: %w", err)
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", "http://"+net.JoinHostPort(host, port)+"/readyz", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("not ready: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("not ready: /readyz answered %d", resp.StatusCode)
	}
	fmt.Fprintln(out, "ready")
	return nil
}

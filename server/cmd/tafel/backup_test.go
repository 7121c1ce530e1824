package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/store"
	"github.com/tafel-met/tafel/server/store/storetest"
)

// committer adds worries from a phone until stopped, counting what was acknowledged.
type committer struct {
	acked atomic.Int64
	stop  chan struct{}
	done  sync.WaitGroup
	mu    sync.Mutex
	err   error
}

func (c *committer) run(ph *phone) {
	c.done.Add(1)
	go func() {
		defer c.done.Done()
		for i := 0; ; i++ {
			select {
			case <-c.stop:
				return
			default:
			}
			f, err := ph.WS.Do("worry.add", map[string]string{"text": fmt.Sprintf("Zorg nummer %d", i)})
			switch {
			case err == nil && f.Type == "ack":
				c.acked.Add(1)
			case err == nil && f.Code == meeting.ECodeRateLimited:
				time.Sleep(50 * time.Millisecond)
			default:
				c.mu.Lock()
				c.err = fmt.Errorf("worry.add: %v %s %s", err, f.Code, f.Message)
				c.mu.Unlock()
				return
			}
		}
	}()
}

// waitFor waits until the committers have n acknowledged commands.
func (c *committer) waitFor(t *testing.T, n int64) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for c.acked.Load() < n {
		c.mu.Lock()
		err := c.err
		c.mu.Unlock()
		if err != nil || time.Now().After(deadline) {
			t.Fatalf("%d of %d commands acknowledged: %v", c.acked.Load(), n, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestBackupDuringMeetingAndRestore backs up the SQLite database while phones are
// committing to a live meeting, restores the copy into a fresh data dir, and shows
// the audit chain is intact there, a meeting closed before is whole (every event in
// order, its closed plan), the live one is a consistent cut (events without gaps,
// its state at the last of them), and a server on the copy serves both.
func TestBackupDuringMeetingAndRestore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	srv := startOpsServer(t, "", io.Discard, func(c *Config) { c.DataDir = dir })
	coord := srv.coordinator("Gemeente Voorbeeld")
	closed := closeQuickly(t, srv, coord)
	closedLog, err := srv.main.Store.EventsSince(ctx, closed.ID, 0, 1<<62)
	if err != nil || len(closedLog) == 0 {
		t.Fatalf("closed meeting's log: %v", err)
	}

	live := coord.meeting("Gezin L.", "Moeder:family", "Vader:family")
	cws := coord.connect(live.ID, "")
	c := &committer{stop: make(chan struct{})}
	for _, p := range []struct{ name, party string }{{"Sanne", "party1"}, {"Henk", "party2"}} {
		ph := srv.join(live.JoinCode, p.name, p.party)
		must(t, cws, "participant.admit", map[string]string{"participantId": ph.ID})
		if p.name == "Sanne" {
			must(t, cws, "phase.set", map[string]string{"phase": "worries"})
		}
		c.run(ph)
	}
	defer func() { close(c.stop); c.done.Wait() }()
	c.waitFor(t, 10)

	file := filepath.Join(t.TempDir(), "tafel-backup.db")
	env := func(dir string) func(string) string {
		return func(k string) string { return map[string]string{"TAFEL_DATA_DIR": dir}[k] }
	}
	var out bytes.Buffer
	if err := run(ctx, []string{"backup", file}, env(dir), nil, &out); err != nil {
		t.Fatalf("backup: %v %s", err, out.String())
	}
	// The meeting went on during and after the backup.
	c.waitFor(t, c.acked.Load()+10)
	if err := run(ctx, []string{"backup", file}, env(dir), nil, &out); err == nil {
		t.Fatal("a second backup overwrote the first")
	}

	// A restore over the running server's database is refused.
	out.Reset()
	if err := run(ctx, []string{"restore", file}, env(dir), nil, &out); !errors.Is(err, errDatabaseInUse) {
		t.Fatalf("restore over a running server: %v", err)
	}

	fresh := t.TempDir()
	out.Reset()
	if err := run(ctx, []string{"restore", file}, env(fresh), nil, &out); err != nil {
		t.Fatalf("restore: %v %s", err, out.String())
	}
	out.Reset()
	if err := run(ctx, []string{"audit", "verify"}, env(fresh), nil, &out); err != nil || !strings.Contains(out.String(), "the chain is intact") {
		t.Fatalf("audit verify on the restored copy: %v %s", err, out.String())
	}

	st, err := store.Open(ctx, "", fresh)
	if err != nil {
		t.Fatal(err)
	}
	restoredLog, err := st.EventsSince(ctx, closed.ID, 0, 1<<62)
	if err != nil || len(restoredLog) != len(closedLog) {
		t.Fatalf("closed meeting in the copy: %d events of %d, %v", len(restoredLog), len(closedLog), err)
	}
	for i, ev := range restoredLog {
		if ev.Seq != int64(i+1) || !bytes.Equal(ev.Data, closedLog[i].Data) || ev.Name != closedLog[i].Name {
			t.Fatalf("closed meeting's event %d in the copy: %+v, want %+v", i+1, ev, closedLog[i])
		}
	}
	versions, err := st.PlanVersions(ctx, closed.ID)
	if err != nil || len(versions) != 1 || len(versions[0].Plan.Actions) != 1 || versions[0].Plan.RegisseurRole != "Gezinscoach" {
		t.Fatalf("closed plan in the copy: %+v %v", versions, err)
	}
	m, _, err := st.LoadMeeting(ctx, live.ID)
	if err != nil {
		t.Fatal(err)
	}
	liveLog, err := st.EventsSince(ctx, live.ID, 0, 1<<62)
	if err != nil || len(liveLog) == 0 {
		t.Fatalf("live meeting's log in the copy: %v", err)
	}
	for i, ev := range liveLog {
		if ev.Seq != int64(i+1) {
			t.Fatalf("live meeting's events in the copy have a gap at %d: seq %d", i+1, ev.Seq)
		}
	}
	if m.Seq != int64(len(liveLog)) {
		t.Fatalf("live meeting's state in the copy is at seq %d, its log at %d", m.Seq, len(liveLog))
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	// A server on the restored copy serves the closed meeting to the same coordinator.
	close(c.stop)
	c.done.Wait()
	c.stop = make(chan struct{})
	srv2 := startOpsServer(t, "", io.Discard, func(c *Config) { c.DataDir = fresh })
	coord2 := &coordinator{s: srv2, cookie: coord.cookie}
	if v := coord2.snapshot(closed.ID); v.Phase != meeting.PhaseClosed {
		t.Fatalf("restored server: meeting in phase %s", v.Phase)
	}
	if v := coord2.snapshot(live.ID); v.Seq != m.Seq {
		t.Fatalf("restored server: live meeting at seq %d, want %d", v.Seq, m.Seq)
	}
}

func TestRestoreRefusesWhatIsNotABackup(t *testing.T) {
	ctx := context.Background()
	bad := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(bad, []byte("geen database"), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	getenv := func(k string) string { return map[string]string{"TAFEL_DATA_DIR": dir}[k] }
	var out bytes.Buffer
	for _, args := range [][]string{{"restore", bad}, {"restore", filepath.Join(dir, "missing.db")}, {"restore"}} {
		if err := run(ctx, args, getenv, nil, &out); err == nil {
			t.Errorf("%v worked", args)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "tafel.db")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a refused restore left a database: %v", err)
	}
	pg := func(k string) string { return map[string]string{"DATABASE_URL": "postgres://tafel@db/tafel"}[k] }
	if err := run(ctx, []string{"backup", filepath.Join(dir, "b.db")}, pg, nil, &out); !errors.Is(err, store.ErrBackupPostgres) {
		t.Fatalf("backup of Postgres: %v", err)
	}
}

func TestHealthcheckCommand(t *testing.T) {
	srv := startOpsServer(t, "", io.Discard, nil)
	var out bytes.Buffer
	addr := func(a string) func(string) string {
		return func(k string) string { return map[string]string{"TAFEL_ADDR": a}[k] }
	}
	if err := run(context.Background(), []string{"healthcheck"}, addr(srv.addr), nil, &out); err != nil || out.String() != "ready\n" {
		t.Fatalf("healthcheck of a ready server: %v %q", err, out.String())
	}
	srv.main.Close()
	if err := run(context.Background(), []string{"healthcheck"}, addr(srv.addr), nil, &out); err == nil {
		t.Fatal("healthcheck of a stopped server passed")
	}
}

// TestMigrateVersionCommand: version reads without migrating; up and down move
// one way each; and a server refuses a schema newer than it knows, saying why.
func TestMigrateVersionCommand(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	getenv := func(k string) string { return map[string]string{"TAFEL_DATA_DIR": dir}[k] }
	versions, _ := store.Versions(store.SQLite)
	head := versions[len(versions)-1]
	step := func(args []string, want string) {
		t.Helper()
		var out bytes.Buffer
		if err := run(ctx, args, getenv, nil, &out); err != nil || out.String() != want {
			t.Fatalf("%v: %v %q, want %q", args, err, out.String(), want)
		}
	}
	step([]string{"migrate", "version"}, "sqlite schema at version 0\n")
	step([]string{"migrate", "version"}, "sqlite schema at version 0\n")
	step([]string{"migrate"}, fmt.Sprintf("sqlite schema at version %d\n", head))
	step([]string{"migrate", "down"}, fmt.Sprintf("sqlite schema at version %d\n", versions[len(versions)-2]))
	step([]string{"migrate", "version"}, fmt.Sprintf("sqlite schema at version %d\n", versions[len(versions)-2]))
	step([]string{"migrate", "up"}, fmt.Sprintf("sqlite schema at version %d\n", head))

	// A newer tafel migrated the database further.
	db, err := sql.Open("sqlite", filepath.Join(dir, "tafel.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(fmt.Sprintf("INSERT INTO schema_migrations (version, name, applied_at) VALUES (%d, 'from_the_future', '2030-01-01T00:00:00Z')", head+1)); err != nil {
		t.Fatal(err)
	}
	db.Close()
	var logs syncBuffer
	cfg, _ := LoadConfig(getenv)
	cfg.Addr = "127.0.0.1:0"
	cfg.LogFormat = "json"
	m := NewMain(cfg, &logs)
	defer m.Close()
	err = m.Run(ctx)
	if !errors.Is(err, store.ErrSchemaNewer) {
		t.Fatalf("server on a newer schema: %v", err)
	}
	want := fmt.Sprintf("the database schema is at version %d, but this version of tafel knows migrations up to %d only", head+1, head)
	if !strings.Contains(logs.String(), `"msg":"cannot open the database"`) || !strings.Contains(logs.String(), want) {
		t.Fatalf("log does not say why: %s", logs.String())
	}
	step([]string{"migrate", "version"}, fmt.Sprintf("sqlite schema at version %d\n", head+1))
}

// TestPostgresDumpRestoreDrill runs docs/operations.md's PostgreSQL procedure for
// real: pg_dump of a schema that a meeting used, as the superuser (who alone passes
// the forced row-level security), pg_restore into a new database keeping the
// owners, then tafel audit verify and the meeting, as the application's role.
func TestPostgresDumpRestoreDrill(t *testing.T) {
	for _, tool := range []string{"pg_dump", "pg_restore"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is needed in CI: %v", tool, err)
			}
			t.Skipf("%s not installed: %v", tool, err)
		}
	}
	ctx := context.Background()
	appURL := storetest.AppURL(t)
	srv := startOpsServer(t, appURL, io.Discard, nil)
	coord := srv.coordinator("Gemeente Voorbeeld")
	closed := closeQuickly(t, srv, coord)
	before, err := srv.main.Store.EventsSince(ctx, closed.ID, 0, 1<<62)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(appURL)
	schema := u.Query().Get("search_path")
	base := storetest.PostgresURL()

	dump := filepath.Join(t.TempDir(), "tafel.dump")
	pgTool(t, "pg_dump", "--format=custom", "--schema="+schema, "--file="+dump, base)

	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	name := "tafel_drill_" + strings.TrimPrefix(schema, "t_")
	if _, err := db.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = db.Exec("DROP DATABASE " + name + " WITH (FORCE)") })
	target, _ := url.Parse(base)
	target.Path = "/" + name
	pgTool(t, "pg_restore", "--exit-on-error", "--dbname="+target.String(), dump)

	// The application's view of the restored database: same schema, same role.
	restored := *u
	restored.Host, restored.Path = target.Host, target.Path
	getenv := func(k string) string { return map[string]string{"DATABASE_URL": restored.String()}[k] }
	var out bytes.Buffer
	if err := run(ctx, []string{"audit", "verify"}, getenv, nil, &out); err != nil || !strings.Contains(out.String(), "the chain is intact") {
		t.Fatalf("audit verify on the restored database: %v %s", err, out.String())
	}
	st, err := store.Open(ctx, restored.String(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	after, err := st.EventsSince(ctx, closed.ID, 0, 1<<62)
	if err != nil || len(after) != len(before) {
		t.Fatalf("restored meeting: %d events of %d, %v", len(after), len(before), err)
	}
	for i := range after {
		if after[i].Seq != before[i].Seq || !bytes.Equal(after[i].Data, before[i].Data) {
			t.Fatalf("restored event %d differs", i+1)
		}
	}
	if versions, err := st.PlanVersions(ctx, closed.ID); err != nil || len(versions) != 1 {
		t.Fatalf("restored plan: %v %v", versions, err)
	}
	var forced int
	if err := db.QueryRow(`SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = $1 AND c.relforcerowsecurity`, schema).Scan(&forced); err != nil {
		t.Fatal(err)
	}
	rdb, err := sql.Open("pgx", target.String())
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	var owner string
	var restoredForced int
	if err := rdb.QueryRow(`SELECT count(*) FILTER (WHERE c.relforcerowsecurity), max(pg_get_userbyid(c.relowner)) FROM pg_class c
		JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r' AND c.relname != 'schema_migrations'`, schema).Scan(&restoredForced, &owner); err != nil {
		t.Fatal(err)
	}
	if restoredForced == 0 || restoredForced != forced || owner != storetest.AppRole {
		t.Fatalf("restored tables: %d with forced row-level security (%d before), owner %s", restoredForced, forced, owner)
	}
}

func pgTool(t *testing.T, name string, args ...string) {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", name, err, out)
	}
}

package store_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/tafel-met/tafel/server/store"
	"github.com/tafel-met/tafel/server/store/storetest"
)

// emptyDatabases are fresh, unmigrated databases: SQLite, Postgres as a superuser,
// and Postgres as a role that row-level security binds (as in production).
func emptyDatabases(t *testing.T, fn func(t *testing.T, d store.Dialect, url func(t *testing.T) string)) {
	t.Run("sqlite", func(t *testing.T) {
		fn(t, store.SQLite, func(t *testing.T) string { return storetest.URL(t, store.SQLite) })
	})
	t.Run("postgres", func(t *testing.T) {
		fn(t, store.Postgres, func(t *testing.T) string { return storetest.URL(t, store.Postgres) })
	})
	t.Run("postgres-app", func(t *testing.T) { fn(t, store.Postgres, func(t *testing.T) string { return storetest.AppURL(t) }) })
}

func connect(t *testing.T, url string) *store.Store {
	t.Helper()
	s, err := store.Connect(ctx, url, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func schemaOf(t *testing.T, s *store.Store) string {
	t.Helper()
	sc, err := store.SchemaForTest(s)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// TestMigrationsUpAndDownFromEachVersion walks every migration there is, up one at
// a time and down again, and checks each down step gives back exactly the schema
// of the version below; then it starts a fresh database at each version and
// upgrades it to head, which must end in the same schema as a fresh install.
func TestMigrationsUpAndDownFromEachVersion(t *testing.T) {
	emptyDatabases(t, func(t *testing.T, d store.Dialect, url func(t *testing.T) string) {
		versions, err := store.Versions(d)
		if err != nil || len(versions) == 0 {
			t.Fatalf("versions: %v %v", versions, err)
		}
		head := versions[len(versions)-1]
		s := connect(t, url(t))
		schemaAt := map[int]string{0: schemaOf(t, s)}
		for _, v := range versions {
			if err := s.MigrateTo(ctx, v); err != nil {
				t.Fatalf("up to %d: %v", v, err)
			}
			if got, _ := s.Version(ctx); got != v {
				t.Fatalf("version after up to %d = %d", v, got)
			}
			schemaAt[v] = schemaOf(t, s)
		}
		if err := s.Ready(ctx); err != nil {
			t.Fatalf("at head: %v", err)
		}
		for i := len(versions) - 1; i >= 0; i-- {
			v, below := versions[i], previous(versions, versions[i])
			if err := s.MigrateDown(ctx); err != nil {
				t.Fatalf("down from %d: %v", v, err)
			}
			if got, _ := s.Version(ctx); got != below {
				t.Fatalf("version after down from %d = %d, want %d", v, got, below)
			}
			if got := schemaOf(t, s); got != schemaAt[below] {
				t.Errorf("down from %04d does not give back version %d's schema:\n%s", v, below, diff(schemaAt[below], got))
			}
		}
		for _, start := range append([]int{0}, versions...) {
			s := connect(t, url(t))
			if err := s.MigrateTo(ctx, start); err != nil {
				t.Fatalf("fresh database up to %d: %v", start, err)
			}
			if err := s.Migrate(ctx); err != nil {
				t.Fatalf("upgrade from %d to head: %v", start, err)
			}
			if got, _ := s.Version(ctx); got != head {
				t.Fatalf("upgrade from %d ends at %d, want %d", start, got, head)
			}
			if got := schemaOf(t, s); got != schemaAt[head] {
				t.Errorf("upgrade from %d ends in another schema than a fresh install:\n%s", start, diff(schemaAt[head], got))
			}
		}
	})
}

// TestRefusesNewerSchema is one half of a rolling upgrade: an instance of the old
// version meets a database a newer one has migrated, and refuses it with a message
// that says what to do, instead of running against tables it does not know.
func TestRefusesNewerSchema(t *testing.T) {
	emptyDatabases(t, func(t *testing.T, d store.Dialect, url func(t *testing.T) string) {
		u := url(t)
		dir := t.TempDir()
		s, err := store.Open(ctx, u, dir)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		versions, _ := store.Versions(d)
		head := versions[len(versions)-1]
		if err := store.ExecForTest(s, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'from_the_future', '2030-01-01T00:00:00Z')"); err != nil {
			t.Fatal(err)
		}
		_, err = store.Open(ctx, u, dir)
		if !errors.Is(err, store.ErrSchemaNewer) || !strings.Contains(err.Error(), "at version 9999") {
			t.Fatalf("open a newer schema: %v", err)
		}
		if err := s.MigrateDown(ctx); !errors.Is(err, store.ErrSchemaNewer) {
			t.Fatalf("down from an unknown version: %v", err)
		}
		if v, _ := s.Version(ctx); v != 9999 {
			t.Fatalf("version = %d after refusing, want it untouched", v)
		}
		if err := s.Ready(ctx); err == nil {
			t.Fatalf("ready on a schema newer than head %d", head)
		}
	})
}

func previous(versions []int, v int) int {
	p := 0
	for _, x := range versions {
		if x < v {
			p = x
		}
	}
	return p
}

// diff lists the lines that are in only one of two schema descriptions.
func diff(want, got string) string {
	in := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, l := range strings.Split(s, "\n") {
			m[l] = true
		}
		return m
	}
	w, g := in(want), in(got)
	var out []string
	for l := range w {
		if !g[l] {
			out = append(out, "- "+l)
		}
	}
	for l := range g {
		if !w[l] {
			out = append(out, "+ "+l)
		}
	}
	return strings.Join(out, "\n")
}

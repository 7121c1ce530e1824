package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tafel-met/tafel/server/store"
	"github.com/tafel-met/tafel/server/store/storetest"
)

// Tampering needs the power of a database administrator: the tests drop the
// append-only triggers first, as such a person could.
func dropAuditTriggers(t *testing.T, s *store.Store) {
	t.Helper()
	stmts := []string{"DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete"}
	if s.Dialect() == store.Postgres {
		stmts = []string{"DROP TRIGGER audit_log_append_only ON audit_log"}
	}
	for _, q := range stmts {
		if err := store.ExecForTest(s, q); err != nil {
			t.Fatal(err)
		}
	}
}

func auditFixture(t *testing.T, s *store.Store) {
	t.Helper()
	ctx := context.Background()
	for i, org := range []string{"org-a", "org-b", "org-a", "org-a", "org-a"} {
		if err := s.Audit(ctx, store.AuditEntry{OrganisationID: org, ActorType: "user", ActorID: "u1", ActorRole: "coordinator",
			Action: store.AuditRead, ObjectType: "meeting", ObjectID: "m1", FamilyID: "f1", Address: "127.0.0.1",
			UserAgent: "test", At: time.Date(2026, 11, 24, 10, i, 0, 0, time.UTC)}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestAuditVerify(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			cases := []struct {
				name   string
				tamper string // SQL run after dropping the triggers
				want   string // a phrase of the problem reported
			}{
				{"OK", "", ""},
				{"Changed", "UPDATE audit_log SET actor_id = 'someone-else' WHERE organisation_id = 'org-a' AND chain_seq = 2", "contents do not match"},
				{"Removed", "DELETE FROM audit_log WHERE organisation_id = 'org-a' AND chain_seq = 2", "missing"},
				{"Inserted", "INSERT INTO audit_log (organisation_id, chain_seq, at, actor_type, actor_id, actor_role, on_behalf_of, action, object_type, object_id, family_id, outcome, detail, address, user_agent, prev_hash, hash) " +
					"SELECT organisation_id, 99, at, actor_type, 'intruder', actor_role, on_behalf_of, action, object_type, object_id, family_id, outcome, detail, address, user_agent, 'x', 'y' FROM audit_log WHERE organisation_id = 'org-a' AND chain_seq = 4", "link"},
			}
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					s := storetest.Open(t, d)
					auditFixture(t, s)
					if c.tamper != "" {
						dropAuditTriggers(t, s)
						if err := store.ExecForTest(s, c.tamper); err != nil {
							t.Fatal(err)
						}
					}
					checked, problems, err := s.VerifyAudit(context.Background())
					if err != nil {
						t.Fatal(err)
					}
					if c.want == "" {
						if len(problems) != 0 || checked != 5 {
							t.Fatalf("untouched log: %d checked, problems %v", checked, problems)
						}
						return
					}
					found := false
					for _, p := range problems {
						found = found || (p.OrganisationID == "org-a" && strings.Contains(p.Problem, c.want))
						if p.OrganisationID == "org-b" {
							t.Fatalf("org-b's untouched chain reported: %v", p)
						}
					}
					if !found {
						t.Fatalf("problems = %v, want one with %q", problems, c.want)
					}
				})
			}
		})
	}
}

func TestAuditAppendOnly(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			s := storetest.Open(t, d)
			auditFixture(t, s)
			if err := store.ExecForTest(s, "UPDATE audit_log SET actor_id = 'x'"); err == nil {
				t.Fatal("the application could update audit rows")
			}
			if err := store.ExecForTest(s, "DELETE FROM audit_log"); err == nil {
				t.Fatal("the application could delete audit rows")
			}
			if _, problems, _ := s.VerifyAudit(context.Background()); len(problems) != 0 {
				t.Fatalf("problems after refused changes: %v", problems)
			}
		})
	}
}

// A sign-in and its audit row commit together: when the audit row cannot be
// written, no session is left behind, and a sign-out that cannot be recorded
// leaves the session in place.
func TestSessionAndItsAuditCommitTogether(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		org, u, err := s.CreateOrganisationWithAdmin(ctx, "Gemeente Voorbeeld", store.User{Email: "anna@example.org", Name: "Anna", Role: "admin"})
		if err != nil {
			t.Fatal(err)
		}
		login := func(action string) store.AuditEntry {
			return store.AuditEntry{OrganisationID: org.ID, ActorType: "user", ActorID: u.ID, ActorRole: u.Role,
				Action: action, ObjectType: "account", ObjectID: u.ID}
		}
		sessions := func() int64 {
			n, err := store.CountInOrganisationForTest(s, org.ID, `SELECT count(*) FROM sessions`)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		sess := store.Session{UserID: u.ID, OrganisationID: org.ID, ExpiresAt: time.Now().Add(time.Hour)}

		allow := refuseAuditRows(t, s)
		if err := s.CreateSession(ctx, "hash-1", sess, login(store.AuditLogin)); err == nil {
			t.Fatal("a sign-in whose audit row failed was accepted")
		}
		if n := sessions(); n != 0 {
			t.Fatalf("%d sessions after a sign-in whose audit row failed, want 0", n)
		}
		allow()
		if err := s.CreateSession(ctx, "hash-1", sess, login(store.AuditLogin)); err != nil {
			t.Fatal(err)
		}

		allow = refuseAuditRows(t, s)
		if err := s.DeleteSession(ctx, org.ID, "hash-1", login(store.AuditLogout)); err == nil {
			t.Fatal("a sign-out whose audit row failed was accepted")
		}
		if n := sessions(); n != 1 {
			t.Fatalf("%d sessions after a sign-out whose audit row failed, want 1", n)
		}
		allow()
		if err := s.DeleteSession(ctx, org.ID, "hash-1", login(store.AuditLogout)); err != nil {
			t.Fatal(err)
		}
		if n := sessions(); n != 0 {
			t.Fatalf("%d sessions after sign-out, want 0", n)
		}
		for _, action := range []string{store.AuditLogin, store.AuditLogout} {
			n, err := store.CountInOrganisationForTest(s, org.ID, `SELECT count(*) FROM audit_log WHERE action = ?`, action)
			if err != nil {
				t.Fatal(err)
			}
			if n != 1 {
				t.Fatalf("%d audit rows of %q, want 1 (the refused attempts left none)", n, action)
			}
		}
	})
}

package store_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/store"
	"github.com/tafel-met/tafel/server/store/storetest"
)

// tenant is one organisation's data, in every table row-level security guards.
type tenant struct {
	org   store.Organisation
	info  store.MeetingInfo
	token string // a participant's secret
}

func rlsTenant(t *testing.T, s *store.Store) tenant {
	t.Helper()
	org, info := fixture(t, s)
	m, _, err := s.LoadMeeting(ctx, info.ID)
	if err != nil {
		t.Fatal(err)
	}
	token := store.NewToken()
	audit := store.AuditEntry{ActorType: "participant", ActorRole: "participant", Action: store.AuditCreate}
	if _, err := storetest.Execute(ctx, s, info.ID, store.CommandKey{Actor: "joiner", ID: "j1"}, decide("participant.join",
		`{"name":"Sanne","partyId":"`+m.Parties[0].ID+`"}`, meeting.Actor{Role: meeting.RoleJoiner}), store.HashToken(token), audit); err != nil {
		t.Fatal(err)
	}
	users, err := s.ListUsers(ctx, org.ID)
	if err != nil || len(users) != 1 {
		t.Fatalf("users = %v, %v", users, err)
	}
	if err := s.CreateSession(ctx, store.HashToken(store.NewToken()), store.Session{UserID: users[0].ID, OrganisationID: org.ID,
		ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateSetupToken(ctx, store.HashToken(store.NewToken()), users[0].ID, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := store.ExecForTest(s, fmt.Sprintf(`INSERT INTO plan_versions (meeting_id, number, closed_at, data)
		VALUES ('%s', 1, now(), '{}')`, info.ID)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateChildCode(ctx, org.ID, info.ID, time.Hour, codeAudit(store.AuditCreate)); err != nil {
		t.Fatal(err)
	}
	return tenant{org: org, info: info, token: token}
}

// count is a test's count query; it fails the test on an error.
func count(t *testing.T, s *store.Store, orgID, query string, args ...any) int64 {
	t.Helper()
	n, err := store.CountInOrganisationForTest(s, orgID, query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// TestRowLevelSecurity shows the second wall: a query that forgets the
// organisation scope still sees only the organisation its transaction is for,
// when Tafel runs as a role that is not a superuser.
func TestRowLevelSecurity(t *testing.T) {
	s := storetest.OpenAsApp(t)
	a, b := rlsTenant(t, s), rlsTenant(t, s)
	// A link to set up the first account belongs to no organisation.
	firstSetup := store.NewToken()
	if err := s.CreateSetupToken(ctx, store.HashToken(firstSetup), "", time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}

	t.Run("AppRoleIsBound", func(t *testing.T) {
		if n := count(t, s, "", `SELECT count(*) FROM pg_roles WHERE rolname = current_user AND (rolsuper OR rolbypassrls)`); n != 0 {
			t.Fatal("the test role bypasses row-level security: this test would prove nothing")
		}
	})

	ofMeeting := "meeting_id IN (SELECT id FROM meetings WHERE organisation_id = ?)"
	tables := []struct{ table, mine string }{
		{"organisations", "id = ?"},
		{"users", "organisation_id = ?"},
		{"sessions", "organisation_id = ?"},
		{"setup_tokens", "user_id IN (SELECT id FROM users WHERE organisation_id = ?)"},
		{"families", "organisation_id = ?"},
		{"meetings", "organisation_id = ?"},
		{"meeting_events", ofMeeting},
		{"meeting_commands", ofMeeting},
		{"participants", ofMeeting},
		{"plan_versions", ofMeeting},
		{"child_codes", ofMeeting},
		{"audit_log", "organisation_id = ?"},
	}
	t.Run("QueryWithoutScopeSeesOneOrganisation", func(t *testing.T) {
		for _, tc := range tables {
			t.Run(tc.table, func(t *testing.T) {
				all := count(t, s, "", "SELECT count(*) FROM "+tc.table)
				for _, ten := range []tenant{a, b} {
					want := count(t, s, "", "SELECT count(*) FROM "+tc.table+" WHERE "+tc.mine, ten.org.ID)
					got := count(t, s, ten.org.ID, "SELECT count(*) FROM "+tc.table)
					if want == 0 || want >= all {
						t.Fatalf("fixture: organisation has %d of %d rows", want, all)
					}
					if got != want {
						t.Errorf("inside its organisation a query sees %d rows, want its own %d (of %d)", got, want, all)
					}
				}
			})
		}
	})

	t.Run("WritesStayInTheOrganisation", func(t *testing.T) {
		changes := []string{
			"UPDATE families SET label = 'x' WHERE organisation_id = ?",
			"UPDATE organisations SET retention_days = 1 WHERE id = ?",
			"DELETE FROM sessions WHERE organisation_id = ?",
			"DELETE FROM meeting_events WHERE " + ofMeeting,
			"DELETE FROM participants WHERE " + ofMeeting,
			"DELETE FROM child_codes WHERE " + ofMeeting,
		}
		for _, q := range changes {
			if n, err := store.ExecInOrganisationForTest(s, a.org.ID, q, b.org.ID); err != nil || n != 0 {
				t.Errorf("%s for the other organisation: %d rows, %v", q, n, err)
			}
		}
		_, err := store.ExecInOrganisationForTest(s, a.org.ID,
			"INSERT INTO families (id, organisation_id, label, created_at) VALUES ('planted', ?, 'x', now())", b.org.ID)
		if err == nil || !strings.Contains(err.Error(), "row-level security") {
			t.Errorf("a row for the other organisation was written: %v", err)
		}
		if f, err := s.FindFamily(ctx, b.org.ID, b.info.FamilyID); err != nil || f.Label != "Gezin J." {
			t.Errorf("other organisation's family = %+v, %v", f, err)
		}
		if evs, _ := s.EventsSince(ctx, b.info.ID, 0, 100); len(evs) == 0 {
			t.Error("other organisation's events were deleted")
		}
	})

	t.Run("SystemWorkSeesEveryOrganisation", func(t *testing.T) {
		for _, ten := range []tenant{a, b} {
			if info, err := s.FindMeetingByJoinCode(ctx, ten.info.JoinCode); err != nil || info.ID != ten.info.ID {
				t.Errorf("join code: %+v, %v", info, err)
			}
			if pt, err := s.FindParticipantByToken(ctx, store.HashToken(ten.token)); err != nil || pt.OrganisationID != ten.org.ID {
				t.Errorf("participant token: %+v, %v", pt, err)
			}
		}
		if userID, err := s.UseSetupToken(ctx, store.HashToken(firstSetup)); err != nil || userID != "" {
			t.Errorf("first setup link: %q, %v", userID, err)
		}
		checked, problems, err := s.VerifyAudit(ctx)
		if all := count(t, s, "", "SELECT count(*) FROM audit_log"); err != nil || len(problems) != 0 || int64(checked) != all {
			t.Errorf("audit verify checked %d of %d rows: %v, %v", checked, all, problems, err)
		}
		if err := store.ExecForTest(s, "UPDATE meetings SET closed_at = '2026-01-01T00:00:00Z'"); err != nil {
			t.Fatal(err)
		}
		due, err := s.DueForPurge(ctx, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), 30)
		if err != nil {
			t.Fatal(err)
		}
		for _, ten := range []tenant{a, b} {
			if !slices.ContainsFunc(due, func(p store.Purged) bool { return p.MeetingID == ten.info.ID }) {
				t.Errorf("purge misses organisation %s's meeting: %+v", ten.org.Name, due)
			}
		}
	})

	t.Run("NoOrganisationIsRefused", func(t *testing.T) {
		// An empty setting would mean "every organisation" to the policies.
		if _, err := s.ListFamilies(ctx, ""); err == nil || errors.Is(err, store.ErrNotFound) {
			t.Errorf("organisation work without an organisation: %v", err)
		}
	})
}

// TestSuperuserBypassesRowLevelSecurity pins why docs/security.md says to run
// Tafel as a role that is not a superuser: Postgres never binds a superuser.
func TestSuperuserBypassesRowLevelSecurity(t *testing.T) {
	s := storetest.Open(t, store.Postgres)
	if count(t, s, "", `SELECT count(*) FROM pg_roles WHERE rolname = current_user AND rolsuper`) == 0 {
		t.Skip("the test database user is not a superuser")
	}
	a, _ := rlsTenant(t, s), rlsTenant(t, s)
	if n := count(t, s, a.org.ID, "SELECT count(*) FROM families"); n != 2 {
		t.Fatalf("a superuser sees %d families inside one organisation, want both organisations' 2", n)
	}
}

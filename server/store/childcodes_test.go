package store_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/store"
	"github.com/tafel-met/tafel/server/store/storetest"
)

// TestChildCodes: a child code belongs to one meeting of one organisation, is no
// join code, is revoked once, is bounded per meeting, and goes with its family.
func TestChildCodes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		org, info := fixture(t, s)
		other, otherInfo := fixture(t, s)
		cc, err := s.CreateChildCode(ctx, org.ID, info.ID, time.Hour, codeAudit(store.AuditCreate))
		if err != nil {
			t.Fatal(err)
		}
		if len(cc.Code) != store.JoinCodeLength || cc.Code == info.JoinCode || !strings.HasPrefix(cc.ChildID, meeting.ChildCodeIDPrefix) ||
			cc.MeetingID != info.ID || cc.RevokedAt != nil || !cc.ExpiresAt.After(cc.CreatedAt) {
			t.Fatalf("child code = %+v", cc)
		}
		t.Run("FoundByCodeOnly", func(t *testing.T) {
			if got, err := s.FindChildCode(ctx, cc.Code); err != nil || got.ID != cc.ID || got.ChildID != cc.ChildID {
				t.Fatalf("find = %+v, %v", got, err)
			}
			if _, err := s.FindChildCode(ctx, info.JoinCode); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("a join code found a child code: %v", err)
			}
			if _, err := s.FindMeetingByJoinCode(ctx, cc.Code); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("a child code found a meeting by join code: %v", err)
			}
		})
		t.Run("ErrOtherOrganisation", func(t *testing.T) {
			if _, err := s.CreateChildCode(ctx, other.ID, info.ID, time.Hour, codeAudit(store.AuditCreate)); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("another organisation made a code for this meeting: %v", err)
			}
			if list, err := s.ListChildCodes(ctx, other.ID, info.ID); err != nil || len(list) != 0 {
				t.Fatalf("another organisation lists %v, %v", list, err)
			}
			if _, err := s.RevokeChildCode(ctx, other.ID, info.ID, cc.ID, codeAudit(store.AuditDelete)); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("another organisation revoked it: %v", err)
			}
			if _, err := s.RevokeChildCode(ctx, other.ID, otherInfo.ID, cc.ID, codeAudit(store.AuditDelete)); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("revoked through another meeting: %v", err)
			}
		})
		t.Run("RevokeOnce", func(t *testing.T) {
			r1, err := s.RevokeChildCode(ctx, org.ID, info.ID, cc.ID, codeAudit(store.AuditDelete))
			if err != nil || r1.RevokedAt == nil {
				t.Fatalf("revoke = %+v, %v", r1, err)
			}
			r2, err := s.RevokeChildCode(ctx, org.ID, info.ID, cc.ID, codeAudit(store.AuditDelete))
			if err != nil || r2.RevokedAt == nil || !r2.RevokedAt.Equal(*r1.RevokedAt) {
				t.Fatalf("revoking again changed it: %+v, %v", r2, err)
			}
			if got, _ := s.FindChildCode(ctx, cc.Code); got.RevokedAt == nil {
				t.Fatal("a revoked code is found as active")
			}
		})
		t.Run("ErrTooMany", func(t *testing.T) {
			for i := 1; i < store.MaxChildCodes; i++ {
				if _, err := s.CreateChildCode(ctx, org.ID, info.ID, time.Hour, codeAudit(store.AuditCreate)); err != nil {
					t.Fatalf("code %d: %v", i+1, err)
				}
			}
			if _, err := s.CreateChildCode(ctx, org.ID, info.ID, time.Hour, codeAudit(store.AuditCreate)); !errors.Is(err, store.ErrTooManyChildCodes) {
				t.Fatalf("code %d: %v", store.MaxChildCodes+1, err)
			}
			if list, _ := s.ListChildCodes(ctx, org.ID, info.ID); len(list) != store.MaxChildCodes || list[0].ID != cc.ID {
				t.Fatalf("listed %d codes, first %v", len(list), list[0].ID)
			}
		})
		t.Run("ErasedWithTheFamily", func(t *testing.T) {
			if _, err := s.EraseFamily(ctx, org.ID, info.FamilyID, store.AuditEntry{OrganisationID: org.ID, ActorType: "user", ActorID: "u1",
				Action: store.AuditDelete}); err != nil {
				t.Fatal(err)
			}
			if _, err := s.FindChildCode(ctx, cc.Code); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("a child code outlived its family: %v", err)
			}
		})
	})
}

// codeAudit is a coordinator's audit entry for making or revoking a child code.
func codeAudit(action string) store.AuditEntry {
	return store.AuditEntry{ActorType: "user", ActorID: "u1", ActorRole: "coordinator", Action: action, Detail: "child_code." + action}
}

// refuseAuditRows makes the audit log refuse every new row, as a full disk
// would, until the returned allow is called.
func refuseAuditRows(t *testing.T, s *store.Store) (allow func()) {
	t.Helper()
	refuse := `CREATE TRIGGER audit_refused BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'refused'); END`
	drop := `DROP TRIGGER audit_refused`
	if s.Dialect() == store.Postgres {
		refuse = `CREATE OR REPLACE FUNCTION audit_refused() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$;
			CREATE TRIGGER audit_refused BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_refused()`
		drop = `DROP TRIGGER audit_refused ON audit_log`
	}
	if err := store.ExecForTest(s, refuse); err != nil {
		t.Fatal(err)
	}
	return func() {
		t.Helper()
		if err := store.ExecForTest(s, drop); err != nil {
			t.Fatal(err)
		}
	}
}

// TestChildCodeAndItsAuditCommitTogether: making or revoking a child code and
// its audit row commit together. When the audit row cannot be written, no code
// is made and a code stays active; otherwise the row names the code and its
// family, so the family's audit shows it.
func TestChildCodeAndItsAuditCommitTogether(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		org, info := fixture(t, s)
		count := func(query string, args ...any) int64 {
			t.Helper()
			n, err := store.CountInOrganisationForTest(s, org.ID, query, args...)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		codes := func() int64 { return count(`SELECT count(*) FROM child_codes WHERE meeting_id = ?`, info.ID) }
		audited := func(detail, codeID string) int64 {
			return count(`SELECT count(*) FROM audit_log WHERE detail = ? AND object_type = 'child_code' AND object_id = ? AND family_id = ?`,
				detail, codeID, info.FamilyID)
		}

		cc, err := s.CreateChildCode(ctx, org.ID, info.ID, time.Hour, codeAudit(store.AuditCreate))
		if err != nil {
			t.Fatal(err)
		}
		if n := audited("child_code.create", cc.ID); n != 1 {
			t.Fatalf("%d audit rows of the new code, want 1", n)
		}

		allow := refuseAuditRows(t, s)
		if _, err := s.CreateChildCode(ctx, org.ID, info.ID, time.Hour, codeAudit(store.AuditCreate)); err == nil {
			t.Fatal("a child code whose audit row failed was made")
		}
		if n := codes(); n != 1 {
			t.Fatalf("%d child codes after a creation whose audit row failed, want the 1 made before", n)
		}
		if _, err := s.RevokeChildCode(ctx, org.ID, info.ID, cc.ID, codeAudit(store.AuditDelete)); err == nil {
			t.Fatal("a revocation whose audit row failed was accepted")
		}
		if got, err := s.FindChildCode(ctx, cc.Code); err != nil || got.RevokedAt != nil {
			t.Fatalf("after a revocation whose audit row failed: %+v, %v; want the code active", got, err)
		}
		allow()

		if r, err := s.RevokeChildCode(ctx, org.ID, info.ID, cc.ID, codeAudit(store.AuditDelete)); err != nil || r.RevokedAt == nil {
			t.Fatalf("revoke = %+v, %v", r, err)
		}
		if n := audited("child_code.delete", cc.ID); n != 1 {
			t.Fatalf("%d audit rows of the revocation, want 1", n)
		}
		log, err := s.FamilyAudit(ctx, org.ID, info.FamilyID, 100)
		if err != nil {
			t.Fatal(err)
		}
		var inFamilyLog int
		for _, r := range log {
			if r.ObjectType == "child_code" && r.ObjectID == cc.ID {
				inFamilyLog++
			}
		}
		if inFamilyLog != 2 {
			t.Fatalf("the family's audit shows %d rows of the code, want 2 (made, revoked)", inFamilyLog)
		}
		if _, problems, err := s.VerifyAudit(ctx); err != nil || len(problems) != 0 {
			t.Fatalf("audit chains: %v %v", problems, err)
		}
	})
}

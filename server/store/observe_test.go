package store_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tafel-met/tafel/server/store"
	"github.com/tafel-met/tafel/server/store/storetest"
)

type countingObserver struct{ dbErrors, auditWrites atomic.Int64 }

func (o *countingObserver) DBError()          { o.dbErrors.Add(1) }
func (o *countingObserver) AuditWrites(n int) { o.auditWrites.Add(int64(n)) }

// TestObserve shows the observer hears of each audit record and of a database
// fault, and not of answers such as a missing row or a duplicate.
func TestObserve(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		o := &countingObserver{}
		s.Observe(o)
		ctx := context.Background()
		for i := range 3 {
			if err := s.Audit(ctx, store.AuditEntry{OrganisationID: "org-a", ActorType: "user", ActorID: "u1", ActorRole: "coordinator",
				Action: store.AuditRead, ObjectType: "meeting", ObjectID: "m1", FamilyID: "f1", Address: "127.0.0.1",
				At: time.Date(2026, 11, 24, 10, i, 0, 0, time.UTC)}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.FindUserByEmail(ctx, "nobody@example.org"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("missing user: %v", err)
		}
		org, _, err := s.CreateOrganisationWithAdmin(ctx, "Gemeente Voorbeeld", store.User{Email: "a@example.org", Name: "A", Role: "admin"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateUser(ctx, store.User{OrganisationID: org.ID, Email: "a@example.org", Name: "B", Role: "coordinator"}); !errors.Is(err, store.ErrDuplicate) {
			t.Fatalf("second account with one email: %v", err)
		}
		if n := o.dbErrors.Load(); n != 0 {
			t.Fatalf("%d database errors counted for answers", n)
		}
		if err := store.ExecForTest(s, "SELECT * FROM no_such_table"); err == nil {
			t.Fatal("query on a missing table worked")
		}
		if n := o.dbErrors.Load(); n != 1 {
			t.Fatalf("database errors = %d, want 1", n)
		}
		checked, _, err := s.VerifyAudit(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n := o.auditWrites.Load(); n != int64(checked) || n < 3 {
			t.Fatalf("audit writes counted = %d, the audit log holds %d", n, checked)
		}
	})
}

package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/store"
	"github.com/tafel-met/tafel/server/store/storetest"
)

// TestMeetingsCommitConcurrently: two meetings of one organisation, both
// audited. While meeting A's commit holds its transaction open (its events
// and audit rows written, waiting on a lock the test holds), meeting B's
// commit goes through: nothing of an organisation serialises its meetings.
func TestMeetingsCommitConcurrently(t *testing.T) {
	s := storetest.Open(t, store.Postgres)
	org, a := fixture(t, s)
	fam, err := s.CreateFamily(ctx, org.ID, "Gezin K.")
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.CreateMeeting(ctx, store.NewMeeting{OrganisationID: org.ID, FamilyID: fam.ID, Title: "Top-3-gesprek", Date: "2026-12-02"},
		func(m *meeting.Meeting) (*meeting.Meeting, []meeting.Event, error) {
			return m.PrepareParties([]meeting.NewParty{{Name: "Vader", Kind: meeting.KindFamily}})
		})
	if err != nil {
		t.Fatal(err)
	}
	lock := func(id string) meeting.Commit {
		t.Helper()
		st, err := s.OpenMeeting(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		next, events, err := st.Meeting.Decide(meeting.Command{Name: "meeting.lock", Data: []byte(`{}`),
			Actor: meeting.Actor{Role: meeting.RoleCoordinator}, Now: time.Now()})
		if err != nil {
			t.Fatal(err)
		}
		return meeting.Commit{OrganisationID: org.ID, FamilyID: st.Info.FamilyID, MeetingID: id, FromSeq: st.Meeting.Seq,
			AuditFrom: st.Audit, Events: events, Phase: next.Phase,
			Audit: []meeting.AuditEntry{{ActorType: "user", ActorID: "u1", Action: store.AuditUpdate, Detail: "meeting.lock"}}}
	}
	commitA, commitB := lock(a.ID), lock(b.ID)

	// The test's own session holds the lock that A's commit waits on last.
	held, err := store.PoolForTest(s).Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Release()
	if _, err := held.Exec(ctx, `SELECT pg_advisory_lock(4242)`); err != nil {
		t.Fatal(err)
	}
	store.HoldCommitForTest(s, func(id string) string {
		if id == a.ID {
			return `SELECT pg_advisory_xact_lock_shared(4242)`
		}
		return ""
	})
	doneA := make(chan error, 1)
	go func() {
		res, err := s.Commit(ctx, commitA)
		if err == nil && res.Stale {
			t.Errorf("A's commit is stale")
		}
		doneA <- err
	}()
	// Wait until A's transaction is open and waiting (a state, not a time).
	for {
		var waiting int
		if err := held.QueryRow(ctx, `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 4242 AND NOT granted`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting == 1 {
			break
		}
		select {
		case err := <-doneA:
			t.Fatalf("A's commit ended before it was held: %v", err)
		case <-time.After(10 * time.Millisecond):
		}
	}
	bctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	res, err := s.Commit(bctx, commitB)
	if err != nil || res.Stale {
		t.Fatalf("B's commit while A's transaction is open: %+v, %v", res, err)
	}
	select {
	case err := <-doneA:
		t.Fatalf("A's commit ended while held: %v", err)
	default:
	}
	if _, err := held.Exec(ctx, `SELECT pg_advisory_unlock(4242)`); err != nil {
		t.Fatal(err)
	}
	if err := <-doneA; err != nil {
		t.Fatalf("A's commit after release: %v", err)
	}
	for _, id := range []string{a.ID, b.ID} {
		st, err := s.OpenMeeting(ctx, id)
		if err != nil || !st.Meeting.Locked || st.Audit.Seq != 1 {
			t.Fatalf("meeting %s after both commits: locked %v, audit head %+v, %v", id, st.Meeting.Locked, st.Audit, err)
		}
	}
	if _, problems, err := s.VerifyAudit(ctx); err != nil || len(problems) != 0 {
		t.Fatalf("audit chains: %v %v", problems, err)
	}
}

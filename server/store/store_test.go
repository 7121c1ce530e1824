package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/store"
	"github.com/tafel-met/tafel/server/store/storetest"
)

var ctx = context.Background()

var fixtures int

// fixture creates an organisation, a family and a meeting with two parties.
func fixture(t *testing.T, s *store.Store) (store.Organisation, store.MeetingInfo) {
	t.Helper()
	fixtures++
	org, _, err := s.CreateOrganisationWithAdmin(ctx, fmt.Sprintf("Gemeente Voorbeeld %d", fixtures),
		store.User{Email: fmt.Sprintf("coordinator%d@example.org", fixtures), Name: "Coördinator", PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	fam, err := s.CreateFamily(ctx, org.ID, "Gezin J.")
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.CreateMeeting(ctx, store.NewMeeting{OrganisationID: org.ID, FamilyID: fam.ID, Title: "Top-3-gesprek", Date: "2026-12-01"},
		func(m *meeting.Meeting) (*meeting.Meeting, []meeting.Event, error) {
			return m.PrepareParties([]meeting.NewParty{{Name: "Moeder", Kind: meeting.KindFamily}, {Name: "Veilig Thuis", Kind: meeting.KindProfessional}})
		})
	if err != nil {
		t.Fatal(err)
	}
	return org, info
}

func decide(name, data string, actor meeting.Actor) func(*meeting.Meeting) (*meeting.Meeting, []meeting.Event, error) {
	return func(m *meeting.Meeting) (*meeting.Meeting, []meeting.Event, error) {
		return m.Decide(meeting.Command{Name: name, Data: []byte(data), Actor: actor, Now: time.Now()})
	}
}

func TestMigrations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		if err := s.Ready(ctx); err != nil {
			t.Fatalf("fresh store not ready: %v", err)
		}
		for v, _ := s.Version(ctx); v > 0; v, _ = s.Version(ctx) {
			if err := s.MigrateDown(ctx); err != nil {
				t.Fatalf("down from %d: %v", v, err)
			}
		}
		if v, _ := s.Version(ctx); v != 0 {
			t.Fatalf("version after down = %d", v)
		}
		if err := s.Ready(ctx); err == nil {
			t.Fatal("store without schema says ready")
		}
		if err := s.Migrate(ctx); err != nil {
			t.Fatalf("up again: %v", err)
		}
		if err := s.Ready(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

func TestCommit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		_, info := fixture(t, s)
		st, err := s.OpenMeeting(ctx, info.ID)
		if err != nil {
			t.Fatal(err)
		}
		m := st.Meeting
		if len(m.Parties) != 2 || m.Seq != 2 || st.Audit.Seq != 0 {
			t.Fatalf("loaded meeting: seq %d, parties %v, audit head %+v", m.Seq, m.Parties, st.Audit)
		}
		coord := meeting.Actor{Role: meeting.RoleCoordinator}
		audit := store.AuditEntry{ActorType: "user", ActorID: "u1", ActorRole: "coordinator", Action: store.AuditUpdate, Detail: "meeting.lock"}
		// commitOf decides cmd on the stored meeting at (seq, head) as the application does.
		commitOf := func(at *meeting.Meeting, head meeting.ChainHead, name string, key store.CommandKey) (meeting.Commit, *meeting.Meeting) {
			t.Helper()
			next, events, err := at.Decide(meeting.Command{Name: name, Data: []byte(`{}`), Actor: coord, Now: time.Now()})
			if err != nil {
				t.Fatal(err)
			}
			c := meeting.Commit{OrganisationID: info.OrganisationID, FamilyID: info.FamilyID, MeetingID: info.ID, FromSeq: at.Seq,
				AuditFrom: head, Events: events, Phase: next.Phase, Audit: []meeting.AuditEntry{audit}}
			if key.ID != "" {
				c.Commands = []meeting.StoredCommand{{Key: key, Seq: next.Seq}}
			}
			return c, next
		}
		locked, lockedState := commitOf(m, st.Audit, "meeting.lock", store.CommandKey{Actor: "u:1", ID: "c1"})
		var head meeting.ChainHead
		t.Run("OK", func(t *testing.T) {
			res, err := s.Commit(ctx, locked)
			if err != nil || res.Stale || len(res.Duplicates) != 0 || res.Head.Seq != 1 || res.Head.Hash == "" {
				t.Fatalf("res = %+v, %v", res, err)
			}
			head = res.Head
			again, err := s.OpenMeeting(ctx, info.ID)
			if err != nil || !again.Meeting.Locked || again.Meeting.Seq != 3 || again.Audit != head {
				t.Fatalf("stored: locked %v seq %d head %+v (%v)", again.Meeting.Locked, again.Meeting.Seq, again.Audit, err)
			}
		})
		t.Run("Duplicate", func(t *testing.T) {
			// The same command id, decided again on the new state: stored before at seq 3.
			c, _ := commitOf(lockedState, head, "meeting.unlock", store.CommandKey{Actor: "u:1", ID: "c1"})
			res, err := s.Commit(ctx, c)
			if err != nil || res.Duplicates[store.CommandKey{Actor: "u:1", ID: "c1"}] != 3 {
				t.Fatalf("res = %+v, %v", res, err)
			}
			again, _ := s.OpenMeeting(ctx, info.ID)
			if !again.Meeting.Locked || again.Meeting.Seq != 3 || again.Audit != head {
				t.Fatalf("duplicate changed state: locked %v seq %d head %+v", again.Meeting.Locked, again.Meeting.Seq, again.Audit)
			}
		})
		t.Run("StaleSeq", func(t *testing.T) {
			// Decided on seq 2, as an instance that did not see the lock would.
			c, _ := commitOf(m, head, "meeting.lock", store.CommandKey{Actor: "u:2", ID: "c2"})
			if res, err := s.Commit(ctx, c); err != nil || !res.Stale {
				t.Fatalf("res = %+v, %v", res, err)
			}
		})
		t.Run("StaleAuditHead", func(t *testing.T) {
			// The right seq but an old audit head: another instance audited an access.
			c, _ := commitOf(lockedState, st.Audit, "meeting.unlock", store.CommandKey{Actor: "u:2", ID: "c3"})
			if res, err := s.Commit(ctx, c); err != nil || !res.Stale {
				t.Fatalf("res = %+v, %v", res, err)
			}
			again, _ := s.OpenMeeting(ctx, info.ID)
			evs, _ := s.EventsSince(ctx, info.ID, 0, 100)
			if again.Meeting.Seq != 3 || len(evs) != 3 || again.Audit != head {
				t.Fatalf("stale commits stored something: seq %d, %d events, head %+v", again.Meeting.Seq, len(evs), again.Audit)
			}
			if seq, found, err := s.FindCommand(ctx, info.ID, store.CommandKey{Actor: "u:2", ID: "c3"}); found || err != nil {
				t.Fatalf("stale commit's command id stored at %d (%v)", seq, err)
			}
		})
		t.Run("JoinStoresToken", func(t *testing.T) {
			if _, err := storetest.Execute(ctx, s, info.ID, store.CommandKey{Actor: "u:1", ID: "c5"},
				decide("meeting.unlock", `{}`, coord), "", audit); err != nil {
				t.Fatal(err)
			}
			res, err := storetest.Execute(ctx, s, info.ID, store.CommandKey{}, decide("participant.join",
				`{"name":"Sanne","partyId":"`+m.Parties[0].ID+`"}`, meeting.Actor{Role: meeting.RoleJoiner}), store.HashToken("secret"),
				store.AuditEntry{ActorType: "participant", Action: store.AuditCreate})
			if err != nil {
				t.Fatal(err)
			}
			pt, err := s.FindParticipantByToken(ctx, store.HashToken("secret"))
			if err != nil || pt.MeetingID != info.ID || pt.Status != meeting.StatusPending {
				t.Fatalf("token = %+v, %v", pt, err)
			}
			pid := res.Meeting.Participants[0].ID
			if _, err := storetest.Execute(ctx, s, info.ID, store.CommandKey{Actor: "coordinator", ID: "c4"}, decide("participant.remove",
				`{"participantId":"`+pid+`"}`, meeting.Actor{Role: meeting.RoleCoordinator}), "", audit); err != nil {
				t.Fatal(err)
			}
			pt, _ = s.FindParticipantByToken(ctx, store.HashToken("secret"))
			if pt.Status != meeting.StatusRemoved {
				t.Fatalf("status after remove = %s", pt.Status)
			}
		})
		t.Run("AuditChainVerifies", func(t *testing.T) {
			checked, problems, err := s.VerifyAudit(ctx)
			if err != nil || len(problems) != 0 || checked < 3 {
				t.Fatalf("verify: %d checked, %v, %v", checked, problems, err)
			}
		})
		t.Run("DuplicateOfSilent", func(t *testing.T) {
			// A command that changed nothing (unlocking an open meeting) is
			// stored at the meeting's seq; resent before the meeting moved, it
			// has that same seq and is still its first answer, not an error.
			now, err := s.OpenMeeting(ctx, info.ID)
			if err != nil || now.Meeting.Locked {
				t.Fatalf("meeting locked %v (%v); the test needs it open", now.Meeting.Locked, err)
			}
			key := store.CommandKey{Actor: "u:3", ID: "c6"}
			silent, _ := commitOf(now.Meeting, now.Audit, "meeting.unlock", key)
			if len(silent.Events) != 0 || silent.Commands[0].Seq != now.Meeting.Seq {
				t.Fatalf("unlocking an open meeting made %d events at seq %d", len(silent.Events), silent.Commands[0].Seq)
			}
			first, err := s.Commit(ctx, silent)
			if err != nil || first.Stale || len(first.Duplicates) != 0 {
				t.Fatalf("first: %+v, %v", first, err)
			}
			again, _ := commitOf(now.Meeting, first.Head, "meeting.unlock", key)
			res, err := s.Commit(ctx, again)
			if err != nil || res.Stale || res.Duplicates[key] != now.Meeting.Seq {
				t.Fatalf("resent: %+v, %v; want a duplicate of seq %d", res, err, now.Meeting.Seq)
			}
			after, _ := s.OpenMeeting(ctx, info.ID)
			if after.Meeting.Seq != now.Meeting.Seq || after.Audit != first.Head {
				t.Fatalf("the resend stored something: seq %d, head %+v (want %+v)", after.Meeting.Seq, after.Audit, first.Head)
			}
		})
	})
}

func TestTenantScoping(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		orgA, infoA := fixture(t, s)
		orgB, err := s.CreateFamily(ctx, orgA.ID, "Gezin K.")
		_ = orgB
		if err != nil {
			t.Fatal(err)
		}
		other, _, err := s.CreateOrganisationWithAdmin(ctx, "Andere gemeente", store.User{Email: "b@example.org", Name: "B", PasswordHash: "x"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.FindMeeting(ctx, other.ID, infoA.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("other organisation found meeting: %v", err)
		}
		if _, err := s.FindFamily(ctx, other.ID, infoA.FamilyID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("other organisation found family: %v", err)
		}
		list, _ := s.ListMeetings(ctx, other.ID)
		fams, _ := s.ListFamilies(ctx, other.ID)
		if len(list) != 0 || len(fams) != 0 {
			t.Fatalf("other organisation lists %d meetings, %d families", len(list), len(fams))
		}
		if _, err := s.CreateMeeting(ctx, store.NewMeeting{OrganisationID: other.ID, FamilyID: infoA.FamilyID}, nil); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("meeting for another organisation's family: %v", err)
		}
	})
}

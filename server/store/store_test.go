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

func decide(name, data string, actor meeting.Actor) store.Decider {
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

func TestExecute(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		_, info := fixture(t, s)
		m, _, err := s.LoadMeeting(ctx, info.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Parties) != 2 || m.Seq != 2 {
			t.Fatalf("loaded meeting: seq %d, parties %v", m.Seq, m.Parties)
		}
		t.Run("OK", func(t *testing.T) {
			res, err := s.Execute(ctx, info.ID, m.Clone(), store.CommandKey{Actor: "coordinator", ID: "c1"},
				decide("meeting.lock", `{}`, meeting.Actor{Role: meeting.RoleCoordinator}), "")
			if err != nil {
				t.Fatal(err)
			}
			if res.Seq != 3 || len(res.Events) != 1 || !res.Meeting.Locked {
				t.Fatalf("res = %+v", res)
			}
		})
		t.Run("Duplicate", func(t *testing.T) {
			res, err := s.Execute(ctx, info.ID, m, store.CommandKey{Actor: "coordinator", ID: "c1"},
				decide("meeting.unlock", `{}`, meeting.Actor{Role: meeting.RoleCoordinator}), "")
			if err != nil || !res.Duplicate || res.Seq != 3 {
				t.Fatalf("res = %+v, %v", res, err)
			}
			again, _, _ := s.LoadMeeting(ctx, info.ID)
			if !again.Locked || again.Seq != 3 {
				t.Fatalf("duplicate changed state: locked %v seq %d", again.Locked, again.Seq)
			}
		})
		t.Run("StaleCacheCatchesUp", func(t *testing.T) {
			// m is at seq 2; the store is at 3 (locked). Unlock must see the lock.
			res, err := s.Execute(ctx, info.ID, m.Clone(), store.CommandKey{Actor: "coordinator", ID: "c2"},
				decide("meeting.unlock", `{}`, meeting.Actor{Role: meeting.RoleCoordinator}), "")
			if err != nil || res.Seq != 4 || res.Meeting.Locked {
				t.Fatalf("res = %+v, %v", res, err)
			}
		})
		t.Run("ErrRefusedChangesNothing", func(t *testing.T) {
			_, err := s.Execute(ctx, info.ID, nil, store.CommandKey{Actor: "coordinator", ID: "c3"},
				decide("phase.set", `{"phase":"plan"}`, meeting.Actor{Role: meeting.RoleCoordinator}), "")
			if meeting.ErrorCode(err) != meeting.ECodeConflict {
				t.Fatalf("err = %v", err)
			}
			again, _, _ := s.LoadMeeting(ctx, info.ID)
			if again.Seq != 4 {
				t.Fatalf("seq = %d after refused command", again.Seq)
			}
			evs, _ := s.EventsSince(ctx, info.ID, 0, 100)
			if len(evs) != 4 {
				t.Fatalf("events = %d", len(evs))
			}
		})
		t.Run("JoinStoresToken", func(t *testing.T) {
			res, err := s.Execute(ctx, info.ID, nil, store.CommandKey{}, decide("participant.join",
				`{"name":"Sanne","partyId":"`+m.Parties[0].ID+`"}`, meeting.Actor{Role: meeting.RoleJoiner}), store.HashToken("secret"))
			if err != nil {
				t.Fatal(err)
			}
			pt, err := s.FindParticipantByToken(ctx, store.HashToken("secret"))
			if err != nil || pt.MeetingID != info.ID || pt.Status != meeting.StatusPending {
				t.Fatalf("token = %+v, %v", pt, err)
			}
			pid := res.Meeting.Participants[0].ID
			if _, err := s.Execute(ctx, info.ID, res.Meeting, store.CommandKey{Actor: "coordinator", ID: "c4"}, decide("participant.remove",
				`{"participantId":"`+pid+`"}`, meeting.Actor{Role: meeting.RoleCoordinator}), ""); err != nil {
				t.Fatal(err)
			}
			pt, _ = s.FindParticipantByToken(ctx, store.HashToken("secret"))
			if pt.Status != meeting.StatusRemoved {
				t.Fatalf("status after remove = %s", pt.Status)
			}
			if _, err := s.FindParticipantByToken(ctx, store.HashToken("other")); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("unknown token: %v", err)
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

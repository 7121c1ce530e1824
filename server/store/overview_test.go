package store_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/store"
	"github.com/tafel-met/tafel/server/store/storetest"
)

var coordinatorActor = meeting.Actor{Role: meeting.RoleCoordinator}

// run carries out one command on a stored meeting and returns the state after it.
func run(t *testing.T, s *store.Store, meetingID string, a meeting.Actor, name string, data any) *meeting.Meeting {
	t.Helper()
	raw, err := json.Marshal(data)
	if err != nil {
		t.Fatal(err)
	}
	res, err := storetest.Execute(ctx, s, meetingID, store.CommandKey{}, decide(name, string(raw), a), "")
	if err != nil {
		t.Fatalf("%s %s: %v", name, raw, err)
	}
	return res.Meeting
}

// closeWithPlan plays a stored meeting of fixture (Moeder, Veilig Thuis) to a
// closed plan with one worry and one action, and returns the meeting.
func closeWithPlan(t *testing.T, s *store.Store, info store.MeetingInfo) *meeting.Meeting {
	t.Helper()
	m := run(t, s, info.ID, meeting.Actor{Role: meeting.RoleJoiner}, "participant.join", map[string]string{"name": "Sanne", "partyId": "party1"})
	sanne := m.Participants[len(m.Participants)-1].ID
	run(t, s, info.ID, coordinatorActor, "participant.admit", map[string]string{"participantId": sanne})
	run(t, s, info.ID, coordinatorActor, "phase.set", map[string]string{"phase": "worries"})
	m = run(t, s, info.ID, coordinatorActor, "worry.add", map[string]string{"text": "Te weinig geld", "partyId": "party1"})
	w := m.Items[len(m.Items)-1].ID
	run(t, s, info.ID, coordinatorActor, "reveal", map[string]string{})
	for _, p := range []string{"cluster", "rank"} {
		run(t, s, info.ID, coordinatorActor, "phase.set", map[string]string{"phase": p})
	}
	run(t, s, info.ID, meeting.Actor{Role: meeting.RoleParticipant, ParticipantID: sanne}, "ranking.set", map[string]any{"worryIds": []string{w}})
	run(t, s, info.ID, coordinatorActor, "phase.set", map[string]string{"phase": "agree"})
	run(t, s, info.ID, coordinatorActor, "agree.confirm", map[string]any{"worryIds": []string{w}})
	run(t, s, info.ID, coordinatorActor, "phase.set", map[string]string{"phase": "plan"})
	run(t, s, info.ID, coordinatorActor, "plan.goal.set", map[string]any{"worryId": w, "goal": "Rond komen", "scoreNow": 3})
	run(t, s, info.ID, coordinatorActor, "plan.action.add", map[string]any{"worryId": w, "what": "Budgetcoach", "ownerPartyId": "party2", "due": "2027-01-15"})
	run(t, s, info.ID, coordinatorActor, "plan.details.set", map[string]any{"regisseurPartyId": "party2", "nextEvaluation": "2027-02-01"})
	return run(t, s, info.ID, coordinatorActor, "meeting.close", map[string]any{})
}

// createFollowUp stores a follow-up of a closed meeting, as the REST API does.
func createFollowUp(t *testing.T, s *store.Store, orgID string, prev *meeting.Meeting, info store.MeetingInfo, date string) store.MeetingInfo {
	t.Helper()
	p, err := meeting.PreviousOf(prev)
	if err != nil {
		t.Fatal(err)
	}
	next, err := s.CreateMeeting(ctx, store.NewMeeting{OrganisationID: orgID, FamilyID: info.FamilyID, Title: "Vervolggesprek",
		Date: date, Options: prev.Options, FollowsMeetingID: info.ID},
		func(m *meeting.Meeting) (*meeting.Meeting, []meeting.Event, error) { return m.FollowUp(p) })
	if err != nil {
		t.Fatal(err)
	}
	return next
}

func TestFollowUpStored(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		org, info := fixture(t, s)
		prev := closeWithPlan(t, s, info)
		next := createFollowUp(t, s, org.ID, prev, info, "2027-02-01")
		if next.FollowsMeetingID != info.ID || next.FamilyID != info.FamilyID || next.Phase != meeting.PhaseLobby {
			t.Fatalf("follow-up = %+v", next)
		}
		m, _, err := s.LoadMeeting(ctx, next.ID)
		if err != nil {
			t.Fatal(err)
		}
		if m.Previous == nil || m.Previous.MeetingID != info.ID || m.Previous.Worries[0].Text != "Te weinig geld" ||
			len(m.Previous.Version.Plan.Actions) != 1 || len(m.Parties) != 2 || m.Parties[1].Name != "Veilig Thuis" {
			t.Fatalf("loaded follow-up: previous %+v, parties %+v", m.Previous, m.Parties)
		}
		found, err := s.FindMeeting(ctx, org.ID, next.ID)
		if err != nil || found.FollowsMeetingID != info.ID {
			t.Fatalf("found %+v, %v", found, err)
		}
		t.Run("OpenFollowUp", func(t *testing.T) {
			got, err := s.OpenFollowUp(ctx, org.ID, info.ID)
			if err != nil || got.ID != next.ID {
				t.Fatalf("open follow-up = %+v, %v", got, err)
			}
			other, _, err := s.CreateOrganisationWithAdmin(ctx, "Andere gemeente "+string(s.Dialect()), store.User{Email: "fu-" + string(s.Dialect()) + "@example.org", Name: "B", PasswordHash: "x"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.OpenFollowUp(ctx, other.ID, info.ID); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("another organisation finds the follow-up: %v", err)
			}
		})
		t.Run("Review", func(t *testing.T) {
			run(t, s, next.ID, coordinatorActor, "phase.set", map[string]string{"phase": "review"})
			m := run(t, s, next.ID, coordinatorActor, "review.action.set", map[string]string{"actionId": prev.Versions[0].Plan.Actions[0].ID, "outcome": "done", "note": "Coach gevonden"})
			again, _, err := s.LoadMeeting(ctx, next.ID)
			if err != nil || len(again.Review.Actions) != 1 || again.Review.Actions[0].Note != "Coach gevonden" || again.Seq != m.Seq {
				t.Fatalf("stored review = %+v, %v", again.Review, err)
			}
		})
		t.Run("SurvivesPurgeOfThePrevious", func(t *testing.T) {
			if err := s.PurgeMeeting(ctx, store.Purged{MeetingID: info.ID, OrganisationID: org.ID, FamilyID: info.FamilyID, ClosedAt: time.Now()},
				store.AuditEntry{OrganisationID: org.ID, ActorType: "system", ActorID: "retention", Action: store.AuditDelete, ObjectType: "meeting", ObjectID: info.ID}); err != nil {
				t.Fatal(err)
			}
			m, _, err := s.LoadMeeting(ctx, next.ID)
			if err != nil || m.Previous == nil || m.Previous.Worries[0].Text != "Te weinig geld" {
				t.Fatalf("follow-up after the previous meeting was purged: %v, %v", m, err)
			}
		})
	})
}

func TestOrganisationMeetings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		org, info := fixture(t, s)
		prev := closeWithPlan(t, s, info)
		next := createFollowUp(t, s, org.ID, prev, info, "2027-02-01")
		// An older meeting made later still comes first: time order is the meeting's date.
		older, err := s.CreateMeeting(ctx, store.NewMeeting{OrganisationID: org.ID, FamilyID: info.FamilyID, Title: "Kennismaking", Date: "2026-11-01"},
			func(m *meeting.Meeting) (*meeting.Meeting, []meeting.Event, error) { return m, nil, nil })
		if err != nil {
			t.Fatal(err)
		}
		other, err := s.CreateFamily(ctx, org.ID, "Gezin A.")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateMeeting(ctx, store.NewMeeting{OrganisationID: org.ID, FamilyID: other.ID, Title: "Top-3-gesprek", Date: "2027-03-01"},
			func(m *meeting.Meeting) (*meeting.Meeting, []meeting.Event, error) { return m, nil, nil }); err != nil {
			t.Fatal(err)
		}
		empty, err := s.CreateFamily(ctx, org.ID, "Gezin Z.")
		if err != nil {
			t.Fatal(err)
		}

		fm, err := s.FamilyMeetings(ctx, org.ID, info.FamilyID)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, m := range fm.Meetings {
			ids = append(ids, m.ID)
		}
		if want := []string{older.ID, info.ID, next.ID}; fm.FamilyLabel != "Gezin J." || len(ids) != 3 || ids[0] != want[0] || ids[1] != want[1] || ids[2] != want[2] {
			t.Fatalf("family meetings = %s %v, want %v", fm.FamilyLabel, ids, want)
		}
		if fm.Meetings[1].Phase != meeting.PhaseClosed || fm.Meetings[2].Previous == nil {
			t.Fatal("family meetings are not loaded whole")
		}
		if fm, err := s.FamilyMeetings(ctx, org.ID, empty.ID); err != nil || fm.FamilyLabel != "Gezin Z." || len(fm.Meetings) != 0 {
			t.Fatalf("family without meetings = %+v, %v", fm, err)
		}

		all, err := s.OrganisationMeetings(ctx, org.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 2 || all[0].FamilyLabel != "Gezin A." || all[1].FamilyLabel != "Gezin J." || len(all[1].Meetings) != 3 {
			t.Fatalf("organisation meetings = %+v", all)
		}

		stranger, _, err := s.CreateOrganisationWithAdmin(ctx, "Vreemde gemeente "+string(s.Dialect()), store.User{Email: "vr-" + string(s.Dialect()) + "@example.org", Name: "V", PasswordHash: "x"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.FamilyMeetings(ctx, stranger.ID, info.FamilyID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("another organisation reads the family: %v", err)
		}
		if got, err := s.OrganisationMeetings(ctx, stranger.ID); err != nil || len(got) != 0 {
			t.Fatalf("another organisation's meetings = %+v, %v", got, err)
		}
	})
}

package store_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/store"
	"github.com/tafel-met/tafel/server/store/storetest"
)

// closeMeeting plays a meeting to closed through the store, as the hub would.
func closeMeeting(t *testing.T, s *store.Store, id string, at time.Time) {
	t.Helper()
	coord := meeting.Actor{Role: meeting.RoleCoordinator}
	m, _, err := s.LoadMeeting(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	run := func(a meeting.Actor, name, data string) {
		t.Helper()
		res, err := storetest.Execute(ctx, s, id, store.CommandKey{}, func(m *meeting.Meeting) (*meeting.Meeting, []meeting.Event, error) {
			return m.Decide(meeting.Command{Name: name, Data: []byte(data), Actor: a, Now: at})
		}, "tok-"+id+name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		m = res.Meeting
	}
	run(meeting.Actor{Role: meeting.RoleJoiner}, "participant.join", `{"name":"Sanne","partyId":"`+m.Parties[0].ID+`"}`)
	pid := m.Participants[0].ID
	run(coord, "participant.admit", `{"participantId":"`+pid+`"}`)
	sanne := meeting.Actor{Role: meeting.RoleParticipant, ParticipantID: pid}
	run(coord, "phase.set", `{"phase":"worries"}`)
	run(sanne, "worry.add", `{"text":"Te weinig geld"}`)
	w := m.Items[0].ID
	run(coord, "reveal", `{"kind":"worry"}`)
	for _, p := range []string{"cluster", "rank"} {
		run(coord, "phase.set", `{"phase":"`+p+`"}`)
	}
	run(sanne, "ranking.set", `{"worryIds":["`+w+`"]}`)
	run(coord, "phase.set", `{"phase":"agree"}`)
	run(coord, "agree.confirm", `{"worryIds":["`+w+`"]}`)
	run(coord, "phase.set", `{"phase":"plan"}`)
	run(coord, "plan.details.set", `{"regisseurPartyId":"`+m.Parties[1].ID+`","regisseurRole":"Gezinscoach","nextEvaluation":"2027-03-01"}`)
	run(coord, "meeting.close", `{}`)
}

func TestPurge(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		org, old := fixture(t, s)
		// A second meeting of another family, still open, and a third closed recently.
		fam2, _ := s.CreateFamily(ctx, org.ID, "Gezin K.")
		open, err := s.CreateMeeting(ctx, store.NewMeeting{OrganisationID: org.ID, FamilyID: fam2.ID, Title: "Open", Date: "2026-12-01"}, noParties)
		if err != nil {
			t.Fatal(err)
		}
		_, recent := fixture(t, s)
		closeMeeting(t, s, old.ID, time.Now())
		closeMeeting(t, s, recent.ID, time.Now())
		// Nothing is due today with 30 days' retention.
		if due, _ := s.DueForPurge(ctx, time.Now(), 30); len(due) != 0 {
			t.Fatalf("due today = %v", due)
		}
		// 31 days on, both closed meetings are due; the open one never is.
		due, err := s.DueForPurge(ctx, time.Now().AddDate(0, 0, 31), 30)
		if err != nil || len(due) != 2 {
			t.Fatalf("due in 31 days = %v, %v", due, err)
		}
		// An organisation's own, longer retention keeps its meetings.
		days := 400
		if err := s.SetRetentionDays(ctx, org.ID, &days); err != nil {
			t.Fatal(err)
		}
		due, _ = s.DueForPurge(ctx, time.Now().AddDate(0, 0, 31), 30)
		if len(due) != 1 || due[0].MeetingID != recent.ID {
			t.Fatalf("due with org retention 400 = %v, want only the other organisation's meeting", due)
		}
		if err := s.PurgeMeeting(ctx, due[0], store.AuditEntry{OrganisationID: due[0].OrganisationID, ActorType: "system",
			Action: store.AuditDelete, ObjectType: "meeting", ObjectID: due[0].MeetingID, FamilyID: due[0].FamilyID, Detail: "retention"}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.LoadMeeting(ctx, recent.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("purged meeting still loads: %v", err)
		}
		if evs, _ := s.EventsSince(ctx, recent.ID, 0, 1000); len(evs) != 0 {
			t.Fatalf("purged meeting left %d events", len(evs))
		}
		if _, err := s.FindParticipantByToken(ctx, store.HashToken("tok-"+recent.ID+"participant.join")); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("purged meeting's participant token still works: %v", err)
		}
		// What was not due is untouched.
		for _, id := range []string{old.ID, open.ID} {
			if _, _, err := s.LoadMeeting(ctx, id); err != nil {
				t.Fatalf("meeting %s not due but gone: %v", id, err)
			}
		}
		if vs, _ := s.PlanVersions(ctx, old.ID); len(vs) != 1 {
			t.Fatalf("kept meeting's plan versions = %d", len(vs))
		}
		if _, problems, _ := s.VerifyAudit(ctx); len(problems) != 0 {
			t.Fatalf("audit chain after purge: %v", problems)
		}
	})
}

func noParties(m *meeting.Meeting) (*meeting.Meeting, []meeting.Event, error) { return m, nil, nil }

func TestExportAndEraseFamily(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		org, info := fixture(t, s)
		closeMeeting(t, s, info.ID, time.Now())
		other, _, _ := s.CreateOrganisationWithAdmin(ctx, "Andere gemeente", store.User{Email: "x@example.org", Name: "X", PasswordHash: "x"})
		if _, err := s.ExportFamily(ctx, other.ID, info.FamilyID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("another organisation exported the family: %v", err)
		}
		data, err := s.ExportFamily(ctx, org.ID, info.FamilyID)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(data)
		for _, want := range []string{`"schema":"tafel.family/v1"`, "Gezin J.", "Te weinig geld", "Sanne", "Gezinscoach", `"planVersions":[{`} {
			if !strings.Contains(string(b), want) {
				t.Fatalf("family export lacks %q", want)
			}
		}
		if _, err := s.EraseFamily(ctx, other.ID, info.FamilyID, store.AuditEntry{}); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("another organisation erased the family: %v", err)
		}
		ids, err := s.EraseFamily(ctx, org.ID, info.FamilyID, store.AuditEntry{OrganisationID: org.ID, ActorType: "user", ActorID: "u1",
			Action: store.AuditDelete, ObjectType: "family", ObjectID: info.FamilyID, FamilyID: info.FamilyID, Detail: "erasure"})
		if err != nil || len(ids) != 1 || ids[0] != info.ID {
			t.Fatalf("erase = %v, %v", ids, err)
		}
		if _, err := s.FindFamily(ctx, org.ID, info.FamilyID); !errors.Is(err, store.ErrNotFound) {
			t.Fatal("family still there after erasure")
		}
		if _, _, err := s.LoadMeeting(ctx, info.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatal("meeting still there after erasure")
		}
		log, _ := s.FamilyAudit(ctx, org.ID, info.FamilyID, 10)
		if len(log) == 0 || log[0].Action != store.AuditDelete || log[0].Detail != "erasure" {
			t.Fatalf("no audit record of the erasure: %+v", log)
		}
	})
}

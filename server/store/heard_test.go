package store_test

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/store"
	"github.com/tafel-met/tafel/server/store/storetest"
)

func heardAnswer(h, s, tm, g, mark int, sentence string) meeting.HeardAnswer {
	return meeting.HeardAnswer{Scores: map[string]int{"heard": h, "safe": s, "time": tm, "goals": g}, Mark: mark, Sentence: sentence}
}

func heardAudit(org store.Organisation, info store.MeetingInfo, pid string) store.AuditEntry {
	return store.AuditEntry{OrganisationID: org.ID, ActorType: "participant", ActorID: pid, ActorRole: "participant",
		Action: store.AuditCreate, ObjectType: "heard_check", ObjectID: info.ID, FamilyID: info.FamilyID, Detail: "heard.answer"}
}

func TestHeard(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		org, info := fixture(t, s)
		answers := map[string]meeting.HeardAnswer{
			"p1": heardAnswer(3, 3, 2, 3, 8, "Iedereen luisterde naar mij"),
			"p2": heardAnswer(2, 1, 1, 2, 4, ""),
			"p3": heardAnswer(3, 2, 3, 3, 9, "Fijn gesprek"),
		}
		var lastIDs []string
		for _, pid := range []string{"p1", "p2", "p3"} {
			if err := s.AnswerHeard(ctx, org.ID, info.ID, pid, answers[pid], heardAudit(org, info, pid)); err != nil {
				t.Fatalf("answer %s: %v", pid, err)
			}
			ids, err := store.StringsForTest(s, `SELECT id FROM heard_answers WHERE meeting_id = ?`, info.ID)
			if err != nil {
				t.Fatal(err)
			}
			// Every answer rewrites the meeting's answers under new keys: a key
			// seen before the newest answer is nowhere after it.
			for _, old := range lastIDs {
				for _, id := range ids {
					if id == old {
						t.Fatalf("after %s's answer the key %s of an earlier answer is still there", pid, old)
					}
				}
			}
			lastIDs = ids
		}
		if len(lastIDs) != 3 {
			t.Fatalf("%d answers stored, want 3", len(lastIDs))
		}

		t.Run("ErrSecondAnswer", func(t *testing.T) {
			err := s.AnswerHeard(ctx, org.ID, info.ID, "p1", heardAnswer(1, 1, 1, 1, 0, "nog een keer"), heardAudit(org, info, "p1"))
			if !errors.Is(err, store.ErrHeardAlready) {
				t.Fatalf("second answer: %v, want heard_already", err)
			}
		})
		t.Run("ErrOtherOrganisation", func(t *testing.T) {
			other, _ := fixture(t, s)
			err := s.AnswerHeard(ctx, other.ID, info.ID, "p4", heardAnswer(1, 1, 1, 1, 0, "van elders"), heardAudit(other, info, "p4"))
			if !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("answer through another organisation: %v, want not found", err)
			}
			got, err := s.HeardAnswers(ctx, other.ID)
			if err != nil || len(got) != 0 {
				t.Fatalf("another organisation reads answers: %v %v", got, err)
			}
		})

		got, err := s.HeardAnswers(ctx, org.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || len(got[info.ID]) != 3 {
			t.Fatalf("answers = %+v, want the 3 of one meeting (nothing of the refused ones)", got)
		}
		var sentences []string
		for _, a := range got[info.ID] {
			sentences = append(sentences, a.Sentence)
		}
		sort.Strings(sentences)
		if strings.Join(sentences, "|") != "|Fijn gesprek|Iedereen luisterde naar mij" {
			t.Fatalf("sentences %q", sentences)
		}
		for pid, want := range map[string]bool{"p1": true, "p3": true, "p4": false} {
			if ok, err := s.HeardAnswered(ctx, org.ID, info.ID, pid); err != nil || ok != want {
				t.Fatalf("answered %s = %v %v, want %v", pid, ok, err, want)
			}
		}
		markers, _ := store.StringsForTest(s, `SELECT participant_id FROM heard_markers WHERE meeting_id = ?`, info.ID)
		if len(markers) != 3 {
			t.Fatalf("markers %v, want one per answer", markers)
		}

		t.Run("NoLinkInTheSchema", func(t *testing.T) {
			q := `SELECT name FROM pragma_table_info('heard_answers') ORDER BY name`
			if s.Dialect() == store.Postgres {
				q = `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'heard_answers' ORDER BY column_name`
			}
			cols, err := store.StringsForTest(s, q)
			if err != nil {
				t.Fatal(err)
			}
			// No participant, no time, no sequence: nothing to line an answer up with its author.
			if strings.Join(cols, ",") != "id,mark,meeting_id,scores,sentence" {
				t.Fatalf("heard_answers columns %v", cols)
			}
		})
		t.Run("NoAnswerInTheAuditLog", func(t *testing.T) {
			rows, err := store.StringsForTest(s, `SELECT actor_id || '|' || action || '|' || object_type || '|' || object_id || '|' || detail || '|' || outcome
				FROM audit_log WHERE object_type = 'heard_check'`)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 3 {
				t.Fatalf("audit rows of the check = %v, want one per stored answer", rows)
			}
			for _, r := range rows {
				if r != strings.SplitN(r, "|", 2)[0]+"|create|heard_check|"+info.ID+"|heard.answer|ok" {
					t.Fatalf("audit row %q says more than who answered which meeting's check", r)
				}
			}
			all, _ := store.StringsForTest(s, `SELECT detail || ' ' || object_id || ' ' || on_behalf_of FROM audit_log`)
			for _, r := range all {
				if strings.Contains(r, "luisterde") || strings.Contains(r, "Fijn gesprek") {
					t.Fatalf("audit row carries an answer: %q", r)
				}
			}
			if _, problems, _ := s.VerifyAudit(ctx); len(problems) != 0 {
				t.Fatalf("audit chain: %v", problems)
			}
		})
		t.Run("PurgeTakesThemAlong", func(t *testing.T) {
			closeMeeting(t, s, info.ID, time.Now())
			if err := s.PurgeMeeting(ctx, store.Purged{MeetingID: info.ID, OrganisationID: org.ID, FamilyID: info.FamilyID},
				store.AuditEntry{OrganisationID: org.ID, ActorType: "system", Action: store.AuditDelete, ObjectType: "meeting",
					ObjectID: info.ID, FamilyID: info.FamilyID, Detail: "retention"}); err != nil {
				t.Fatal(err)
			}
			for _, table := range []string{"heard_answers", "heard_markers"} {
				left, _ := store.StringsForTest(s, `SELECT meeting_id FROM `+table)
				if len(left) != 0 {
					t.Fatalf("%s after purge: %v", table, left)
				}
			}
		})
	})
}

// TestHeardAtOnce answers a meeting's check from many phones at once, and from
// one phone twice at once: every answer is kept once, with its marker, though
// each answer rewrites all of the meeting's answers.
func TestHeardAtOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		org, info := fixture(t, s)
		const n = 8
		errs := make(chan error, n+1)
		for i := 0; i < n; i++ {
			pid := fmt.Sprintf("p%d", i)
			go func() {
				errs <- s.AnswerHeard(ctx, org.ID, info.ID, pid, heardAnswer(3, 2, 1, 3, i, "zin "+pid), heardAudit(org, info, pid))
			}()
		}
		// p0 a second time, racing its first answer.
		go func() {
			errs <- s.AnswerHeard(ctx, org.ID, info.ID, "p0", heardAnswer(1, 1, 1, 1, 10, "nog eens"), heardAudit(org, info, "p0"))
		}()
		refused := 0
		for i := 0; i < n+1; i++ {
			if err := <-errs; errors.Is(err, store.ErrHeardAlready) {
				refused++
			} else if err != nil {
				t.Fatal(err)
			}
		}
		if refused != 1 {
			t.Fatalf("%d answers refused, want the one second answer", refused)
		}
		got, err := s.HeardAnswers(ctx, org.ID, info.ID)
		if err != nil {
			t.Fatal(err)
		}
		markers, _ := store.StringsForTest(s, `SELECT participant_id FROM heard_markers WHERE meeting_id = ?`, info.ID)
		if len(got[info.ID]) != n || len(markers) != n {
			t.Fatalf("%d answers and %d markers, want %d of each", len(got[info.ID]), len(markers), n)
		}
		marks := map[int]bool{}
		for _, a := range got[info.ID] {
			marks[a.Mark] = true
		}
		// p1..p7 gave marks 1..7; p0 gave 0 first and 10 the second time: one of them counts.
		if len(marks) != n || marks[0] == marks[10] {
			t.Fatalf("marks %v: an answer was lost or doubled", marks)
		}
	})
}

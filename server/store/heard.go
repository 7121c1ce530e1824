package store

import (
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"

	"gorm.io/gorm"

	"github.com/tafel-met/tafel/server/meeting"
)

// "Were you heard?" (docs/privacy.md): who answered and what was answered are
// kept apart. A marker names the participant and holds no answer; an answer
// names no participant and has no time and no sequential key.

type heardMarkerRow struct {
	MeetingID     string
	ParticipantID string
}

func (heardMarkerRow) TableName() string { return "heard_markers" }

type heardAnswerRow struct {
	ID        string
	MeetingID string
	Scores    string
	Mark      int
	Sentence  string
}

func (heardAnswerRow) TableName() string { return "heard_answers" }

// ErrHeardAlready is returned when a participant answers the check a second time.
var ErrHeardAlready = meeting.Fail(meeting.ECodeConflict, "heard_already", "already answered")

// HeardAnswered says whether a participant has answered a meeting's check.
func (s *Store) HeardAnswered(ctx context.Context, orgID, meetingID, participantID string) (bool, error) {
	var n int64
	err := s.inOrganisation(ctx, orgID, func(db *gorm.DB) error {
		return db.Model(&heardMarkerRow{}).Where("meeting_id = ? AND participant_id = ?", meetingID, participantID).Count(&n).Error
	})
	return n > 0, err
}

// AnswerHeard stores one participant's answer to a meeting's check with its
// marker and its audit entry (which names the participant and holds nothing of
// the answer), all in one transaction: an answer never exists without its
// marker, nor a marker without its answer. A second answer of the same
// participant stores nothing and returns ErrHeardAlready.
//
// The meeting's answers are then written anew, all of them, in a random order
// under new random keys: neither a key seen before nor the order in which the
// rows lie tells which answer came last, and the audit log says who came last.
func (s *Store) AnswerHeard(ctx context.Context, orgID, meetingID, participantID string, a meeting.HeardAnswer, audit AuditEntry) error {
	scores, err := json.Marshal(a.Scores)
	if err != nil {
		return err
	}
	err = s.changeInOrganisation(ctx, orgID, []AuditEntry{audit}, func(db *gorm.DB) error {
		if s.dialect == Postgres {
			// One answer of a meeting at a time: the rewrite below reads, then
			// deletes and writes the meeting's answers. (SQLite has one writer.)
			if err := db.Exec(`SELECT pg_advisory_xact_lock(hashtextextended('heard:' || ?, 0))`, meetingID).Error; err != nil {
				return err
			}
		}
		var n int64
		if err := db.Model(&meetingRow{}).Where("id = ? AND organisation_id = ?", meetingID, orgID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return ErrNotFound
		}
		if err := db.Model(&heardMarkerRow{}).Where("meeting_id = ? AND participant_id = ?", meetingID, participantID).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return ErrHeardAlready
		}
		if err := db.Create(&heardMarkerRow{MeetingID: meetingID, ParticipantID: participantID}).Error; err != nil {
			if errors.Is(translate(err), ErrDuplicate) {
				return ErrHeardAlready
			}
			return err
		}
		var rows []heardAnswerRow
		if err := db.Where("meeting_id = ?", meetingID).Find(&rows).Error; err != nil {
			return err
		}
		if err := db.Where("meeting_id = ?", meetingID).Delete(&heardAnswerRow{}).Error; err != nil {
			return err
		}
		rows = append(rows, heardAnswerRow{MeetingID: meetingID, Scores: string(scores), Mark: a.Mark, Sentence: a.Sentence})
		rand.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
		for i := range rows {
			rows[i].ID = newID()
		}
		return db.Create(&rows).Error
	}, nil)
	return err
}

// HeardAnswers returns the answers to the checks of an organisation's meetings,
// per meeting, in the order of their random keys; a meeting without answers is
// absent. With meetingIDs, only those meetings.
func (s *Store) HeardAnswers(ctx context.Context, orgID string, meetingIDs ...string) (map[string][]meeting.HeardAnswer, error) {
	out := map[string][]meeting.HeardAnswer{}
	err := s.inOrganisation(ctx, orgID, func(db *gorm.DB) error {
		q := db.Model(&heardAnswerRow{}).Joins("JOIN meetings ON meetings.id = heard_answers.meeting_id").
			Where("meetings.organisation_id = ?", orgID)
		if len(meetingIDs) > 0 {
			q = q.Where("heard_answers.meeting_id IN ?", meetingIDs)
		}
		var rows []heardAnswerRow
		if err := q.Select("heard_answers.*").Order("heard_answers.meeting_id, heard_answers.id").Find(&rows).Error; err != nil {
			return err
		}
		for _, r := range rows {
			a := meeting.HeardAnswer{Mark: r.Mark, Sentence: r.Sentence}
			if err := json.Unmarshal([]byte(r.Scores), &a.Scores); err != nil {
				return err
			}
			out[r.MeetingID] = append(out[r.MeetingID], a)
		}
		return nil
	})
	return out, err
}

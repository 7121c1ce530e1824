package store

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/tafel-met/tafel/server/meeting"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// CommandKey identifies a command for idempotency: the same actor resending the
// same id gets the first answer. An empty ID is never deduplicated.
type CommandKey struct {
	Actor string
	ID    string
}

// Executed is the outcome of a command that was accepted.
type Executed struct {
	Meeting   *meeting.Meeting // the state after the command
	Events    []meeting.Event  // what it stored, in order; empty for a duplicate
	Seq       int64            // the seq of its last event
	Duplicate bool             // the command id was seen before; nothing changed
}

// Decider is the domain's decision for one command.
type Decider func(*meeting.Meeting) (*meeting.Meeting, []meeting.Event, error)

type commandRow struct {
	MeetingID string
	Actor     string
	CommandID string
	Seq       int64
}

func (commandRow) TableName() string { return "meeting_commands" }

type participantRow struct {
	MeetingID string
	ID        string
	TokenHash string
	Status    string
	CreatedAt time.Time
}

func (participantRow) TableName() string { return "participants" }

type planVersionRow struct {
	MeetingID string
	Number    int
	ClosedAt  time.Time
	Data      string
}

func (planVersionRow) TableName() string { return "plan_versions" }

// Execute carries out one command in ONE transaction that holds the meeting's write
// lock: it brings cached (which it may change: pass a copy) up to the stored seq, asks decide,
// stores the events with their seq numbers, remembers the command id, and updates
// the projections (participants, closed plans). Only after it returns may the events
// be published. joinTokenHash is stored with a participant that joins.
func (s *Store) Execute(ctx context.Context, meetingID string, cached *meeting.Meeting, key CommandKey, decide Decider, joinTokenHash string) (Executed, error) {
	var out Executed
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var row meetingRow
		q := tx.Table("meetings").Select("meetings.*, families.label AS family_label").
			Joins("JOIN families ON families.id = meetings.family_id").Where("meetings.id = ?", meetingID)
		if s.dialect == Postgres {
			q = q.Clauses(clause.Locking{Strength: "UPDATE", Table: clause.Table{Name: "meetings"}})
		}
		if err := q.Take(&row).Error; err != nil {
			return translate(err)
		}
		// The rest of the command sees and writes only its meeting's organisation.
		if err := s.scope(tx, row.OrganisationID); err != nil {
			return err
		}
		if key.ID != "" {
			var c commandRow
			err := tx.Where("meeting_id = ? AND actor = ? AND command_id = ?", meetingID, key.Actor, key.ID).Take(&c).Error
			if err == nil {
				out = Executed{Seq: c.Seq, Duplicate: true}
				return nil
			}
			if !errors.Is(err, gorm.ErrRecordNotFound) {
				return err
			}
		}
		var m *meeting.Meeting
		if cached != nil && cached.Seq <= row.LastSeq {
			m = cached
		} else {
			m = meeting.New(headerOf(row, row.FamilyLabel))
		}
		if err := s.catchUp(tx, m, row.LastSeq); err != nil {
			return err
		}
		next, events, err := decide(m)
		if err != nil {
			return err
		}
		if err := s.insertEvents(tx, meetingID, events); err != nil {
			return err
		}
		if key.ID != "" {
			if err := tx.Create(&commandRow{MeetingID: meetingID, Actor: key.Actor, CommandID: key.ID, Seq: next.Seq}).Error; err != nil {
				return err
			}
		}
		update := map[string]any{"last_seq": next.Seq, "phase": string(next.Phase)}
		if next.Phase == meeting.PhaseClosed && row.ClosedAt == nil {
			update["closed_at"] = s.now()
		}
		if err := tx.Model(&meetingRow{}).Where("id = ?", meetingID).Updates(update).Error; err != nil {
			return err
		}
		if err := s.project(tx, meetingID, events, joinTokenHash); err != nil {
			return err
		}
		if e, ok := auditFrom(ctx); ok {
			e.OrganisationID, e.FamilyID, e.ObjectType, e.ObjectID = row.OrganisationID, row.FamilyID, "meeting", meetingID
			if e.Action == "" {
				e.Action = AuditUpdate
			}
			if err := s.auditTx(tx, e); err != nil {
				return err
			}
		}
		out = Executed{Meeting: next, Events: events, Seq: next.Seq}
		return nil
	})
	return out, err
}

// project keeps the tables that are read without the event log up to date.
func (s *Store) project(tx *gorm.DB, meetingID string, events []meeting.Event, joinTokenHash string) error {
	for _, ev := range events {
		switch ev.Name {
		case meeting.EvParticipantUpsert:
			var d struct{ Participant meeting.Participant }
			if err := json.Unmarshal(ev.Data, &d); err != nil {
				return err
			}
			p := d.Participant
			if p.Status == meeting.StatusPending && joinTokenHash != "" {
				if err := tx.Create(&participantRow{MeetingID: meetingID, ID: p.ID, TokenHash: joinTokenHash,
					Status: string(p.Status), CreatedAt: s.now()}).Error; err != nil {
					return err
				}
				continue
			}
			if err := tx.Model(&participantRow{}).Where("meeting_id = ? AND id = ?", meetingID, p.ID).
				Update("status", string(p.Status)).Error; err != nil {
				return err
			}
		case meeting.EvPlanClosed:
			var d struct{ Version meeting.PlanVersion }
			if err := json.Unmarshal(ev.Data, &d); err != nil {
				return err
			}
			data, _ := json.Marshal(d.Version)
			if err := tx.Create(&planVersionRow{MeetingID: meetingID, Number: d.Version.Number,
				ClosedAt: d.Version.ClosedAt, Data: string(data)}).Error; err != nil {
				return err
			}
		}
	}
	return nil
}

// ParticipantToken is what a participant's token unlocks.
type ParticipantToken struct {
	MeetingID      string
	ParticipantID  string
	Status         meeting.ParticipantStatus
	OrganisationID string
	FamilyID       string
}

// FindParticipantByToken returns the participant a token belongs to.
func (s *Store) FindParticipantByToken(ctx context.Context, tokenHash string) (ParticipantToken, error) {
	var r struct {
		MeetingID, ID, Status, OrganisationID, FamilyID string
	}
	err := s.db.WithContext(ctx).Table("participants").
		Select("participants.meeting_id, participants.id, participants.status, meetings.organisation_id, meetings.family_id").
		Joins("JOIN meetings ON meetings.id = participants.meeting_id").
		Where("participants.token_hash = ?", tokenHash).Take(&r).Error
	return ParticipantToken{MeetingID: r.MeetingID, ParticipantID: r.ID, Status: meeting.ParticipantStatus(r.Status),
		OrganisationID: r.OrganisationID, FamilyID: r.FamilyID}, translate(err)
}

// PlanVersions returns a meeting's closed plans, oldest first.
func (s *Store) PlanVersions(ctx context.Context, meetingID string) ([]meeting.PlanVersion, error) {
	return planVersions(s.db.WithContext(ctx), meetingID)
}

func planVersions(db *gorm.DB, meetingID string) ([]meeting.PlanVersion, error) {
	var rows []planVersionRow
	if err := db.Where("meeting_id = ?", meetingID).Order("number").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]meeting.PlanVersion, len(rows))
	for i, r := range rows {
		if err := json.Unmarshal([]byte(r.Data), &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

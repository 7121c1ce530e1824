package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/tafel-met/tafel/server/meeting"
	"gorm.io/gorm"
)

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

// ParticipantToken is the domain's: what a participant's token unlocks.
type ParticipantToken = meeting.ParticipantToken

// ParticipantByToken returns the participant a secret token (not its hash) belongs to.
func (s *Store) ParticipantByToken(ctx context.Context, token string) (ParticipantToken, error) {
	return s.FindParticipantByToken(ctx, HashToken(token))
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

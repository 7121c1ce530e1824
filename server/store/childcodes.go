package store

import (
	"context"
	"errors"
	"time"

	"github.com/tafel-met/tafel/server/meeting"
	"gorm.io/gorm"
)

// ChildCode is a child's own short code for one meeting: with it a child fills in
// their three houses on a phone, and nothing else. ChildID is the id of that
// child's voice in the meeting's state.
type ChildCode struct {
	ID        string     `json:"id"`
	MeetingID string     `json:"meetingId"`
	Code      string     `json:"code"`
	ChildID   string     `json:"childId"`
	CreatedAt time.Time  `json:"createdAt"`
	ExpiresAt time.Time  `json:"expiresAt"`
	RevokedAt *time.Time `json:"revokedAt,omitempty"`
}

type childCodeRow struct {
	ID        string
	MeetingID string
	Code      string
	ChildID   string
	CreatedAt time.Time
	ExpiresAt time.Time
	RevokedAt *time.Time
}

func (childCodeRow) TableName() string { return "child_codes" }

func (r childCodeRow) code() ChildCode {
	return ChildCode{ID: r.ID, MeetingID: r.MeetingID, Code: r.Code, ChildID: r.ChildID,
		CreatedAt: r.CreatedAt.UTC(), ExpiresAt: r.ExpiresAt.UTC(), RevokedAt: utcOrNil(r.RevokedAt)}
}

func utcOrNil(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// MaxChildCodes bounds the codes of one meeting, revoked ones included.
const MaxChildCodes = 24

// ErrTooManyChildCodes is returned when a meeting has MaxChildCodes already.
var ErrTooManyChildCodes = errors.New("store: too many child codes for this meeting")

// CreateChildCode makes a new child code for one of an organisation's meetings,
// valid for ttl, with its audit entry in the organisation's chain (its object
// is the new code) in the same transaction: no code without its audit row. It
// has the join code's alphabet and length, and is never equal to a meeting's
// join code or another child code.
func (s *Store) CreateChildCode(ctx context.Context, orgID, meetingID string, ttl time.Duration, audit AuditEntry) (ChildCode, error) {
	// Microseconds, as both databases keep them: what is returned is what is stored.
	now := s.now().UTC().Truncate(time.Microsecond)
	r := childCodeRow{ID: newID(), MeetingID: meetingID, ChildID: meeting.ChildCodeIDPrefix + newID(), CreatedAt: now, ExpiresAt: now.Add(ttl)}
	for try := 0; ; try++ {
		r.Code = newJoinCode()
		// Join codes of every organisation: outside the organisation's scope.
		var clash int64
		if err := s.db.WithContext(ctx).Table("meetings").Where("join_code = ?", r.Code).Count(&clash).Error; err != nil {
			return ChildCode{}, err
		}
		if clash > 0 && try < 5 {
			continue
		}
		var familyID string
		err := s.changeInOrganisation(ctx, orgID, []AuditEntry{audit}, func(db *gorm.DB) error {
			m, err := findMeetingIn(db, orgID, meetingID)
			if err != nil {
				return err
			}
			familyID = m.FamilyID
			var n int64
			if err := db.Model(&childCodeRow{}).Where("meeting_id = ?", meetingID).Count(&n).Error; err != nil {
				return err
			}
			if n >= MaxChildCodes {
				return ErrTooManyChildCodes
			}
			return db.Create(&r).Error
		}, func(e *AuditEntry) { e.ObjectType, e.ObjectID, e.FamilyID = "child_code", r.ID, familyID })
		if errors.Is(translate(err), ErrDuplicate) && try < 5 {
			continue
		}
		return r.code(), translate(err)
	}
}

func findMeetingIn(db *gorm.DB, orgID, id string) (meetingRow, error) {
	var r meetingRow
	err := db.Where("organisation_id = ? AND id = ?", orgID, id).Take(&r).Error
	return r, translate(err)
}

// ListChildCodes returns the child codes of one of an organisation's meetings, oldest first.
func (s *Store) ListChildCodes(ctx context.Context, orgID, meetingID string) ([]ChildCode, error) {
	var rows []childCodeRow
	err := s.inOrganisation(ctx, orgID, func(db *gorm.DB) error {
		return db.Table("child_codes").Select("child_codes.*").
			Joins("JOIN meetings ON meetings.id = child_codes.meeting_id").
			Where("meetings.organisation_id = ? AND child_codes.meeting_id = ?", orgID, meetingID).
			Order("child_codes.created_at, child_codes.id").Find(&rows).Error
	})
	out := make([]ChildCode, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.code())
	}
	return out, err
}

// RevokeChildCode ends a child code of one of an organisation's meetings now,
// with its audit entry in the organisation's chain in the same transaction.
// Revoking a revoked code changes nothing but is recorded all the same.
func (s *Store) RevokeChildCode(ctx context.Context, orgID, meetingID, id string, audit AuditEntry) (ChildCode, error) {
	var (
		r        childCodeRow
		familyID string
	)
	err := s.changeInOrganisation(ctx, orgID, []AuditEntry{audit}, func(db *gorm.DB) error {
		m, err := findMeetingIn(db, orgID, meetingID)
		if err != nil {
			return err
		}
		familyID = m.FamilyID
		if err := db.Where("meeting_id = ? AND id = ?", meetingID, id).Take(&r).Error; err != nil {
			return translate(err)
		}
		if r.RevokedAt != nil {
			return nil
		}
		now := s.now().UTC().Truncate(time.Microsecond)
		r.RevokedAt = &now
		return db.Model(&childCodeRow{}).Where("id = ?", id).Update("revoked_at", now).Error
	}, func(e *AuditEntry) { e.ObjectType, e.ObjectID, e.FamilyID = "child_code", id, familyID })
	return r.code(), err
}

// FindChildCode returns the child code with that code, in any organisation,
// revoked and expired ones included (the caller says which).
func (s *Store) FindChildCode(ctx context.Context, code string) (ChildCode, error) {
	var r childCodeRow
	err := s.db.WithContext(ctx).Where("code = ?", code).Take(&r).Error
	return r.code(), translate(err)
}

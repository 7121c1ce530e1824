package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/tafel-met/tafel/server/meeting"
	"gorm.io/gorm"
)

// Purged is what one purge removed.
type Purged struct {
	MeetingID      string
	OrganisationID string
	FamilyID       string
	ClosedAt       time.Time
}

// DueForPurge lists closed meetings whose retention has run out at now: closed
// more than the organisation's retention days ago (defaultDays when it has none).
func (s *Store) DueForPurge(ctx context.Context, now time.Time, defaultDays int) ([]Purged, error) {
	var rows []struct {
		ID, OrganisationID, FamilyID string
		ClosedAt                     time.Time
		RetentionDays                *int
	}
	err := s.db.WithContext(ctx).Table("meetings").
		Select("meetings.id, meetings.organisation_id, meetings.family_id, meetings.closed_at, organisations.retention_days").
		Joins("JOIN organisations ON organisations.id = meetings.organisation_id").
		Where("meetings.closed_at IS NOT NULL").Order("meetings.closed_at").Find(&rows).Error
	if err != nil {
		return nil, err
	}
	var out []Purged
	for _, r := range rows {
		days := defaultDays
		if r.RetentionDays != nil {
			days = *r.RetentionDays
		}
		if r.ClosedAt.AddDate(0, 0, days).Before(now) {
			out = append(out, Purged{MeetingID: r.ID, OrganisationID: r.OrganisationID, FamilyID: r.FamilyID, ClosedAt: r.ClosedAt})
		}
	}
	return out, nil
}

// PurgeMeeting deletes a meeting with everything in it (its log, participants,
// commands, plan versions, and the markers and answers of its "were you
// heard?" check), and its family when no meeting of it is left, recording the
// deletion in the audit log in the same transaction.
func (s *Store) PurgeMeeting(ctx context.Context, p Purged, audit AuditEntry) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.deleteMeetingTx(tx, p.MeetingID); err != nil {
			return err
		}
		var left int64
		if err := tx.Model(&meetingRow{}).Where("family_id = ?", p.FamilyID).Count(&left).Error; err != nil {
			return err
		}
		if left == 0 {
			if err := tx.Where("id = ?", p.FamilyID).Delete(&familyRow{}).Error; err != nil {
				return err
			}
		}
		return s.auditTx(tx, audit)
	})
}

// deleteMeetingTx deletes a meeting with everything in it, after recording the
// head of its audit chain in its organisation's chain: the chain itself stays.
func (s *Store) deleteMeetingTx(tx *gorm.DB, meetingID string) error {
	var r meetingRow
	if err := tx.Where("id = ?", meetingID).Take(&r).Error; err != nil {
		return translate(err)
	}
	if err := s.checkpointTx(tx, r.OrganisationID, r.FamilyID, r.ID, ChainHead{Seq: r.AuditSeq, Hash: r.AuditHash}); err != nil {
		return err
	}
	for _, table := range []string{"meeting_events", "meeting_commands", "participants", "plan_versions", "heard_markers", "heard_answers", "child_codes"} {
		if err := tx.Exec("DELETE FROM "+table+" WHERE meeting_id = ?", meetingID).Error; err != nil {
			return err
		}
	}
	return tx.Where("id = ?", meetingID).Delete(&meetingRow{}).Error
}

// SetRetentionDays sets an organisation's retention; nil returns to the default.
func (s *Store) SetRetentionDays(ctx context.Context, orgID string, days *int) error {
	return s.inOrganisation(ctx, orgID, func(db *gorm.DB) error {
		return db.Model(&organisationRow{}).Where("id = ?", orgID).Update("retention_days", days).Error
	})
}

// FamilyData is everything stored about one family, for a request under the AVG.
type FamilyData struct {
	Schema   string              `json:"schema"`
	Family   Family              `json:"family"`
	Meetings []FamilyMeetingData `json:"meetings"`
	Access   []AuditRecord       `json:"accessLog"`
	Exported time.Time           `json:"exportedAt"`
}

// FamilyMeetingData is one meeting of a family, whole: drafts, rankings and the log included.
type FamilyMeetingData struct {
	Info     MeetingInfo           `json:"meeting"`
	State    json.RawMessage       `json:"state"`
	Versions []meeting.PlanVersion `json:"planVersions"`
	Events   []ExportedEvent       `json:"events"`
}

// ExportedEvent is one stored change, as kept in the log.
type ExportedEvent struct {
	Seq           int64           `json:"seq"`
	Name          string          `json:"name"`
	Scope         string          `json:"scope"`
	ParticipantID string          `json:"participantId,omitempty"`
	Data          json.RawMessage `json:"data"`
}

// ExportFamily gathers everything about one of an organisation's families.
func (s *Store) ExportFamily(ctx context.Context, orgID, familyID string) (FamilyData, error) {
	var out FamilyData
	err := s.inOrganisation(ctx, orgID, func(db *gorm.DB) (err error) {
		out, err = s.exportFamily(db, orgID, familyID)
		return err
	})
	return out, err
}

func (s *Store) exportFamily(db *gorm.DB, orgID, familyID string) (FamilyData, error) {
	f, err := findFamily(db, orgID, familyID)
	if err != nil {
		return FamilyData{}, err
	}
	out := FamilyData{Schema: "tafel.family/v1", Family: f, Meetings: []FamilyMeetingData{}, Exported: s.now()}
	all, err := listMeetings(db, orgID)
	if err != nil {
		return FamilyData{}, err
	}
	for _, info := range all {
		if info.FamilyID != familyID {
			continue
		}
		m, _, err := s.loadMeeting(db, info.ID)
		if err != nil {
			return FamilyData{}, err
		}
		state, _ := json.Marshal(struct {
			*meeting.Meeting
			Rankings map[string][]string `json:"rankings"`
		}{m.WithoutSources(), m.Rankings}) // a reporter's identity never leaves with the family's data
		versions, err := planVersions(db, info.ID)
		if err != nil {
			return FamilyData{}, err
		}
		evs, err := s.eventsSince(db, info.ID, 0, m.Seq)
		if err != nil {
			return FamilyData{}, err
		}
		md := FamilyMeetingData{Info: info, State: state, Versions: versions, Events: make([]ExportedEvent, len(evs))}
		for i, ev := range evs {
			ev = meeting.RedactSource(ev)
			md.Events[i] = ExportedEvent{Seq: ev.Seq, Name: ev.Name, Scope: string(ev.Scope), ParticipantID: ev.ParticipantID, Data: ev.Data}
		}
		out.Meetings = append(out.Meetings, md)
	}
	if out.Access, err = familyAudit(db, orgID, familyID, 10000); err != nil {
		return FamilyData{}, err
	}
	return out, nil
}

// EraseFamily deletes one of an organisation's families and all its meetings,
// leaving only the audit record of the erasure. It returns the erased meeting ids.
func (s *Store) EraseFamily(ctx context.Context, orgID, familyID string, audit AuditEntry) ([]string, error) {
	var ids []string
	err := s.inOrganisation(ctx, orgID, func(db *gorm.DB) error {
		if _, err := findFamily(db, orgID, familyID); err != nil {
			return err
		}
		return db.Transaction(func(tx *gorm.DB) error {
			if err := tx.Model(&meetingRow{}).Where("organisation_id = ? AND family_id = ?", orgID, familyID).Pluck("id", &ids).Error; err != nil {
				return err
			}
			for _, id := range ids {
				if err := s.deleteMeetingTx(tx, id); err != nil {
					return err
				}
			}
			if err := tx.Where("organisation_id = ? AND id = ?", orgID, familyID).Delete(&familyRow{}).Error; err != nil {
				return err
			}
			return s.auditTx(tx, audit)
		})
	})
	return ids, err
}

package store

import (
	"context"

	"github.com/tafel-met/tafel/server/meeting"
	"gorm.io/gorm"
)

// The coordinator's overview reads whole meetings, rebuilt from their logs: a
// family has a handful of meetings, an organisation in the pilot a few hundred.
// A projection table is the next step when that grows.

// FamilyMeetings returns one of an organisation's families with its meetings,
// oldest first (by the meeting's date, then by when it was made).
func (s *Store) FamilyMeetings(ctx context.Context, orgID, familyID string) (meeting.FamilyMeetings, error) {
	var out meeting.FamilyMeetings
	err := s.inOrganisation(ctx, orgID, func(db *gorm.DB) error {
		f, err := findFamily(db, orgID, familyID)
		if err != nil {
			return err
		}
		all, err := s.organisationMeetings(db, orgID, f.ID)
		if err != nil {
			return err
		}
		if len(all) == 0 {
			out = meeting.FamilyMeetings{FamilyID: f.ID, FamilyLabel: f.Label}
		} else {
			out = all[0]
		}
		return nil
	})
	return out, err
}

// OrganisationMeetings returns an organisation's families that have meetings,
// by label, each with its meetings oldest first. With familyIDs, only those families.
func (s *Store) OrganisationMeetings(ctx context.Context, orgID string, familyIDs ...string) ([]meeting.FamilyMeetings, error) {
	var out []meeting.FamilyMeetings
	err := s.inOrganisation(ctx, orgID, func(db *gorm.DB) (err error) {
		out, err = s.organisationMeetings(db, orgID, familyIDs...)
		return err
	})
	return out, err
}

func (s *Store) organisationMeetings(db *gorm.DB, orgID string, familyIDs ...string) ([]meeting.FamilyMeetings, error) {
	q := meetingQuery(db).Where("meetings.organisation_id = ?", orgID)
	if len(familyIDs) > 0 {
		q = q.Where("meetings.family_id IN ?", familyIDs)
	}
	var rows []meetingRow
	if err := q.Order("families.label, families.id, meetings.date, meetings.created_at, meetings.id").Find(&rows).Error; err != nil {
		return nil, err
	}
	var out []meeting.FamilyMeetings
	for _, r := range rows {
		m := meeting.New(headerOf(r, r.FamilyLabel))
		if err := s.catchUp(db, m, r.LastSeq); err != nil {
			return nil, err
		}
		if n := len(out); n == 0 || out[n-1].FamilyID != r.FamilyID {
			out = append(out, meeting.FamilyMeetings{FamilyID: r.FamilyID, FamilyLabel: r.FamilyLabel})
		}
		out[len(out)-1].Meetings = append(out[len(out)-1].Meetings, m)
	}
	return out, nil
}

// OpenFollowUp returns the follow-up made from a meeting that is not closed yet, if any.
func (s *Store) OpenFollowUp(ctx context.Context, orgID, meetingID string) (MeetingInfo, error) {
	var r meetingRow
	err := s.inOrganisation(ctx, orgID, func(db *gorm.DB) error {
		return meetingQuery(db).Where("meetings.organisation_id = ? AND meetings.follows_meeting_id = ? AND meetings.phase <> ?",
			orgID, meetingID, string(meeting.PhaseClosed)).Order("meetings.created_at DESC").Take(&r).Error
	})
	return r.info(r.FamilyLabel), translate(err)
}

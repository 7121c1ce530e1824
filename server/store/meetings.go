package store

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"math/big"
	"time"

	"github.com/tafel-met/tafel/server/meeting"
	"gorm.io/gorm"
)

// Family is a family as the organisation knows it: a pseudonymous label only.
type Family struct {
	ID             string    `json:"id"`
	OrganisationID string    `json:"-"`
	Label          string    `json:"label"`
	CreatedAt      time.Time `json:"createdAt"`
}

// MeetingInfo is the domain's meeting.Info, a meeting as listed for coordinators.
type MeetingInfo = meeting.Info

type familyRow struct {
	ID             string
	OrganisationID string
	Label          string
	CreatedAt      time.Time
}

func (familyRow) TableName() string { return "families" }

type meetingRow struct {
	ID               string
	OrganisationID   string
	FamilyID         string
	Title            string
	Date             string
	Options          string
	JoinCode         string
	Phase            string
	LastSeq          int64
	CreatedAt        time.Time
	ClosedAt         *time.Time
	FollowsMeetingID string
	// AuditSeq and AuditHash are the head of the meeting's audit chain.
	AuditSeq  int64
	AuditHash string
	// FamilyLabel is read from the join with families; it is no column of meetings.
	FamilyLabel string `gorm:"->"`
	// NoPlan is read, not stored: a closed meeting without a plan version ended
	// with meeting.abandon, the only way to close a meeting without one.
	NoPlan bool `gorm:"->"`
}

func (meetingRow) TableName() string { return "meetings" }

// CreateFamily adds a family to an organisation, with the audit entries that
// record it (their object and family are the new family's when empty).
func (s *Store) CreateFamily(ctx context.Context, orgID, label string, audit ...AuditEntry) (Family, error) {
	r := familyRow{ID: newID(), OrganisationID: orgID, Label: label, CreatedAt: s.now()}
	err := s.changeInOrganisation(ctx, orgID, audit, func(db *gorm.DB) error { return db.Create(&r).Error }, func(e *AuditEntry) {
		if e.ObjectID == "" {
			e.ObjectType, e.ObjectID = "family", r.ID
		}
		if e.FamilyID == "" {
			e.FamilyID = r.ID
		}
	})
	return Family{ID: r.ID, OrganisationID: orgID, Label: label, CreatedAt: r.CreatedAt}, translate(err)
}

// ListFamilies returns an organisation's families, newest first.
func (s *Store) ListFamilies(ctx context.Context, orgID string) ([]Family, error) {
	var rows []familyRow
	err := s.inOrganisation(ctx, orgID, func(db *gorm.DB) error {
		return db.Where("organisation_id = ?", orgID).Order("created_at DESC, id").Find(&rows).Error
	})
	if err != nil {
		return nil, err
	}
	out := make([]Family, 0, len(rows))
	for _, r := range rows {
		out = append(out, Family{ID: r.ID, OrganisationID: r.OrganisationID, Label: r.Label, CreatedAt: r.CreatedAt})
	}
	return out, nil
}

// FindFamily returns one of an organisation's families.
func (s *Store) FindFamily(ctx context.Context, orgID, id string) (Family, error) {
	var f Family
	err := s.inOrganisation(ctx, orgID, func(db *gorm.DB) (err error) {
		f, err = findFamily(db, orgID, id)
		return err
	})
	return f, err
}

func findFamily(db *gorm.DB, orgID, id string) (Family, error) {
	var r familyRow
	err := db.Where("organisation_id = ? AND id = ?", orgID, id).First(&r).Error
	return Family{ID: r.ID, OrganisationID: r.OrganisationID, Label: r.Label, CreatedAt: r.CreatedAt}, translate(err)
}

// JoinCodeAlphabet has no look-alikes (no 0/O, 1/I/L, 2/Z, 5/S, 8/B).
const JoinCodeAlphabet = "34679ACDEFGHJKMNPQRTUVWXY"

// JoinCodeLength gives 25^8, about 37 bits.
const JoinCodeLength = 8

func newJoinCode() string {
	b := make([]byte, JoinCodeLength)
	max := big.NewInt(int64(len(JoinCodeAlphabet)))
	for i := range b {
		n, err := rand.Int(rand.Reader, max)
		if err != nil {
			panic(err)
		}
		b[i] = JoinCodeAlphabet[n.Int64()]
	}
	return string(b)
}

// NewMeeting is what a coordinator prepares.
type NewMeeting struct {
	OrganisationID string
	FamilyID       string
	Title          string
	Date           string
	Options        meeting.Options
	// FollowsMeetingID is, for a follow-up, the meeting it was made from.
	FollowsMeetingID string
}

// CreateMeeting stores a new meeting with the events that prepare it (its parties),
// produced by prepare from the empty state, and the audit entries that record it
// (their object and family are the new meeting's when empty), all in one transaction.
func (s *Store) CreateMeeting(ctx context.Context, nm NewMeeting, prepare func(*meeting.Meeting) (*meeting.Meeting, []meeting.Event, error), audit ...AuditEntry) (MeetingInfo, error) {
	var info MeetingInfo
	err := s.changeInOrganisation(ctx, nm.OrganisationID, audit, func(db *gorm.DB) error {
		fam, err := findFamily(db, nm.OrganisationID, nm.FamilyID)
		if err != nil {
			return err
		}
		opts, _ := json.Marshal(nm.Options)
		r := meetingRow{ID: newID(), OrganisationID: nm.OrganisationID, FamilyID: fam.ID, Title: nm.Title, Date: nm.Date,
			Options: string(opts), JoinCode: newJoinCode(), Phase: string(meeting.PhaseLobby), CreatedAt: s.now(),
			FollowsMeetingID: nm.FollowsMeetingID}
		m := meeting.New(headerOf(r, fam.Label))
		next, events, err := prepare(m)
		if err != nil {
			return err
		}
		err = db.Transaction(func(tx *gorm.DB) error {
			r.LastSeq = next.Seq
			if err := tx.Create(&r).Error; err != nil {
				return err
			}
			return s.insertEvents(tx, r.ID, events)
		})
		if err != nil {
			return translate(err)
		}
		info = r.info(fam.Label)
		return nil
	}, func(e *AuditEntry) {
		if e.ObjectID == "" {
			e.ObjectType, e.ObjectID = "meeting", info.ID
		}
		if e.FamilyID == "" {
			e.FamilyID = info.FamilyID
		}
	})
	return info, err
}

func headerOf(r meetingRow, familyLabel string) meeting.Header {
	var opts meeting.Options
	_ = json.Unmarshal([]byte(r.Options), &opts)
	return meeting.Header{ID: r.ID, FamilyLabel: familyLabel, Title: r.Title, Date: r.Date, Phase: meeting.PhaseLobby, Options: opts}
}

func (r meetingRow) info(label string) MeetingInfo {
	return MeetingInfo{ID: r.ID, OrganisationID: r.OrganisationID, FamilyID: r.FamilyID, FamilyLabel: label, Title: r.Title,
		Date: r.Date, Phase: meeting.Phase(r.Phase), JoinCode: r.JoinCode, CreatedAt: r.CreatedAt, FollowsMeetingID: r.FollowsMeetingID,
		EndedWithoutPlan: r.NoPlan}
}

func meetingQuery(db *gorm.DB) *gorm.DB {
	return db.Table("meetings").
		Select("meetings.*, families.label AS family_label, " +
			"(meetings.phase = 'closed' AND NOT EXISTS (SELECT 1 FROM plan_versions WHERE plan_versions.meeting_id = meetings.id)) AS no_plan").
		Joins("JOIN families ON families.id = meetings.family_id")
}

// ListMeetings returns an organisation's meetings, newest first.
func (s *Store) ListMeetings(ctx context.Context, orgID string) ([]MeetingInfo, error) {
	var out []MeetingInfo
	err := s.inOrganisation(ctx, orgID, func(db *gorm.DB) (err error) {
		out, err = listMeetings(db, orgID)
		return err
	})
	return out, err
}

func listMeetings(db *gorm.DB, orgID string) ([]MeetingInfo, error) {
	var rows []meetingRow
	if err := meetingQuery(db).Where("meetings.organisation_id = ?", orgID).
		Order("meetings.created_at DESC, meetings.id").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]MeetingInfo, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.info(r.FamilyLabel))
	}
	return out, nil
}

// FindMeeting returns one of an organisation's meetings.
func (s *Store) FindMeeting(ctx context.Context, orgID, id string) (MeetingInfo, error) {
	var r meetingRow
	err := s.inOrganisation(ctx, orgID, func(db *gorm.DB) error {
		return meetingQuery(db).Where("meetings.organisation_id = ? AND meetings.id = ?", orgID, id).Take(&r).Error
	})
	return r.info(r.FamilyLabel), translate(err)
}

// FindMeetingByJoinCode returns the meeting with that code, in any organisation.
func (s *Store) FindMeetingByJoinCode(ctx context.Context, code string) (MeetingInfo, error) {
	var r meetingRow
	err := meetingQuery(s.db.WithContext(ctx)).Where("meetings.join_code = ?", code).Take(&r).Error
	return r.info(r.FamilyLabel), translate(err)
}

// LoadMeeting rebuilds a meeting's state from its row and its whole event log.
// Its callers know the meeting, not the organisation: the log is read inside
// the organisation the meeting's row names.
func (s *Store) LoadMeeting(ctx context.Context, id string) (*meeting.Meeting, MeetingInfo, error) {
	var (
		m    *meeting.Meeting
		info MeetingInfo
	)
	err := s.inTx(ctx, func(db *gorm.DB) (err error) {
		m, info, err = s.loadMeeting(db, id)
		return err
	})
	return m, info, err
}

func (s *Store) loadMeeting(db *gorm.DB, id string) (*meeting.Meeting, MeetingInfo, error) {
	st, err := s.openMeeting(db, id)
	return st.Meeting, st.Info, err
}

// OpenMeeting loads what the application keeps of a live meeting: its state
// rebuilt from the event log, its info and the head of its audit chain.
func (s *Store) OpenMeeting(ctx context.Context, id string) (meeting.Stored, error) {
	var st meeting.Stored
	err := s.inTx(ctx, func(db *gorm.DB) (err error) {
		st, err = s.openMeeting(db, id)
		return err
	})
	return st, err
}

func (s *Store) openMeeting(db *gorm.DB, id string) (meeting.Stored, error) {
	var r meetingRow
	if err := meetingQuery(db).Where("meetings.id = ?", id).Take(&r).Error; err != nil {
		return meeting.Stored{}, translate(err)
	}
	if err := s.scope(db, r.OrganisationID); err != nil {
		return meeting.Stored{}, err
	}
	m := meeting.New(headerOf(r, r.FamilyLabel))
	if err := s.catchUp(db, m, r.LastSeq); err != nil {
		return meeting.Stored{}, err
	}
	return meeting.Stored{Meeting: m, Info: r.info(r.FamilyLabel), Audit: ChainHead{Seq: r.AuditSeq, Hash: r.AuditHash}}, nil
}

// LastSeqs returns the stored seq of each of the meetings that exist, so that
// an instance can tell which of its live meetings another instance moved on.
func (s *Store) LastSeqs(ctx context.Context, ids []string) (map[string]int64, error) {
	out := make(map[string]int64, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID      string
		LastSeq int64
	}
	if err := s.db.WithContext(ctx).Table("meetings").Select("id, last_seq").Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.ID] = r.LastSeq
	}
	return out, nil
}

type eventRow struct {
	MeetingID     string
	Seq           int64
	Name          string
	Scope         string
	ParticipantID string
	Data          string
	CreatedAt     time.Time
}

func (eventRow) TableName() string { return "meeting_events" }

func (s *Store) insertEvents(tx *gorm.DB, meetingID string, events []meeting.Event) error {
	if len(events) == 0 {
		return nil
	}
	rows := make([]eventRow, len(events))
	now := s.now()
	for i, ev := range events {
		rows[i] = eventRow{MeetingID: meetingID, Seq: ev.Seq, Name: ev.Name, Scope: string(ev.Scope),
			ParticipantID: ev.ParticipantID, Data: string(ev.Data), CreatedAt: now}
	}
	return tx.Create(&rows).Error
}

// EventsSince returns a meeting's events with seq in (after, upTo], in order.
func (s *Store) EventsSince(ctx context.Context, meetingID string, after, upTo int64) ([]meeting.Event, error) {
	return s.eventsSince(s.db.WithContext(ctx), meetingID, after, upTo)
}

func (s *Store) eventsSince(db *gorm.DB, meetingID string, after, upTo int64) ([]meeting.Event, error) {
	var rows []eventRow
	if err := db.Where("meeting_id = ? AND seq > ? AND seq <= ?", meetingID, after, upTo).Order("seq").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]meeting.Event, len(rows))
	for i, r := range rows {
		out[i] = meeting.Event{Seq: r.Seq, Name: r.Name, Scope: meeting.Scope(r.Scope), ParticipantID: r.ParticipantID, Data: json.RawMessage(r.Data)}
	}
	return out, nil
}

// catchUp applies to m the events it has not seen, up to seq upTo.
func (s *Store) catchUp(db *gorm.DB, m *meeting.Meeting, upTo int64) error {
	if m.Seq >= upTo {
		return nil
	}
	evs, err := s.eventsSince(db, m.ID, m.Seq, upTo)
	if err != nil {
		return err
	}
	for _, ev := range evs {
		if err := m.Apply(ev); err != nil {
			return err
		}
	}
	if m.Seq != upTo {
		return fmt.Errorf("meeting %s: log ends at %d, row says %d", m.ID, m.Seq, upTo)
	}
	return nil
}

// MeetingHead returns a meeting's stored seq and the head of its audit chain.
func (s *Store) MeetingHead(ctx context.Context, id string) (int64, ChainHead, error) {
	var r meetingRow
	err := s.db.WithContext(ctx).Select("last_seq, audit_seq, audit_hash").Where("id = ?", id).Take(&r).Error
	return r.LastSeq, ChainHead{Seq: r.AuditSeq, Hash: r.AuditHash}, translate(err)
}

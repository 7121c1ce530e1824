package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/tafel-met/tafel/server/meeting"
)

// AuditEntry and the audit actions are the domain's; these names keep the
// store's callers short.
type AuditEntry = meeting.AuditEntry

// Audit actions, in the words of NEN 7513.
const (
	AuditRead        = meeting.AuditRead
	AuditCreate      = meeting.AuditCreate
	AuditUpdate      = meeting.AuditUpdate
	AuditDelete      = meeting.AuditDelete
	AuditExport      = meeting.AuditExport
	AuditLogin       = meeting.AuditLogin
	AuditLoginFailed = meeting.AuditLoginFailed
	AuditLogout      = meeting.AuditLogout
	AuditDenied      = meeting.AuditDenied
)

type auditRow struct {
	ID             int64 `gorm:"primaryKey"`
	OrganisationID string
	Chain          string // "" for the organisation's chain, else a meeting id
	ChainSeq       int64
	At             time.Time
	ActorType      string
	ActorID        string
	ActorRole      string
	OnBehalfOf     string
	Action         string
	ObjectType     string
	ObjectID       string
	FamilyID       string
	Outcome        string
	Detail         string
	Address        string
	UserAgent      string
	PrevHash       string
	Hash           string
}

func (auditRow) TableName() string { return "audit_log" }

// hashOf is the row's hash: SHA-256 over its fields and the previous row's hash,
// so a changed, inserted or removed row breaks the chain after it. The chain's
// name is hashed only when it is a meeting's, so rows of the organisation
// chains written before meeting chains existed keep their hashes.
func (r auditRow) hashOf() string {
	h := sha256.New()
	fields := []string{r.PrevHash, r.OrganisationID}
	if r.Chain != "" {
		fields = append(fields, "chain:"+r.Chain)
	}
	fields = append(fields, strconv.FormatInt(r.ChainSeq, 10), r.At.UTC().Format(time.RFC3339Nano),
		r.ActorType, r.ActorID, r.ActorRole, r.OnBehalfOf, r.Action, r.ObjectType, r.ObjectID, r.FamilyID,
		r.Outcome, r.Detail, r.Address, r.UserAgent)
	for _, f := range fields {
		h.Write([]byte(strconv.Itoa(len(f))))
		h.Write([]byte{':'})
		h.Write([]byte(f))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Audit appends an entry that belongs to no meeting's live session (a sign-in,
// an account change, a read through REST) to its organisation's chain, in a
// transaction of its own: for a read, the entry is the whole of the change.
func (s *Store) Audit(ctx context.Context, e AuditEntry) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return s.auditTx(tx, e) })
}

// auditTx appends e to its organisation's chain inside a transaction the caller
// holds, so an audited change and its audit row commit together. It is the one
// way audit rows outside a meeting's chain are written.
func (s *Store) auditTx(tx *gorm.DB, e AuditEntry) error {
	if s.dialect == Postgres {
		// One writer per organisation's chain at a time. Meetings' changes never
		// come here: they chain in their own meeting's chain (see Commit).
		if err := tx.Exec(`SELECT pg_advisory_xact_lock(7150002, hashtext(?))`, e.OrganisationID).Error; err != nil {
			return err
		}
	}
	var last auditRow
	err := tx.Where("organisation_id = ? AND chain = ''", e.OrganisationID).Order("chain_seq DESC").Limit(1).Find(&last).Error
	if err != nil {
		return err
	}
	r := s.auditRowOf(e, "", ChainHead{Seq: last.ChainSeq, Hash: last.Hash})
	return tx.Create(&r).Error
}

// ChainHead is the domain's name for the head of an audit chain.
type ChainHead = meeting.ChainHead

// auditRowOf makes the row that follows head in a chain, with its hash.
func (s *Store) auditRowOf(e AuditEntry, chain string, head ChainHead) auditRow {
	at := e.At
	if at.IsZero() {
		at = s.now()
	}
	r := auditRow{OrganisationID: e.OrganisationID, Chain: chain, ChainSeq: head.Seq + 1, At: at.UTC().Truncate(time.Microsecond),
		ActorType: e.ActorType, ActorID: e.ActorID, ActorRole: e.ActorRole, OnBehalfOf: e.OnBehalfOf, Action: e.Action,
		ObjectType: e.ObjectType, ObjectID: e.ObjectID, FamilyID: e.FamilyID, Outcome: orDefault(e.Outcome, "ok"),
		Detail: clip(e.Detail, 200), Address: clip(e.Address, 100), UserAgent: clip(e.UserAgent, 300), PrevHash: head.Hash}
	r.Hash = r.hashOf()
	return r
}

// meetingAuditRows chains a commit's audit entries onto its meeting's chain and
// returns them with the chain's new head.
func (s *Store) meetingAuditRows(c meeting.Commit) ([]auditRow, ChainHead) {
	head := c.AuditFrom
	rows := make([]auditRow, len(c.Audit))
	for i, e := range c.Audit {
		e.OrganisationID, e.FamilyID = c.OrganisationID, c.FamilyID
		if e.ObjectType == "" {
			e.ObjectType, e.ObjectID = "meeting", c.MeetingID
		}
		rows[i] = s.auditRowOf(e, c.MeetingID, head)
		head = ChainHead{Seq: rows[i].ChainSeq, Hash: rows[i].Hash}
	}
	return rows, head
}

// checkpointTx records a meeting chain's head in the organisation's chain, in
// the caller's transaction: after the meeting's row (which holds the head) is
// gone, the checkpoint still shows where the chain ended.
func (s *Store) checkpointTx(tx *gorm.DB, orgID, familyID, meetingID string, head ChainHead) error {
	if head.Seq == 0 {
		return nil
	}
	return s.auditTx(tx, AuditEntry{OrganisationID: orgID, ActorType: "system", Action: meeting.AuditCheckpoint,
		ObjectType: "audit_chain", ObjectID: meetingID, FamilyID: familyID, Detail: checkpointDetail(head)})
}

func checkpointDetail(h ChainHead) string { return strconv.FormatInt(h.Seq, 10) + ":" + h.Hash }

func parseCheckpoint(detail string) (ChainHead, bool) {
	seq, hash, ok := strings.Cut(detail, ":")
	n, err := strconv.ParseInt(seq, 10, 64)
	return ChainHead{Seq: n, Hash: hash}, ok && err == nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}

// AuditRecord is an audit row as shown to an organisation's coordinators.
type AuditRecord struct {
	At         time.Time `json:"at"`
	ActorType  string    `json:"actorType"`
	ActorID    string    `json:"actorId"`
	ActorRole  string    `json:"actorRole"`
	OnBehalfOf string    `json:"onBehalfOf"`
	Action     string    `json:"action"`
	ObjectType string    `json:"objectType"`
	ObjectID   string    `json:"objectId"`
	Outcome    string    `json:"outcome"`
	Detail     string    `json:"detail"`
	Address    string    `json:"address"`
	UserAgent  string    `json:"userAgent"`
}

// FamilyAudit returns who accessed one family's data, newest first.
func (s *Store) FamilyAudit(ctx context.Context, orgID, familyID string, limit int) ([]AuditRecord, error) {
	var out []AuditRecord
	err := s.inOrganisation(ctx, orgID, func(db *gorm.DB) (err error) {
		out, err = familyAudit(db, orgID, familyID, limit)
		return err
	})
	return out, err
}

func familyAudit(db *gorm.DB, orgID, familyID string, limit int) ([]AuditRecord, error) {
	var rows []auditRow
	if err := db.Where("organisation_id = ? AND family_id = ?", orgID, familyID).
		Order("at DESC, id DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]AuditRecord, len(rows))
	for i, r := range rows {
		out[i] = AuditRecord{At: r.At, ActorType: r.ActorType, ActorID: r.ActorID, ActorRole: r.ActorRole, OnBehalfOf: r.OnBehalfOf,
			Action: r.Action, ObjectType: r.ObjectType, ObjectID: r.ObjectID, Outcome: r.Outcome, Detail: r.Detail,
			Address: r.Address, UserAgent: r.UserAgent}
	}
	return out, nil
}

// AuditProblem is one break in an audit chain.
type AuditProblem struct {
	OrganisationID string
	Chain          string // "" for the organisation's chain, else the meeting's id
	ChainSeq       int64
	Problem        string
}

func (p AuditProblem) String() string {
	if p.Chain != "" {
		return fmt.Sprintf("organisation %q, meeting %q, entry %d: %s", p.OrganisationID, p.Chain, p.ChainSeq, p.Problem)
	}
	return fmt.Sprintf("organisation %q, entry %d: %s", p.OrganisationID, p.ChainSeq, p.Problem)
}

type chainKey struct{ org, chain string }

// VerifyAudit walks every chain (each organisation's, and each meeting's) and
// reports each row whose hash does not match its contents (changed), whose link
// does not match the row before (inserted or removed), and gaps in the
// numbering (removed). A meeting chain's last row must be the head its meeting
// row holds, or, once the meeting is purged, at least the last checkpoint the
// organisation's chain recorded of it; so a cut tail is found too.
func (s *Store) VerifyAudit(ctx context.Context) (checked int, problems []AuditProblem, err error) {
	var keys []struct{ OrganisationID, Chain string }
	if err := s.db.WithContext(ctx).Model(&auditRow{}).Distinct("organisation_id", "chain").
		Order("organisation_id, chain").Find(&keys).Error; err != nil {
		return 0, nil, err
	}
	heads := map[chainKey]auditRow{}
	checkpoints := map[chainKey]ChainHead{} // the last checkpoint of each meeting chain
	for _, k := range keys {
		key := chainKey{k.OrganisationID, k.Chain}
		var prev auditRow
		const batch = 1000
		for after := int64(0); ; {
			var rows []auditRow
			if err := s.db.WithContext(ctx).Where("organisation_id = ? AND chain = ? AND chain_seq > ?", key.org, key.chain, after).
				Order("chain_seq").Limit(batch).Find(&rows).Error; err != nil {
				return checked, problems, err
			}
			for _, r := range rows {
				checked++
				add := func(msg string) { problems = append(problems, AuditProblem{key.org, key.chain, r.ChainSeq, msg}) }
				if r.ChainSeq != prev.ChainSeq+1 {
					add(fmt.Sprintf("entries %d to %d are missing", prev.ChainSeq+1, r.ChainSeq-1))
				}
				if r.PrevHash != prev.Hash {
					add("does not link to the entry before it (an entry was inserted or removed)")
				}
				if r.hashOf() != r.Hash {
					add("its contents do not match its hash (the entry was changed)")
				}
				if prev.ID != 0 && r.ID < prev.ID {
					add("is older than the entry before it (an entry was inserted)")
				}
				if key.chain == "" && r.Action == meeting.AuditCheckpoint {
					if h, ok := parseCheckpoint(r.Detail); ok {
						checkpoints[chainKey{key.org, r.ObjectID}] = h
					}
				}
				prev = r
			}
			if len(rows) < batch {
				break
			}
			after = rows[len(rows)-1].ChainSeq
		}
		heads[key] = prev
	}
	// Where each meeting chain must end.
	var meetings []struct {
		ID, OrganisationID string
		AuditSeq           int64
		AuditHash          string
	}
	if err := s.db.WithContext(ctx).Table("meetings").Select("id, organisation_id, audit_seq, audit_hash").
		Where("audit_seq > 0").Find(&meetings).Error; err != nil {
		return checked, problems, err
	}
	for _, m := range meetings {
		key := chainKey{m.OrganisationID, m.ID}
		last := heads[key]
		if last.ChainSeq != m.AuditSeq || last.Hash != m.AuditHash {
			problems = append(problems, AuditProblem{key.org, key.chain, last.ChainSeq,
				fmt.Sprintf("the chain ends at entry %d, its meeting's head is entry %d (entries were removed or added at the end)", last.ChainSeq, m.AuditSeq)})
		}
	}
	// Every meeting chain, of a purged meeting too, must hold its last checkpoint.
	for key, cp := range checkpoints {
		var r auditRow
		err := s.db.WithContext(ctx).Where("organisation_id = ? AND chain = ? AND chain_seq = ?", key.org, key.chain, cp.Seq).Limit(1).Find(&r).Error
		if err != nil {
			return checked, problems, err
		}
		if r.ID == 0 || r.Hash != cp.Hash {
			problems = append(problems, AuditProblem{key.org, key.chain, cp.Seq,
				"does not match the checkpoint of its chain in the organisation's chain (entries were removed or changed)"})
		}
	}
	return checked, problems, nil
}

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
)

// Audit actions, in the words of NEN 7513.
const (
	AuditRead        = "read"
	AuditCreate      = "create"
	AuditUpdate      = "update"
	AuditDelete      = "delete"
	AuditExport      = "export"
	AuditLogin       = "login"
	AuditLoginFailed = "login_failed"
	AuditLogout      = "logout"
	AuditDenied      = "denied"
)

// AuditEntry is one access to personal data, or a sign-in, or a refusal.
type AuditEntry struct {
	OrganisationID string // "" for events outside any organisation (an unknown email)
	ActorType      string // user, participant, system, anonymous
	ActorID        string
	ActorRole      string // admin, coordinator, participant, screen
	OnBehalfOf     string // the party a coordinator typed for, if any
	Action         string
	ObjectType     string // meeting, family, plan, participant, account
	ObjectID       string
	FamilyID       string
	Outcome        string // ok, denied, failed
	Detail         string // the command name, say; never personal text
	Address        string
	UserAgent      string
	At             time.Time
}

type auditRow struct {
	ID             int64 `gorm:"primaryKey"`
	OrganisationID string
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
// so a changed, inserted or removed row breaks the chain after it.
func (r auditRow) hashOf() string {
	h := sha256.New()
	for _, f := range []string{r.PrevHash, r.OrganisationID, strconv.FormatInt(r.ChainSeq, 10), r.At.UTC().Format(time.RFC3339Nano),
		r.ActorType, r.ActorID, r.ActorRole, r.OnBehalfOf, r.Action, r.ObjectType, r.ObjectID, r.FamilyID,
		r.Outcome, r.Detail, r.Address, r.UserAgent} {
		h.Write([]byte(strconv.Itoa(len(f))))
		h.Write([]byte{':'})
		h.Write([]byte(f))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Audit appends an entry to its organisation's chain.
func (s *Store) Audit(ctx context.Context, e AuditEntry) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return s.auditTx(tx, e) })
}

// auditTx appends inside a transaction the caller holds, so an audited change and
// its audit row commit together.
func (s *Store) auditTx(tx *gorm.DB, e AuditEntry) error {
	if s.dialect == Postgres {
		// One writer per organisation's chain at a time.
		if err := tx.Exec(`SELECT pg_advisory_xact_lock(7150002, hashtext(?))`, e.OrganisationID).Error; err != nil {
			return err
		}
	}
	var last auditRow
	err := tx.Where("organisation_id = ?", e.OrganisationID).Order("chain_seq DESC").Limit(1).Find(&last).Error
	if err != nil {
		return err
	}
	at := e.At
	if at.IsZero() {
		at = s.now()
	}
	r := auditRow{OrganisationID: e.OrganisationID, ChainSeq: last.ChainSeq + 1, At: at.UTC().Truncate(time.Microsecond),
		ActorType: e.ActorType, ActorID: e.ActorID, ActorRole: e.ActorRole, OnBehalfOf: e.OnBehalfOf, Action: e.Action,
		ObjectType: e.ObjectType, ObjectID: e.ObjectID, FamilyID: e.FamilyID, Outcome: orDefault(e.Outcome, "ok"),
		Detail: clip(e.Detail, 200), Address: clip(e.Address, 100), UserAgent: clip(e.UserAgent, 300), PrevHash: last.Hash}
	r.Hash = r.hashOf()
	return tx.Create(&r).Error
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
		Order("chain_seq DESC").Limit(limit).Find(&rows).Error; err != nil {
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

// AuditProblem is one break in an organisation's chain.
type AuditProblem struct {
	OrganisationID string
	ChainSeq       int64
	Problem        string
}

func (p AuditProblem) String() string {
	return fmt.Sprintf("organisation %q, entry %d: %s", p.OrganisationID, p.ChainSeq, p.Problem)
}

// VerifyAudit walks every organisation's chain and reports each row whose hash
// does not match its contents (changed), whose link does not match the row
// before (inserted or removed), and gaps in the numbering (removed).
func (s *Store) VerifyAudit(ctx context.Context) (checked int, problems []AuditProblem, err error) {
	var orgs []string
	if err := s.db.WithContext(ctx).Model(&auditRow{}).Distinct("organisation_id").Pluck("organisation_id", &orgs).Error; err != nil {
		return 0, nil, err
	}
	for _, org := range orgs {
		var prev auditRow
		const batch = 1000
		for after := int64(0); ; {
			var rows []auditRow
			if err := s.db.WithContext(ctx).Where("organisation_id = ? AND chain_seq > ?", org, after).
				Order("chain_seq").Limit(batch).Find(&rows).Error; err != nil {
				return checked, problems, err
			}
			for _, r := range rows {
				checked++
				add := func(msg string) { problems = append(problems, AuditProblem{org, r.ChainSeq, msg}) }
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
				prev = r
			}
			if len(rows) < batch {
				break
			}
			after = rows[len(rows)-1].ChainSeq
		}
	}
	return checked, problems, nil
}

type auditKey struct{}

// WithAudit returns a context whose Execute also writes e to the audit log, in the
// same transaction as the change it describes. Execute fills in the organisation,
// the family and the meeting.
func WithAudit(ctx context.Context, e AuditEntry) context.Context {
	return context.WithValue(ctx, auditKey{}, e)
}

func auditFrom(ctx context.Context) (AuditEntry, bool) {
	e, ok := ctx.Value(auditKey{}).(AuditEntry)
	return e, ok
}

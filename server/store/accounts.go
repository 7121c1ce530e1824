package store

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
)

// Organisation is a tenant: a municipality or care organisation.
type Organisation struct {
	ID   string
	Name string
}

// User is a coordinator account.
type User struct {
	ID             string
	OrganisationID string
	Email          string
	Name           string
	Role           string
	PasswordHash   string
	TOTPSecret     string
	TOTPEnabled    bool
}

// Session is a signed-in coordinator.
type Session struct {
	UserID         string
	OrganisationID string
	ExpiresAt      time.Time
	LastSeenAt     time.Time
}

type organisationRow struct {
	ID        string
	Name      string
	CreatedAt time.Time
}

func (organisationRow) TableName() string { return "organisations" }

type userRow struct {
	ID             string
	OrganisationID string
	Email          string
	Name           string
	Role           string
	PasswordHash   string
	TOTPSecret     string `gorm:"column:totp_secret"`
	TOTPEnabled    bool   `gorm:"column:totp_enabled"`
	CreatedAt      time.Time
}

func (userRow) TableName() string { return "users" }

type sessionRow struct {
	IDHash         string `gorm:"primaryKey"`
	UserID         string
	OrganisationID string
	CreatedAt      time.Time
	LastSeenAt     time.Time
	ExpiresAt      time.Time
}

func (sessionRow) TableName() string { return "sessions" }

type setupTokenRow struct {
	TokenHash string `gorm:"primaryKey"`
	UserID    *string
	ExpiresAt time.Time
	UsedAt    *time.Time
}

func (setupTokenRow) TableName() string { return "setup_tokens" }

func (r userRow) user() User {
	return User{ID: r.ID, OrganisationID: r.OrganisationID, Email: r.Email, Name: r.Name, Role: r.Role, PasswordHash: r.PasswordHash,
		TOTPSecret: r.TOTPSecret, TOTPEnabled: r.TOTPEnabled}
}

// CountUsers returns how many accounts exist in all organisations.
func (s *Store) CountUsers(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&userRow{}).Count(&n).Error
	return n, err
}

// CreateOrganisationWithAdmin makes a new organisation and its first account.
func (s *Store) CreateOrganisationWithAdmin(ctx context.Context, orgName string, u User) (Organisation, User, error) {
	org := organisationRow{ID: newID(), Name: orgName, CreatedAt: s.now()}
	u.ID, u.OrganisationID = newID(), org.ID
	if u.Role == "" {
		u.Role = "admin"
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&org).Error; err != nil {
			return err
		}
		return tx.Create(&userRow{ID: u.ID, OrganisationID: org.ID, Email: u.Email, Name: u.Name, Role: u.Role,
			PasswordHash: u.PasswordHash, CreatedAt: s.now()}).Error
	})
	return Organisation{ID: org.ID, Name: org.Name}, u, translate(err)
}

// FindOrganisationByName returns the organisation with that exact name.
func (s *Store) FindOrganisationByName(ctx context.Context, name string) (Organisation, error) {
	var r organisationRow
	err := s.db.WithContext(ctx).Where("name = ?", name).First(&r).Error
	return Organisation{ID: r.ID, Name: r.Name}, translate(err)
}

// FindOrganisationByID returns one organisation.
func (s *Store) FindOrganisationByID(ctx context.Context, id string) (Organisation, error) {
	var r organisationRow
	err := s.db.WithContext(ctx).Where("id = ?", id).First(&r).Error
	return Organisation{ID: r.ID, Name: r.Name}, translate(err)
}

// CreateUser adds an account to an existing organisation.
//
// The audit entries that record it are written in the same transaction (their
// object is the new account when empty).
func (s *Store) CreateUser(ctx context.Context, u User, audit ...AuditEntry) (User, error) {
	u.ID = newID()
	err := s.changeInOrganisation(ctx, u.OrganisationID, audit, func(db *gorm.DB) error {
		return db.Create(&userRow{ID: u.ID, OrganisationID: u.OrganisationID, Email: u.Email,
			Name: u.Name, Role: u.Role, PasswordHash: u.PasswordHash, CreatedAt: s.now()}).Error
	}, func(e *AuditEntry) {
		if e.ObjectID == "" {
			e.ObjectType, e.ObjectID = "account", u.ID
		}
	})
	return u, translate(err)
}

// FindUserByEmail returns the account with that email, in any organisation.
func (s *Store) FindUserByEmail(ctx context.Context, email string) (User, error) {
	var r userRow
	err := s.db.WithContext(ctx).Where("email = ?", email).First(&r).Error
	return r.user(), translate(err)
}

// FindUserByID returns one account.
func (s *Store) FindUserByID(ctx context.Context, id string) (User, error) {
	var r userRow
	err := s.db.WithContext(ctx).Where("id = ?", id).First(&r).Error
	return r.user(), translate(err)
}

// SetPassword stores a new password hash for an account.
func (s *Store) SetPassword(ctx context.Context, userID, hash string) error {
	res := s.db.WithContext(ctx).Model(&userRow{}).Where("id = ?", userID).Update("password_hash", hash)
	if res.Error == nil && res.RowsAffected == 0 {
		return ErrNotFound
	}
	return res.Error
}

// CreateSession stores a session under the hash of its secret id, with the
// audit entries of its sign-in in the same transaction: a session exists only
// when its audit row does.
func (s *Store) CreateSession(ctx context.Context, idHash string, sess Session, audit ...AuditEntry) error {
	now := s.now()
	return s.changeInOrganisation(ctx, sess.OrganisationID, audit, func(tx *gorm.DB) error {
		return tx.Create(&sessionRow{IDHash: idHash, UserID: sess.UserID, OrganisationID: sess.OrganisationID,
			CreatedAt: now, LastSeenAt: now, ExpiresAt: sess.ExpiresAt}).Error
	}, nil)
}

// TouchSession returns a live session and records it was used; expired or idle
// sessions (last use before idleSince) are deleted and reported as not found.
func (s *Store) TouchSession(ctx context.Context, idHash string, idleSince time.Time) (Session, error) {
	var r sessionRow
	db := s.db.WithContext(ctx)
	if err := db.Where("id_hash = ?", idHash).First(&r).Error; err != nil {
		return Session{}, translate(err)
	}
	now := s.now()
	if !r.ExpiresAt.After(now) || r.LastSeenAt.Before(idleSince) {
		db.Where("id_hash = ?", idHash).Delete(&sessionRow{})
		return Session{}, ErrNotFound
	}
	// Writing on every request would make reads writes; a minute of slack is enough.
	if now.Sub(r.LastSeenAt) > time.Minute {
		db.Model(&sessionRow{}).Where("id_hash = ?", idHash).Update("last_seen_at", now)
	}
	return Session{UserID: r.UserID, OrganisationID: r.OrganisationID, ExpiresAt: r.ExpiresAt, LastSeenAt: now}, nil
}

// DeleteSession ends a session of organisation orgID, with the audit entries
// of the sign-out in the same transaction.
func (s *Store) DeleteSession(ctx context.Context, orgID, idHash string, audit ...AuditEntry) error {
	return s.changeInOrganisation(ctx, orgID, audit, func(tx *gorm.DB) error {
		return tx.Where("id_hash = ?", idHash).Delete(&sessionRow{}).Error
	}, nil)
}

// CreateSetupToken stores a one-time link; userID empty means "first organisation and admin".
func (s *Store) CreateSetupToken(ctx context.Context, tokenHash, userID string, expiresAt time.Time) error {
	r := setupTokenRow{TokenHash: tokenHash, ExpiresAt: expiresAt}
	if userID != "" {
		r.UserID = &userID
	}
	return s.db.WithContext(ctx).Create(&r).Error
}

// ErrTokenUsed is returned for a setup link that expired or was used.
var ErrTokenUsed = errors.New("setup link expired or used")

// UseSetupToken marks a one-time link used and returns the account it is for ("" for first setup).
func (s *Store) UseSetupToken(ctx context.Context, tokenHash string) (string, error) {
	var userID string
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var r setupTokenRow
		if err := tx.Where("token_hash = ?", tokenHash).First(&r).Error; err != nil {
			return ErrTokenUsed
		}
		now := s.now()
		if r.UsedAt != nil || !r.ExpiresAt.After(now) {
			return ErrTokenUsed
		}
		res := tx.Model(&setupTokenRow{}).Where("token_hash = ? AND used_at IS NULL", tokenHash).Update("used_at", now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return ErrTokenUsed
		}
		if r.UserID != nil {
			userID = *r.UserID
		}
		return nil
	})
	return userID, err
}

// ListUsers returns an organisation's accounts, by name.
func (s *Store) ListUsers(ctx context.Context, orgID string) ([]User, error) {
	var rows []userRow
	err := s.inOrganisation(ctx, orgID, func(db *gorm.DB) error {
		return db.Where("organisation_id = ?", orgID).Order("name, email").Find(&rows).Error
	})
	if err != nil {
		return nil, err
	}
	out := make([]User, len(rows))
	for i, r := range rows {
		out[i] = r.user()
	}
	return out, nil
}

// DeleteUser removes one of an organisation's accounts and its sessions.
//
// The audit entries that record it are written in the same transaction.
func (s *Store) DeleteUser(ctx context.Context, orgID, userID string, audit ...AuditEntry) error {
	return s.changeInOrganisation(ctx, orgID, audit, func(tx *gorm.DB) error {
		if err := tx.Where("user_id = ?", userID).Delete(&sessionRow{}).Error; err != nil {
			return err
		}
		if err := tx.Where("user_id = ?", userID).Delete(&setupTokenRow{}).Error; err != nil {
			return err
		}
		res := tx.Where("organisation_id = ? AND id = ?", orgID, userID).Delete(&userRow{})
		if res.Error == nil && res.RowsAffected == 0 {
			return ErrNotFound
		}
		return res.Error
	}, nil)
}

// SetTOTP stores an account's TOTP secret and whether it is in use, with the
// audit entries that record it (of the account's organisation), in one transaction.
func (s *Store) SetTOTP(ctx context.Context, userID, secret string, enabled bool, audit ...AuditEntry) error {
	change := func(db *gorm.DB) error {
		return db.Model(&userRow{}).Where("id = ?", userID).
			Updates(map[string]any{"totp_secret": secret, "totp_enabled": enabled}).Error
	}
	if len(audit) == 0 {
		return change(s.db.WithContext(ctx))
	}
	return s.changeInOrganisation(ctx, audit[0].OrganisationID, audit, change, nil)
}

// DeleteSessionsOf ends every session of an account, after a password or factor change.
func (s *Store) DeleteSessionsOf(ctx context.Context, userID string) error {
	return s.db.WithContext(ctx).Where("user_id = ?", userID).Delete(&sessionRow{}).Error
}

// FindUserByOIDC returns the account linked to an identity provider's subject.
func (s *Store) FindUserByOIDC(ctx context.Context, issuer, subject string) (User, error) {
	var r userRow
	err := s.db.WithContext(ctx).Where("oidc_issuer = ? AND oidc_subject = ? AND oidc_subject <> ''", issuer, subject).Take(&r).Error
	return r.user(), translate(err)
}

// LinkOIDC links an account that has no provider yet to an issuer and subject.
func (s *Store) LinkOIDC(ctx context.Context, userID, issuer, subject string) error {
	res := s.db.WithContext(ctx).Model(&userRow{}).Where("id = ? AND oidc_subject = ''", userID).
		Updates(map[string]any{"oidc_issuer": issuer, "oidc_subject": subject})
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected != 1 {
		return ErrNotFound
	}
	return nil
}

// UseTOTPStep records that an account used the TOTP code of time step, and
// refuses (false) a step at or before the last one used: a code works once.
func (s *Store) UseTOTPStep(ctx context.Context, userID string, step int64) (bool, error) {
	res := s.db.WithContext(ctx).Model(&userRow{}).Where("id = ? AND totp_last_step < ?", userID, step).Update("totp_last_step", step)
	return res.RowsAffected == 1, res.Error
}

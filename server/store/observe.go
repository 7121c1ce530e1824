package store

import (
	"context"
	"errors"

	"gorm.io/gorm"
)

// Observer is told of failed database operations and of audit records written;
// the metrics implement it.
type Observer interface {
	DBError()
	AuditWrite()
}

// Observe tells o of every database operation that fails for a reason other than a
// missing row, a constraint or a cancelled request (those are answers, not faults),
// and of every audit record inserted. It hooks GORM's callbacks, so it sees every
// query of the store, whichever file makes it. Call it once, before serving.
func (s *Store) Observe(o Observer) error {
	failed := func(db *gorm.DB) {
		if db.Error != nil && !expectedError(db.Error) {
			o.DBError()
		}
	}
	cb := s.db.Callback()
	if err := cb.Create().After("gorm:create").Register("tafel:observe_create", func(db *gorm.DB) {
		failed(db)
		if db.Error == nil && db.Statement.Table == "audit_log" && db.RowsAffected > 0 {
			o.AuditWrite()
		}
	}); err != nil {
		return err
	}
	for _, reg := range []func() error{
		func() error { return cb.Query().After("gorm:query").Register("tafel:observe_query", failed) },
		func() error { return cb.Update().After("gorm:update").Register("tafel:observe_update", failed) },
		func() error { return cb.Delete().After("gorm:delete").Register("tafel:observe_delete", failed) },
		func() error { return cb.Row().After("gorm:row").Register("tafel:observe_row", failed) },
		func() error { return cb.Raw().After("gorm:raw").Register("tafel:observe_raw", failed) },
	} {
		if err := reg(); err != nil {
			return err
		}
	}
	return nil
}

func expectedError(err error) bool {
	return errors.Is(err, gorm.ErrRecordNotFound) || errors.Is(err, gorm.ErrDuplicatedKey) ||
		errors.Is(err, gorm.ErrForeignKeyViolated) || errors.Is(err, gorm.ErrCheckConstraintViolated) ||
		errors.Is(err, context.Canceled) || errors.Is(err, ErrNotFound) || errors.Is(err, ErrDuplicate)
}

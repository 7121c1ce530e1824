package store

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
)

// Observer is told of failed database operations and of audit records written;
// the metrics implement it.
type Observer interface {
	DBError()
	AuditWrites(n int)
}

// Observe tells o of every database operation that fails for a reason other than a
// missing row, a constraint, a commit that lost a race, or a cancelled request
// (those are answers, not faults), and of every audit record inserted. It watches
// below the store's code: GORM's callbacks on SQLite, the pgx driver's tracer on
// Postgres (which GORM runs on too), so it sees every query, whichever file makes
// it. An audit record is counted when its insert succeeds; the rare transaction
// that fails after that is counted as a database error.
func (s *Store) Observe(o Observer) { s.observer.Store(&o) }

// observerHolder is set once, before serving, and read by every query.
type observerHolder struct{ atomic.Pointer[Observer] }

func (h *observerHolder) get() Observer {
	if o := h.Load(); o != nil {
		return *o
	}
	return nil
}

var auditInsert = regexp.MustCompile(`^\s*INSERT INTO "?audit_log"?\s`)

// observeGORM counts through GORM's callbacks: SQLite's queries.
func observeGORM(db *gorm.DB, h *observerHolder) error {
	failed := func(db *gorm.DB) {
		if o := h.get(); o != nil && db.Error != nil && !expectedError(db.Error) {
			o.DBError()
		}
	}
	cb := db.Callback()
	if err := cb.Create().After("gorm:create").Register("tafel:observe_create", func(db *gorm.DB) {
		failed(db)
		if o := h.get(); o != nil && db.Error == nil && db.Statement.Table == "audit_log" && db.RowsAffected > 0 {
			o.AuditWrites(int(db.RowsAffected))
		}
	}); err != nil {
		return err
	}
	for _, reg := range []func() error{
		func() error { return cb.Query().After("gorm:query").Register("tafel:observe_query", failed) },
		func() error { return cb.Update().After("gorm:update").Register("tafel:observe_update", failed) },
		func() error { return cb.Delete().After("gorm:delete").Register("tafel:observe_delete", failed) },
		func() error { return cb.Row().After("gorm:row").Register("tafel:observe_row", failed) },
		func() error {
			return cb.Raw().After("gorm:raw").Register("tafel:observe_raw", func(db *gorm.DB) {
				failed(db)
				if o := h.get(); o != nil && db.Error == nil && auditInsert.MatchString(db.Statement.SQL.String()) && db.RowsAffected > 0 {
					o.AuditWrites(int(db.RowsAffected))
				}
			})
		},
	} {
		if err := reg(); err != nil {
			return err
		}
	}
	return nil
}

// pgObserver counts through pgx's tracer: every Postgres query, GORM's and the
// command path's batches alike.
type pgObserver struct{ h *observerHolder }

type traceKey struct{}

// queryTrace is what a query's start leaves for its end.
type queryTrace struct {
	audit bool
	// audited counts a batch's audit rows, reported once the batch succeeded.
	audited int
}

var (
	_ pgx.QueryTracer = pgObserver{}
	_ pgx.BatchTracer = pgObserver{}
)

func (p pgObserver) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	return context.WithValue(ctx, traceKey{}, &queryTrace{audit: auditInsert.MatchString(d.SQL)})
}

func (p pgObserver) TraceQueryEnd(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryEndData) {
	o := p.h.get()
	if o == nil {
		return
	}
	if d.Err != nil {
		if !expectedError(d.Err) {
			o.DBError()
		}
		return
	}
	if t, _ := ctx.Value(traceKey{}).(*queryTrace); t != nil && t.audit && d.CommandTag.RowsAffected() > 0 {
		o.AuditWrites(int(d.CommandTag.RowsAffected()))
	}
}

func (p pgObserver) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	return context.WithValue(ctx, traceKey{}, &queryTrace{})
}

func (p pgObserver) TraceBatchQuery(ctx context.Context, _ *pgx.Conn, d pgx.TraceBatchQueryData) {
	if t, _ := ctx.Value(traceKey{}).(*queryTrace); t != nil && d.Err == nil && auditInsert.MatchString(d.SQL) {
		t.audited += int(d.CommandTag.RowsAffected())
	}
}

func (p pgObserver) TraceBatchEnd(ctx context.Context, _ *pgx.Conn, d pgx.TraceBatchEndData) {
	o := p.h.get()
	if o == nil {
		return
	}
	if d.Err != nil {
		if !expectedError(d.Err) {
			o.DBError()
		}
		return
	}
	if t, _ := ctx.Value(traceKey{}).(*queryTrace); t != nil && t.audited > 0 {
		o.AuditWrites(t.audited)
	}
}

func expectedError(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		// Class 23 is a constraint (a duplicate, a missing parent), raised as an
		// answer; staleSQLState is a commit that lost a race and is retried.
		return strings.HasPrefix(pgErr.Code, "23") || pgErr.Code == staleSQLState
	}
	return errors.Is(err, gorm.ErrRecordNotFound) || errors.Is(err, gorm.ErrDuplicatedKey) ||
		errors.Is(err, gorm.ErrForeignKeyViolated) || errors.Is(err, gorm.ErrCheckConstraintViolated) ||
		errors.Is(err, pgx.ErrNoRows) || errors.Is(err, context.Canceled) || errors.Is(err, ErrNotFound) || errors.Is(err, ErrDuplicate)
}

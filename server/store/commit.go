package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/tafel-met/tafel/server/meeting"
)

// CommandKey is the domain's key of a command for idempotency.
type CommandKey = meeting.CommandKey

type commandRow struct {
	MeetingID string
	Actor     string
	CommandID string
	Seq       int64
}

func (commandRow) TableName() string { return "meeting_commands" }

// Commit stores one change of a meeting atomically: its events, the command ids
// it answers, its audit rows chained onto the meeting's chain, the meeting's new
// seq, phase and chain head, and the tables read without the event log
// (participants, closed plans). It stores nothing and says Stale when the
// meeting is no longer at c.FromSeq and c.AuditFrom (another instance moved
// it), and lists Duplicates when a command id was stored before.
//
// Independent meetings never wait on one another: the only row a commit locks
// is its own meeting's. On Postgres a commit is one round trip; on SQLite the
// one writer groups the commits that wait into one transaction.
func (s *Store) Commit(ctx context.Context, c meeting.Commit) (meeting.Committed, error) {
	if len(c.Events) == 0 && len(c.Audit) == 0 {
		return meeting.Committed{Head: c.AuditFrom}, nil
	}
	if s.dialect == Postgres {
		return s.commitPostgres(ctx, c)
	}
	return s.writer.commit(ctx, c)
}

// FindCommand returns the seq of the first answer to a command id, if it was
// stored: a command resent after its first answer was lost.
func (s *Store) FindCommand(ctx context.Context, meetingID string, key CommandKey) (int64, bool, error) {
	var rows []commandRow
	err := s.db.WithContext(ctx).Where("meeting_id = ? AND actor = ? AND command_id = ?", meetingID, key.Actor, key.ID).
		Limit(1).Find(&rows).Error
	if err != nil || len(rows) == 0 {
		return 0, false, err
	}
	return rows[0].Seq, true, nil
}

// projectionsOf lists, in event order, the rows a commit adds to or changes in
// the tables kept beside the log.
type projected struct {
	join   *participantRow // a participant who joins, with their token
	status *participantRow // a participant whose status changed
	plan   *planVersionRow // a closed plan
}

func (s *Store) projectionsOf(c meeting.Commit, now time.Time) ([]projected, error) {
	var out []projected
	for _, ev := range c.Events {
		switch ev.Name {
		case meeting.EvParticipantUpsert:
			var d struct{ Participant meeting.Participant }
			if err := json.Unmarshal(ev.Data, &d); err != nil {
				return nil, err
			}
			p := d.Participant
			row := &participantRow{MeetingID: c.MeetingID, ID: p.ID, Status: string(p.Status), CreatedAt: now}
			if hash := c.JoinTokens[p.ID]; hash != "" && p.Status == meeting.StatusPending {
				row.TokenHash = hash
				out = append(out, projected{join: row})
			} else {
				out = append(out, projected{status: row})
			}
		case meeting.EvPlanClosed:
			var d struct{ Version meeting.PlanVersion }
			if err := json.Unmarshal(ev.Data, &d); err != nil {
				return nil, err
			}
			data, _ := json.Marshal(d.Version)
			out = append(out, projected{plan: &planVersionRow{MeetingID: c.MeetingID, Number: d.Version.Number,
				ClosedAt: d.Version.ClosedAt, Data: string(data)}})
		}
	}
	return out, nil
}

// errStale is raised by the meeting's update when the meeting moved on.
const staleSQLState = "TF001"

// commitPostgres sends the whole commit as one batch: Postgres runs a batch in
// one implicit transaction, so it is atomic and costs one round trip.
func (s *Store) commitPostgres(ctx context.Context, c meeting.Commit) (meeting.Committed, error) {
	now := s.now()
	audit, head := s.meetingAuditRows(c)
	projections, err := s.projectionsOf(c, now)
	if err != nil {
		return meeting.Committed{}, err
	}
	b := &pgx.Batch{}
	b.Queue(`SELECT set_config('tafel.organisation', $1, true)`, c.OrganisationID)
	// Locks the meeting's row until the batch commits; raises when another
	// commit moved the meeting since c was decided.
	b.Queue(`WITH u AS (UPDATE meetings SET last_seq = $2, phase = $3, audit_seq = $4, audit_hash = $5,
			closed_at = CASE WHEN $3 = 'closed' THEN COALESCE(closed_at, $6) ELSE closed_at END
		WHERE id = $1 AND last_seq = $7 AND audit_seq = $8 RETURNING 1)
		SELECT tafel_expect_one(count(*)) FROM u`,
		c.MeetingID, c.LastSeq(), string(c.Phase), head.Seq, head.Hash, now, c.FromSeq, c.AuditFrom.Seq)
	if len(c.Commands) > 0 {
		actors, ids, seqs := make([]string, len(c.Commands)), make([]string, len(c.Commands)), make([]int64, len(c.Commands))
		for i, sc := range c.Commands {
			actors[i], ids[i], seqs[i] = sc.Key.Actor, sc.Key.ID, sc.Seq
		}
		b.Queue(`INSERT INTO meeting_commands (meeting_id, actor, command_id, seq)
			SELECT $1, a, i, q FROM unnest($2::text[], $3::text[], $4::bigint[]) AS t(a, i, q)`, c.MeetingID, actors, ids, seqs)
	}
	if n := len(c.Events); n > 0 {
		seqs, names, scopes, pids, data := make([]int64, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		for i, ev := range c.Events {
			seqs[i], names[i], scopes[i], pids[i], data[i] = ev.Seq, ev.Name, string(ev.Scope), ev.ParticipantID, string(ev.Data)
		}
		b.Queue(`INSERT INTO meeting_events (meeting_id, seq, name, scope, participant_id, data, created_at)
			SELECT $1, q, n, sc, p, d, $7 FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[]) AS t(q, n, sc, p, d)`,
			c.MeetingID, seqs, names, scopes, pids, data, now)
	}
	if n := len(audit); n > 0 {
		cols := make([][]string, 16)
		for i := range cols {
			cols[i] = make([]string, n)
		}
		seqs, ats := make([]int64, n), make([]time.Time, n)
		for i, r := range audit {
			seqs[i], ats[i] = r.ChainSeq, r.At
			for j, v := range []string{r.OrganisationID, r.Chain, r.ActorType, r.ActorID, r.ActorRole, r.OnBehalfOf, r.Action,
				r.ObjectType, r.ObjectID, r.FamilyID, r.Outcome, r.Detail, r.Address, r.UserAgent, r.PrevHash, r.Hash} {
				cols[j][i] = v
			}
		}
		b.Queue(`INSERT INTO audit_log (organisation_id, chain, actor_type, actor_id, actor_role, on_behalf_of, action,
				object_type, object_id, family_id, outcome, detail, address, user_agent, prev_hash, hash, chain_seq, at)
			SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
				$9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[],
				$17::bigint[], $18::timestamptz[])`,
			cols[0], cols[1], cols[2], cols[3], cols[4], cols[5], cols[6], cols[7], cols[8], cols[9], cols[10], cols[11],
			cols[12], cols[13], cols[14], cols[15], seqs, ats)
	}
	for _, p := range projections {
		switch {
		case p.join != nil:
			b.Queue(`INSERT INTO participants (meeting_id, id, token_hash, status, created_at) VALUES ($1, $2, $3, $4, $5)`,
				p.join.MeetingID, p.join.ID, p.join.TokenHash, p.join.Status, p.join.CreatedAt)
		case p.status != nil:
			b.Queue(`UPDATE participants SET status = $3 WHERE meeting_id = $1 AND id = $2`, p.status.MeetingID, p.status.ID, p.status.Status)
		case p.plan != nil:
			b.Queue(`INSERT INTO plan_versions (meeting_id, number, closed_at, data) VALUES ($1, $2, $3, $4)`,
				p.plan.MeetingID, p.plan.Number, p.plan.ClosedAt, p.plan.Data)
		}
	}
	if s.holdCommit != nil {
		// A test holds the transaction open, its writes done: the hook's
		// statement is the batch's last.
		if q := s.holdCommit(c.MeetingID); q != "" {
			b.Queue(q)
		}
	}
	br := s.pool.SendBatch(ctx, b)
	var batchErr error
	for i := 0; i < b.Len(); i++ {
		if _, err := br.Exec(); err != nil {
			batchErr = err
			break
		}
	}
	if err := br.Close(); batchErr == nil {
		batchErr = err
	}
	if batchErr == nil {
		return meeting.Committed{Head: head}, nil
	}
	var pgErr *pgconn.PgError
	if errors.As(batchErr, &pgErr) {
		switch {
		case pgErr.Code == staleSQLState:
			return meeting.Committed{Stale: true}, nil
		case pgErr.Code == "23505" && pgErr.ConstraintName == "meeting_commands_pkey":
			dups, err := s.storedCommands(ctx, c)
			if err != nil {
				return meeting.Committed{}, err
			}
			if len(dups) == 0 {
				return meeting.Committed{}, batchErr
			}
			return meeting.Committed{Duplicates: dups}, nil
		case pgErr.Code == "23505" && (pgErr.ConstraintName == "meeting_events_pkey" || pgErr.ConstraintName == "audit_log_chain_seq"):
			// Another commit took these numbers between our read and our update.
			return meeting.Committed{Stale: true}, nil
		case pgErr.Code == "23503":
			return meeting.Committed{}, ErrNotFound // the meeting was erased
		}
	}
	return meeting.Committed{}, batchErr
}

// storedCommands returns which of a commit's command ids were stored before.
func (s *Store) storedCommands(ctx context.Context, c meeting.Commit) (map[CommandKey]int64, error) {
	out := map[CommandKey]int64{}
	for _, sc := range c.Commands {
		seq, ok, err := s.FindCommand(ctx, c.MeetingID, sc.Key)
		if err != nil {
			return nil, err
		}
		if ok {
			out[sc.Key] = seq
		}
	}
	return out, nil
}

// commitTx stores one commit in a transaction the caller holds (SQLite).
func (s *Store) commitTx(tx *gorm.DB, c meeting.Commit) (meeting.Committed, error) {
	now := s.now()
	audit, head := s.meetingAuditRows(c)
	update := map[string]any{"last_seq": c.LastSeq(), "phase": string(c.Phase), "audit_seq": head.Seq, "audit_hash": head.Hash}
	if c.Phase == meeting.PhaseClosed {
		update["closed_at"] = gorm.Expr("COALESCE(closed_at, ?)", now)
	}
	res := tx.Model(&meetingRow{}).Where("id = ? AND last_seq = ? AND audit_seq = ?", c.MeetingID, c.FromSeq, c.AuditFrom.Seq).Updates(update)
	if res.Error != nil {
		return meeting.Committed{}, res.Error
	}
	if res.RowsAffected != 1 {
		var n int64
		if err := tx.Model(&meetingRow{}).Where("id = ?", c.MeetingID).Count(&n).Error; err != nil {
			return meeting.Committed{}, err
		}
		if n == 0 {
			return meeting.Committed{}, ErrNotFound
		}
		return meeting.Committed{Stale: true}, nil
	}
	if len(c.Commands) > 0 {
		rows := make([]commandRow, len(c.Commands))
		for i, sc := range c.Commands {
			rows[i] = commandRow{MeetingID: c.MeetingID, Actor: sc.Key.Actor, CommandID: sc.Key.ID, Seq: sc.Seq}
		}
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&rows)
		if res.Error != nil {
			return meeting.Committed{}, res.Error
		}
		if int(res.RowsAffected) != len(rows) {
			// Which ids were stored before is read once this commit's rows
			// are rolled back: a silent command resent while the meeting has
			// not moved has the same seq as its first answer, so the seq
			// cannot tell an earlier row from one just inserted.
			return meeting.Committed{}, errCommandStored
		}
	}
	if err := s.insertEvents(tx, c.MeetingID, c.Events); err != nil {
		return meeting.Committed{}, err
	}
	if len(audit) > 0 {
		if err := tx.Create(&audit).Error; err != nil {
			return meeting.Committed{}, err
		}
	}
	projections, err := s.projectionsOf(c, now)
	if err != nil {
		return meeting.Committed{}, err
	}
	for _, p := range projections {
		switch {
		case p.join != nil:
			err = tx.Create(p.join).Error
		case p.status != nil:
			err = tx.Model(&participantRow{}).Where("meeting_id = ? AND id = ?", c.MeetingID, p.status.ID).Update("status", p.status.Status).Error
		case p.plan != nil:
			err = tx.Create(p.plan).Error
		}
		if err != nil {
			return meeting.Committed{}, err
		}
	}
	return meeting.Committed{Head: head}, nil
}

// errRollback undoes one commit of a group while its answer (duplicates) stands.
var errRollback = errors.New("store: roll this commit back")

// errCommandStored undoes one commit of a group that holds a command id stored
// before; the writer then answers with the earlier answers (duplicates).
var errCommandStored = errors.New("store: a command id was stored before")

// storedCommandsTx returns which of a commit's command ids are stored, in tx.
func storedCommandsTx(tx *gorm.DB, c meeting.Commit) (map[CommandKey]int64, error) {
	out := map[CommandKey]int64{}
	for _, sc := range c.Commands {
		var rows []commandRow
		err := tx.Where("meeting_id = ? AND actor = ? AND command_id = ?", c.MeetingID, sc.Key.Actor, sc.Key.ID).Limit(1).Find(&rows).Error
		if err != nil {
			return nil, err
		}
		if len(rows) > 0 {
			out[sc.Key] = rows[0].Seq
		}
	}
	return out, nil
}

// sqliteWriter is SQLite's one writer. Commits wait in a queue; the writer
// takes all that wait, stores each in a savepoint of one transaction, and
// commits once, so a hundred meetings at once are one write, not a hundred.
type sqliteWriter struct {
	s     *Store
	queue chan *pendingCommit
	done  chan struct{}
}

type pendingCommit struct {
	ctx    context.Context
	commit meeting.Commit
	answer chan commitAnswer
}

type commitAnswer struct {
	res meeting.Committed
	err error
}

// maxGroup bounds how many commits share one transaction.
const maxGroup = 256

func newSQLiteWriter(s *Store) *sqliteWriter {
	w := &sqliteWriter{s: s, queue: make(chan *pendingCommit, maxGroup), done: make(chan struct{})}
	go w.run()
	return w
}

func (w *sqliteWriter) commit(ctx context.Context, c meeting.Commit) (meeting.Committed, error) {
	p := &pendingCommit{ctx: ctx, commit: c, answer: make(chan commitAnswer, 1)}
	select {
	case w.queue <- p:
	case <-w.done:
		return meeting.Committed{}, errors.New("store: closed")
	case <-ctx.Done():
		return meeting.Committed{}, ctx.Err()
	}
	select {
	case a := <-p.answer:
		return a.res, a.err
	case <-ctx.Done():
		// The writer still answers into the buffered channel; the commit may
		// have been stored, which a resent command id shows.
		return meeting.Committed{}, ctx.Err()
	}
}

func (w *sqliteWriter) close() {
	select {
	case <-w.done:
	default:
		close(w.done)
	}
}

func (w *sqliteWriter) run() {
	for {
		var group []*pendingCommit
		select {
		case <-w.done:
			return
		case p := <-w.queue:
			group = append(group, p)
		}
	more:
		for len(group) < maxGroup {
			select {
			case p := <-w.queue:
				group = append(group, p)
			default:
				break more
			}
		}
		w.write(group)
	}
}

// write stores a group in one transaction, each commit in its own savepoint.
func (w *sqliteWriter) write(group []*pendingCommit) {
	answers := make([]commitAnswer, len(group))
	err := w.s.db.Transaction(func(tx *gorm.DB) error {
		for i, p := range group {
			if p.ctx.Err() != nil {
				answers[i].err = p.ctx.Err()
				continue
			}
			err := tx.Transaction(func(sp *gorm.DB) error {
				res, err := w.s.commitTx(sp, p.commit)
				answers[i] = commitAnswer{res: res, err: err}
				if err == nil && res.Stale {
					return errRollback
				}
				return err
			})
			if errors.Is(answers[i].err, errRollback) {
				answers[i].err = nil
			} else if errors.Is(answers[i].err, errCommandStored) {
				// The savepoint is rolled back: the ids found are the earlier ones.
				dups, err := storedCommandsTx(tx, p.commit)
				switch {
				case err != nil:
					answers[i] = commitAnswer{err: err}
				case len(dups) == 0:
					answers[i] = commitAnswer{err: errors.New("store: command ids conflict within one commit")}
				default:
					answers[i] = commitAnswer{res: meeting.Committed{Duplicates: dups}}
				}
			} else if err != nil && answers[i].err == nil && !errors.Is(err, errRollback) {
				answers[i].err = err
			}
		}
		return nil
	})
	for i, p := range group {
		a := answers[i]
		if err != nil {
			a = commitAnswer{err: fmt.Errorf("commit group: %w", err)}
		}
		p.answer <- a
	}
}

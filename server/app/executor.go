package app

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/tafel-met/tafel/server/meeting"
)

// request is one piece of work for a live meeting's executor: a change, an
// audit-only record, events from another instance, or a catch-up.
type request struct {
	ctx    context.Context
	change *Change
	audit  []meeting.AuditEntry
	remote []meeting.Event
	resync bool
	reply  chan reply

	// Filled in while deciding one group.
	seq      int64
	events   []meeting.Event
	state    *meeting.Meeting
	answered bool
	follows  *request            // the same command id earlier in the group
	denied   *meeting.AuditEntry // the audit record of a refusal, until stored
	refusal  error               // the refusal, answered once its record is stored
}

type reply struct {
	res Result
	err error
}

// answerRefusals answers the refused changes of a group whose refusals were
// waiting for their audit records.
func answerRefusals(group []*request) {
	for _, r := range group {
		if r.refusal != nil {
			r.answered = false
			r.answer(Result{}, r.refusal)
			r.refusal, r.denied = nil, nil
		}
	}
}

func (r *request) answer(res Result, err error) {
	if r.answered || r.reply == nil {
		return
	}
	r.answered = true
	r.reply <- reply{res, err}
}

// maxGroup bounds how many changes of one meeting share one transaction.
const maxGroup = 128

// maxAttempts bounds how often one group is decided again after the meeting
// moved on elsewhere; each attempt first catches up from the database.
const maxAttempts = 8

// enqueue hands work to a live meeting's executor, starting it when idle.
// One executor per meeting runs at a time: its changes are decided in order,
// and the changes that wait while one commits are stored together.
func (s *Service) enqueue(l *live, r *request) {
	l.qmu.Lock()
	l.queue = append(l.queue, r)
	start := !l.running
	l.running = true
	l.qmu.Unlock()
	if start {
		go s.run(l)
	}
}

func (s *Service) run(l *live) {
	for {
		l.qmu.Lock()
		if len(l.queue) == 0 {
			l.running = false
			l.qmu.Unlock()
			return
		}
		n := min(len(l.queue), maxGroup)
		work := l.queue[:n:n]
		l.queue = l.queue[n:]
		l.qmu.Unlock()
		// Events from elsewhere and catch-ups first, in arrival order; the
		// changes then decide on the newest state.
		var group []*request
		for _, r := range work {
			switch {
			case r.remote != nil:
				s.applyRemote(l, r.remote)
			case r.resync:
				if _, ok := s.catchUp(l); ok {
					r.answer(Result{}, nil)
				} else {
					r.answer(Result{}, meeting.Errorf(meeting.ECodeInternal, "meeting not caught up"))
				}
			default:
				group = append(group, r)
			}
		}
		if len(group) > 0 {
			s.commitGroup(l, group)
		}
	}
}

// commitGroup decides each change of the group in order on the meeting's
// state, stores them all in one commit, and answers each exactly once.
func (s *Service) commitGroup(l *live, group []*request) {
	l.mu.Lock()
	erased := l.erased
	l.mu.Unlock()
	if erased {
		for _, r := range group {
			r.answer(Result{}, meeting.Errorf(meeting.ECodeNotFound, "meeting erased"))
		}
		return
	}
	ctx, span := s.tracer.Start(context.Background(), "meeting.commit", trace.WithAttributes(attribute.Int("tafel.changes", len(group))))
	defer span.End()
	var decideTime, storeTime time.Duration
	for attempt := 1; ; attempt++ {
		_, decideSpan := s.tracer.Start(ctx, "decide")
		started := time.Now()
		c, accepted, refused := s.decide(l, group)
		decideTime += time.Since(started)
		decideSpan.End()
		if len(refused) > 0 && s.shared && attempt < maxAttempts {
			// Another instance may have moved the meeting to where these are
			// allowed (the next phase, say): decide again on the stored state.
			if moved, ok := s.catchUp(l); ok && moved {
				continue
			}
		}
		for _, rf := range refused {
			s.observer.CommandDone(rf.r.change.Command.Name, meeting.ErrorCode(rf.err), decideTime, 0, 0)
			s.refuse(l, rf.r, rf.err, &c)
		}
		if len(accepted) == 0 && len(c.Audit) == 0 {
			return
		}
		cctx, cancel := context.WithTimeout(ctx, commitTimeout)
		storeCtx, storeSpan := s.tracer.Start(cctx, "store")
		started = time.Now()
		res, err := s.store.Commit(storeCtx, c)
		storeTime += time.Since(started)
		storeSpan.End()
		cancel()
		switch {
		case err != nil:
			code, msg := meeting.ECodeInternal, "change not stored"
			if errors.Is(err, meeting.ErrNotFound) {
				code, msg = meeting.ECodeNotFound, "unknown meeting"
			} else {
				s.log.Error("commit failed", "meeting", l.id, "err", err)
			}
			for _, r := range accepted {
				r.answer(Result{}, meeting.Errorf(code, "%s", msg))
				s.observed(r, code, decideTime, storeTime, 0)
			}
			answerRefusals(group)
			return
		case res.Stale:
			if _, ok := s.catchUp(l); attempt == maxAttempts || !ok {
				for _, r := range accepted {
					r.answer(Result{}, meeting.Errorf(meeting.ECodeInternal, "meeting busy elsewhere"))
					s.observed(r, meeting.ECodeInternal, decideTime, storeTime, 0)
				}
				answerRefusals(group)
				return
			}
			continue
		case len(res.Duplicates) > 0:
			for _, r := range accepted {
				if seq, ok := res.Duplicates[r.change.Key]; ok && r.change.Key.ID != "" {
					r.answer(Result{Seq: seq, Duplicate: true}, nil)
				}
			}
			continue
		}
		answerRefusals(group)
		_, fanoutSpan := s.tracer.Start(ctx, "publish")
		started = time.Now()
		l.mu.Lock()
		if len(accepted) > 0 {
			l.state = accepted[len(accepted)-1].state
		}
		l.head = res.Head
		s.listenerOf().Committed(l.info, l.state, c.Events)
		state := l.state
		l.mu.Unlock()
		for _, r := range accepted {
			if r.follows != nil {
				r.answer(Result{Seq: r.follows.seq, Duplicate: true, Meeting: state}, nil)
				continue
			}
			r.answer(Result{Seq: r.seq, Events: r.events, Meeting: r.state}, nil)
		}
		if len(c.Events) > 0 {
			s.pub.publish(l.info.OrganisationID, l.id, c.Events)
		}
		fanoutTime := time.Since(started)
		fanoutSpan.End()
		for _, r := range accepted {
			s.observed(r, CodeOK, decideTime, storeTime, fanoutTime)
		}
		return
	}
}

// observed counts one change that was stored or failed to be.
func (s *Service) observed(r *request, code string, decide, store, fanout time.Duration) {
	if r.change != nil {
		s.observer.CommandDone(r.change.Command.Name, code, decide, store, fanout)
	}
}

// refusal is a change the domain refused, with why.
type refusal struct {
	r   *request
	err error
}

// decide runs the group's unanswered changes on the meeting's state and
// returns the commit that stores them, with the requests it holds and the
// changes the domain refused.
func (s *Service) decide(l *live, group []*request) (meeting.Commit, []*request, []refusal) {
	// Only this executor changes l.state and l.head, so they can be read
	// without l.mu here.
	state, info := l.state, l.info
	c := meeting.Commit{OrganisationID: info.OrganisationID, FamilyID: info.FamilyID, MeetingID: l.id,
		FromSeq: state.Seq, AuditFrom: l.head}
	var (
		accepted []*request
		refused  []refusal
	)
	seen := map[meeting.CommandKey]*request{}
	for _, r := range group {
		if r.answered {
			if r.denied != nil {
				c.Audit = append(c.Audit, *r.denied)
			}
			continue
		}
		r.follows, r.events = nil, nil
		if r.ctx != nil && r.ctx.Err() != nil {
			r.answer(Result{}, meeting.Errorf(meeting.ECodeInternal, "gave up waiting"))
			continue
		}
		if r.change == nil {
			c.Audit = append(c.Audit, r.audit...)
			r.state = state
			accepted = append(accepted, r)
			continue
		}
		ch := r.change
		if ch.Key.ID != "" {
			if first, ok := seen[ch.Key]; ok {
				r.follows, r.state = first, state
				accepted = append(accepted, r)
				continue
			}
		}
		next, events, err := state.Decide(ch.Command)
		if err != nil {
			refused = append(refused, refusal{r, err})
			continue
		}
		if ch.Key.ID != "" {
			seen[ch.Key] = r
			c.Commands = append(c.Commands, meeting.StoredCommand{Key: ch.Key, Seq: next.Seq})
		}
		if ch.JoinTokenHash != "" && len(events) > 0 && events[0].ParticipantID != "" {
			pid := events[0].ParticipantID
			if c.JoinTokens == nil {
				c.JoinTokens = map[string]string{}
			}
			c.JoinTokens[pid] = ch.JoinTokenHash
			if ch.Audit.ActorID == "" {
				ch.Audit.ActorID = pid
			}
			if ch.Audit.ObjectType == "participant" && ch.Audit.ObjectID == "" {
				ch.Audit.ObjectID = pid
			}
		}
		if ch.Audit.Action != "" {
			c.Audit = append(c.Audit, ch.Audit)
		}
		c.Events = append(c.Events, events...)
		state, r.seq, r.events, r.state = next, next.Seq, events, next
		accepted = append(accepted, r)
	}
	c.Phase = state.Phase
	// Duplicates and audit-only requests carry the group's last state.
	for _, r := range accepted {
		if r.change == nil || r.follows != nil {
			r.state = state
		}
	}
	return c, accepted, refused
}

// refuse answers a change the domain refused. A command id already stored
// (resent after its answer was lost) gets its first answer instead. A refusal
// for lack of permission is recorded in the audit log.
func (s *Service) refuse(l *live, r *request, err error, c *meeting.Commit) {
	ch := r.change
	if ch.Key.ID != "" {
		ctx, cancel := context.WithTimeout(context.Background(), commitTimeout)
		seq, found, ferr := s.store.FindCommand(ctx, l.id, ch.Key)
		cancel()
		if ferr != nil {
			r.answer(Result{}, meeting.Errorf(meeting.ECodeInternal, "command not checked"))
			return
		}
		if found {
			r.answer(Result{Seq: seq, Duplicate: true}, nil)
			return
		}
	}
	if meeting.ErrorCode(err) == meeting.ECodeForbidden && ch.Audit.Action != "" {
		denied := ch.Audit
		denied.Action, denied.Outcome = meeting.AuditDenied, "denied"
		c.Audit = append(c.Audit, denied)
		// Answered once the record is stored, so whoever reads the log after
		// the answer finds it; until then the request counts as answered.
		r.denied, r.refusal, r.answered = &denied, err, true
		return
	}
	r.answer(Result{}, err)
}

// applyRemote applies events another instance committed, fetching from the
// database any that the broker skipped.
func (s *Service) applyRemote(l *live, events []meeting.Event) {
	l.mu.Lock()
	seq := l.state.Seq
	l.mu.Unlock()
	if len(events) == 0 || events[len(events)-1].Seq <= seq {
		return
	}
	if events[0].Seq > seq+1 {
		s.catchUp(l)
		return
	}
	var fresh []meeting.Event
	for _, ev := range events {
		if ev.Seq > seq {
			fresh = append(fresh, ev)
		}
	}
	if !s.applyEvents(l, fresh) {
		s.catchUp(l)
	}
	// The audit head moved with them; it is read when a commit finds it stale.
}

// catchUp brings a live meeting up to the database: its events and its audit
// chain head. It reports whether the meeting had moved on, and whether
// catching up worked.
func (s *Service) catchUp(l *live) (moved, ok bool) {
	ctx, cancel := context.WithTimeout(context.Background(), commitTimeout)
	defer cancel()
	l.mu.Lock()
	seq := l.state.Seq
	l.mu.Unlock()
	stored, head, err := s.store.MeetingHead(ctx, l.id)
	if err != nil {
		s.log.Warn("catch up failed", "meeting", l.id, "err", err)
		return false, false
	}
	if stored > seq {
		missed, err := s.store.EventsSince(ctx, l.id, seq, stored)
		if err != nil {
			s.log.Warn("catch up failed", "meeting", l.id, "err", err)
			return false, false
		}
		if !s.applyEvents(l, missed) {
			return false, false
		}
	}
	l.mu.Lock()
	moved = stored > seq || l.head != head
	l.head = head
	l.mu.Unlock()
	return moved, true
}

// applyEvents applies committed events to a copy of the state, swaps it in and
// tells the listener. Readers of an earlier state are never disturbed.
func (s *Service) applyEvents(l *live, events []meeting.Event) bool {
	if len(events) == 0 {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	next := l.state.Clone()
	for _, ev := range events {
		if err := next.Apply(ev); err != nil {
			s.log.Error("apply failed", "meeting", l.id, "seq", ev.Seq, "err", err)
			return false
		}
	}
	l.state = next
	s.listenerOf().Committed(l.info, next, events)
	return true
}

func (s *Service) listenerOf() Listener { return *s.listener.Load() }

func jsonMarshal(v any) (json.RawMessage, error) { return json.Marshal(v) }

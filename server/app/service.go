package app

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/tafel-met/tafel/server/meeting"
)

// Service runs the live meetings of this instance.
type Service struct {
	store    Store
	broker   Broker
	log      *slog.Logger
	now      func() time.Time
	listener atomic.Pointer[Listener]
	observer Observer
	tracer   trace.Tracer
	pub      *publisher
	// shared is set when other instances serve the same meetings: a change
	// refused here may be allowed on the state they moved the meeting to.
	shared bool

	mu     sync.Mutex
	live   map[string]*live
	closed bool
}

// Timeouts of the command path: a change that the database cannot store within
// commitTimeout is answered "internal" (retry), never left hanging.
const (
	commitTimeout = 10 * time.Second
	loadTimeout   = 10 * time.Second
)

// New returns a service that stores through st and tells other instances
// through broker. Call SetListener before the first meeting goes live.
func New(st Store, broker Broker, log *slog.Logger) *Service {
	s := &Service{store: st, broker: broker, log: log, now: time.Now, live: map[string]*live{},
		observer: nopObserver{}, tracer: noop.NewTracerProvider().Tracer("")}
	s.SetListener(nopListener{})
	s.pub = newPublisher(broker, log, s.observerOf)
	_, local := broker.(LocalBroker)
	s.shared = !local
	broker.Subscribe(s)
	return s
}

// SetListener sets who hears committed events: the realtime hub.
func (s *Service) SetListener(l Listener) { s.listener.Store(&l) }

// Observe sets who counts the command path's work (the metrics) and traces
// it (a tracer that records nothing unless tracing is configured). Call it
// before the service is used.
func (s *Service) Observe(o Observer, t trace.Tracer) {
	if o != nil {
		s.observer = o
	}
	if t != nil {
		s.tracer = t
	}
}

func (s *Service) observerOf() Observer { return s.observer }

// SetClock replaces the clock the commands are stamped with (tests).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// live is one meeting served by this instance. Its executor is the only
// goroutine that changes state; mu guards state for everyone who reads it.
type live struct {
	id    string
	users int // acquirers: connections and calls in flight; guarded by Service.mu

	ready   chan struct{} // closed once loaded (or failed: loadErr)
	loadErr error

	mu     sync.Mutex
	state  *meeting.Meeting
	info   meeting.Info
	head   meeting.ChainHead
	erased bool

	qmu     sync.Mutex
	queue   []*request
	running bool
}

// acquire returns the loaded live meeting and counts the caller as a user.
func (s *Service) acquire(ctx context.Context, meetingID string) (*live, error) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil, meeting.Errorf(meeting.ECodeInternal, "server shutting down")
	}
	l := s.live[meetingID]
	loader := l == nil
	if loader {
		l = &live{id: meetingID, ready: make(chan struct{})}
		s.live[meetingID] = l
	}
	l.users++
	s.mu.Unlock()
	if loader {
		l.loadErr = s.load(l)
		close(l.ready)
	}
	select {
	case <-l.ready:
	case <-ctx.Done():
		s.release(l)
		return nil, meeting.Errorf(meeting.ECodeInternal, "meeting not loaded in time")
	}
	if l.loadErr != nil {
		err := l.loadErr
		s.release(l)
		if errors.Is(err, meeting.ErrNotFound) {
			return nil, meeting.Errorf(meeting.ECodeNotFound, "unknown meeting")
		}
		return nil, meeting.Errorf(meeting.ECodeInternal, "meeting not available")
	}
	return l, nil
}

// load reads a meeting and follows it on the broker, then catches up with what
// other instances committed in between.
func (s *Service) load(l *live) error {
	ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
	defer cancel()
	st, err := s.store.OpenMeeting(ctx, l.id)
	if err != nil {
		if !errors.Is(err, meeting.ErrNotFound) {
			s.log.Error("meeting load failed", "meeting", l.id, "err", err)
		}
		return err
	}
	if err := s.broker.Follow(ctx, st.Info.OrganisationID, l.id); err != nil {
		// Other instances' changes come from the database instead (WatchSeqs).
		s.log.Warn("follow failed", "meeting", l.id, "err", err)
	}
	m := st.Meeting
	if missed, err := s.store.EventsSince(ctx, l.id, m.Seq, 1<<62); err == nil && len(missed) > 0 {
		for _, ev := range missed {
			if err := m.Apply(ev); err != nil {
				return err
			}
		}
		if _, head, err := s.store.MeetingHead(ctx, l.id); err == nil {
			st.Audit = head
		}
	}
	l.state, l.info, l.head = m, st.Info, st.Audit
	return nil
}

// release forgets a live meeting once nobody uses it; it is loaded again on next use.
func (s *Service) release(l *live) {
	s.mu.Lock()
	l.users--
	last := l.users == 0 && s.live[l.id] == l
	if last {
		delete(s.live, l.id)
	}
	s.mu.Unlock()
	if last && l.loadErr == nil {
		go func() {
			if err := s.broker.Unfollow(context.Background(), l.id); err != nil {
				s.log.Warn("unfollow failed", "meeting", l.id, "err", err)
			}
		}()
	}
}

// Result is the answer to a command.
type Result struct {
	Seq       int64
	Duplicate bool
	Events    []meeting.Event
	Meeting   *meeting.Meeting // the state after the command; read only
}

// Change is one command to run, with the audit entry that records it (its
// organisation, family and meeting are filled in) and, for a command with an
// id, the key under which a resent copy is recognised.
type Change struct {
	Command meeting.Command
	Key     meeting.CommandKey
	Audit   meeting.AuditEntry
	// JoinTokenHash is, for participant.join, the hash of the joiner's token.
	JoinTokenHash string
}

// Execute runs one change of a meeting and answers when it is stored (or
// refused). Its events reach this instance's connections before it answers.
func (s *Service) Execute(ctx context.Context, meetingID string, ch Change) (Result, error) {
	l, err := s.acquire(ctx, meetingID)
	if err != nil {
		return Result{}, err
	}
	defer s.release(l)
	if ch.Command.Now.IsZero() {
		ch.Command.Now = s.now()
	}
	r := &request{ctx: ctx, change: &ch, reply: make(chan reply, 1)}
	s.enqueue(l, r)
	select {
	case rep := <-r.reply:
		return rep.res, rep.err
	case <-ctx.Done():
		// It may still be stored; a resent command id gets its first answer.
		return Result{}, meeting.Errorf(meeting.ECodeInternal, "no answer in time")
	}
}

// Join adds a person to a meeting's lobby, with the hash of the secret token
// that identifies them from now on, and records it in the audit log in the
// same transaction. It returns the new participant's id.
func (s *Service) Join(ctx context.Context, meetingID, name, partyID, tokenHash string, audit meeting.AuditEntry) (string, error) {
	data, err := jsonMarshal(map[string]string{"name": name, "partyId": partyID})
	if err != nil {
		return "", err
	}
	res, err := s.Execute(ctx, meetingID, Change{Command: meeting.Command{Name: "participant.join", Data: data,
		Actor: meeting.Actor{Role: meeting.RoleJoiner}}, Audit: audit, JoinTokenHash: tokenHash})
	if err != nil {
		return "", err
	}
	if len(res.Events) == 0 || res.Events[0].ParticipantID == "" {
		return "", errors.New("join: no participant in the events")
	}
	return res.Events[0].ParticipantID, nil
}

// Audit records an access to a live meeting (opening it, reading it) in the
// meeting's audit chain, and answers once it is stored: no log, no access.
func (s *Service) Audit(ctx context.Context, meetingID string, entries ...meeting.AuditEntry) error {
	l, err := s.acquire(ctx, meetingID)
	if err != nil {
		return err
	}
	defer s.release(l)
	r := &request{ctx: ctx, audit: entries, reply: make(chan reply, 1)}
	s.enqueue(l, r)
	select {
	case rep := <-r.reply:
		return rep.err
	case <-ctx.Done():
		return meeting.Errorf(meeting.ECodeInternal, "audit log not written in time")
	}
}

// AuditOrganisation records in an organisation's own chain what belongs to no
// meeting of it: a coordinator of another organisation refused a meeting, say.
func (s *Service) AuditOrganisation(ctx context.Context, e meeting.AuditEntry) error {
	return s.store.Audit(ctx, e)
}

// View returns what a viewer may see of a meeting now, with its join code for
// the coordinator and the screen.
func (s *Service) View(ctx context.Context, meetingID string, v meeting.Viewer) (meeting.View, error) {
	return s.ViewSince(ctx, meetingID, v, 0)
}

// ViewSince is View for a client that saw the meeting up to seen: never older
// than that, as AttachSince (unless the database itself is older).
func (s *Service) ViewSince(ctx context.Context, meetingID string, v meeting.Viewer, seen int64) (meeting.View, error) {
	var view meeting.View
	release, err := s.AttachSince(ctx, meetingID, seen, func(info meeting.Info, m *meeting.Meeting) {
		if v.Role == meeting.RoleParticipant {
			v = m.ViewerFor(v.Role, v.ParticipantID)
		}
		view = m.ViewFor(v)
		if v.Role == meeting.RoleCoordinator || v.Role == meeting.RoleScreen {
			view.JoinCode = info.JoinCode
		}
	})
	if err != nil {
		return meeting.View{}, err
	}
	release()
	return view, nil
}

// Attach runs fn with a live meeting's state while no change can land, so a
// connection that registers itself in fn misses no event: every later one
// reaches the Listener after fn returns. The meeting stays live until release.
func (s *Service) Attach(ctx context.Context, meetingID string, fn func(info meeting.Info, m *meeting.Meeting)) (release func(), err error) {
	l, err := s.acquire(ctx, meetingID)
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	erased := l.erased
	if !erased {
		fn(l.info, l.state)
	}
	l.mu.Unlock()
	if erased {
		s.release(l)
		return nil, meeting.Errorf(meeting.ECodeNotFound, "meeting erased")
	}
	var once sync.Once
	return func() { once.Do(func() { s.release(l) }) }, nil
}

// AttachSince is Attach for a client that saw the meeting up to seen: when
// this instance's state is older (another instance moved the meeting on and
// the broker has not told this one yet), it first catches up from the
// database, so the client never gets state older than what it saw. A
// catch-up that fails is answered internal (the client retries). The
// database is the truth: when even it is older (restored from a backup), fn
// gets what it holds.
func (s *Service) AttachSince(ctx context.Context, meetingID string, seen int64, fn func(info meeting.Info, m *meeting.Meeting)) (release func(), err error) {
	l, err := s.acquire(ctx, meetingID)
	if err != nil {
		return nil, err
	}
	defer s.release(l) // Attach counts its own use
	l.mu.Lock()
	behind := l.state.Seq < seen
	l.mu.Unlock()
	if behind {
		r := &request{ctx: ctx, resync: true, reply: make(chan reply, 1)}
		s.enqueue(l, r)
		select {
		case rep := <-r.reply:
			if rep.err != nil {
				return nil, rep.err
			}
		case <-ctx.Done():
			return nil, meeting.Errorf(meeting.ECodeInternal, "meeting not caught up in time")
		}
	}
	return s.Attach(ctx, meetingID, fn)
}

// PublishPresence tells the other instances who is connected to a meeting here.
// Presence waits on the same breaker as events: a dead broker is not tried
// again for every connect and disconnect (presence repeats every 20 s anyway).
func (s *Service) PublishPresence(orgID, meetingID string, online []string, version int64) {
	if !s.pub.brk.allow(s.pub.now()) {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), publishTimeout)
	defer cancel()
	err := s.broker.PublishPresence(ctx, orgID, meetingID, online, version)
	s.pub.brk.result(s.pub.now(), err)
	if err != nil {
		s.log.Warn("presence not shared", "meeting", meetingID, "err", err)
	}
}

// CloseErased forgets a meeting whose data was erased or purged, and has its
// connections closed.
func (s *Service) CloseErased(meetingID string) {
	s.mu.Lock()
	l := s.live[meetingID]
	if l != nil {
		delete(s.live, meetingID)
	}
	s.mu.Unlock()
	if l != nil {
		<-l.ready
		l.mu.Lock()
		l.erased = true
		l.mu.Unlock()
		if l.loadErr == nil {
			go func() { _ = s.broker.Unfollow(context.Background(), meetingID) }()
		}
	}
	s.listenerOf().Erased(meetingID)
}

// Close refuses new work; connections resume on another instance or after a restart.
func (s *Service) Close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.pub.close()
}

// HandleEvents receives events another instance committed.
func (s *Service) HandleEvents(meetingID string, events []meeting.Event) {
	if l := s.peek(meetingID); l != nil {
		s.enqueue(l, &request{remote: events})
	}
}

// HandleResync catches a meeting up from the database after the broker may
// have missed some of its events.
func (s *Service) HandleResync(meetingID string) {
	if l := s.peek(meetingID); l != nil {
		s.enqueue(l, &request{resync: true})
	}
}

// HandlePresence passes who another instance has connected on to the listener.
func (s *Service) HandlePresence(meetingID, instance string, online []string, version int64) {
	s.listenerOf().Presence(meetingID, instance, online, version)
}

// peek returns a loaded live meeting without counting a user, or nil.
func (s *Service) peek(meetingID string) *live {
	s.mu.Lock()
	l := s.live[meetingID]
	s.mu.Unlock()
	if l == nil {
		return nil
	}
	select {
	case <-l.ready:
		if l.loadErr != nil {
			return nil
		}
		return l
	default:
		return nil // loading: the load reads what was committed
	}
}

// WatchSeqs compares, every period until ctx ends, each live meeting's seq
// with the database's, and catches up the ones another instance moved on: the
// way changes arrive while the broker is down or late.
func (s *Service) WatchSeqs(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		s.mu.Lock()
		ids := make([]string, 0, len(s.live))
		for id := range s.live {
			ids = append(ids, id)
		}
		s.mu.Unlock()
		if len(ids) == 0 {
			continue
		}
		qctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		seqs, err := s.store.LastSeqs(qctx, ids)
		cancel()
		if err != nil {
			s.log.Warn("seq check failed", "err", err)
			continue
		}
		for id, seq := range seqs {
			l := s.peek(id)
			if l == nil {
				continue
			}
			l.mu.Lock()
			behind := l.state.Seq < seq
			l.mu.Unlock()
			if behind {
				s.enqueue(l, &request{resync: true})
			}
		}
	}
}

type nopListener struct{}

func (nopListener) Committed(meeting.Info, *meeting.Meeting, []meeting.Event) {}
func (nopListener) Erased(string)                                             {}
func (nopListener) Presence(string, string, []string, int64)                  {}

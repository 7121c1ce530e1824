package app

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/tafel-met/tafel/server/meeting"
)

// memStore is a Store in memory with the real one's rules: a commit is stored
// only from the seq and audit head it was decided on, and a command id once.
type memStore struct {
	mu       sync.Mutex
	events   []meeting.Event
	head     meeting.ChainHead
	commands map[meeting.CommandKey]int64
	audit    []meeting.AuditEntry
	commits  int
	// gate, when set, holds each commit until the test lets it through.
	gate chan struct{}
	// entered receives a token as each commit starts.
	entered chan struct{}
}

func newMemStore(t *testing.T) *memStore {
	t.Helper()
	m := meeting.New(meeting.Header{ID: "m1"})
	_, events, err := m.PrepareParties([]meeting.NewParty{{Name: "Moeder", Kind: meeting.KindFamily}})
	if err != nil {
		t.Fatal(err)
	}
	return &memStore{events: events, commands: map[meeting.CommandKey]int64{}}
}

func (s *memStore) state() *meeting.Meeting {
	m := meeting.New(meeting.Header{ID: "m1"})
	for _, ev := range s.events {
		if err := m.Apply(ev); err != nil {
			panic(err)
		}
	}
	return m
}

func (s *memStore) OpenMeeting(_ context.Context, id string) (meeting.Stored, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return meeting.Stored{Meeting: s.state(), Info: meeting.Info{ID: id, OrganisationID: "org", FamilyID: "fam"}, Audit: s.head}, nil
}

func (s *memStore) Commit(_ context.Context, c meeting.Commit) (meeting.Committed, error) {
	if s.entered != nil {
		s.entered <- struct{}{}
	}
	if s.gate != nil {
		<-s.gate
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.FromSeq != int64(len(s.events)) || c.AuditFrom != s.head {
		return meeting.Committed{Stale: true}, nil
	}
	dups := map[meeting.CommandKey]int64{}
	for _, sc := range c.Commands {
		if seq, ok := s.commands[sc.Key]; ok {
			dups[sc.Key] = seq
		}
	}
	if len(dups) > 0 {
		return meeting.Committed{Duplicates: dups}, nil
	}
	for _, sc := range c.Commands {
		s.commands[sc.Key] = sc.Seq
	}
	s.events = append(s.events, c.Events...)
	s.audit = append(s.audit, c.Audit...)
	s.head = meeting.ChainHead{Seq: s.head.Seq + int64(len(c.Audit)), Hash: fmt.Sprint("h", s.head.Seq+int64(len(c.Audit)))}
	s.commits++
	return meeting.Committed{Head: s.head}, nil
}

func (s *memStore) FindCommand(_ context.Context, _ string, key meeting.CommandKey) (int64, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	seq, ok := s.commands[key]
	return seq, ok, nil
}

func (s *memStore) EventsSince(_ context.Context, _ string, after, upTo int64) ([]meeting.Event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []meeting.Event
	for _, ev := range s.events {
		if ev.Seq > after && ev.Seq <= upTo {
			out = append(out, ev)
		}
	}
	return out, nil
}

func (s *memStore) MeetingHead(context.Context, string) (int64, meeting.ChainHead, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return int64(len(s.events)), s.head, nil
}

func (s *memStore) LastSeqs(context.Context, []string) (map[string]int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return map[string]int64{"m1": int64(len(s.events))}, nil
}

func (s *memStore) Audit(context.Context, meeting.AuditEntry) error { return nil }

// elsewhere stores a change as another instance would: behind the service's back.
func (s *memStore) elsewhere(t *testing.T, name string, data any) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	raw, _ := json.Marshal(data)
	next, events, err := s.state().Decide(meeting.Command{Name: name, Data: raw, Actor: coordinator, Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	_ = next
	s.events = append(s.events, events...)
	s.head = meeting.ChainHead{Seq: s.head.Seq + 1, Hash: fmt.Sprint("h", s.head.Seq+1)}
}

// sharedBroker is a Broker of several instances that carries nothing: other
// instances' changes reach this one only through the database.
type sharedBroker struct{ LocalBroker }

var coordinator = meeting.Actor{Role: meeting.RoleCoordinator}

func addParty(name string) Change {
	raw, _ := json.Marshal(meeting.NewParty{Name: name, Kind: meeting.KindNetwork})
	return Change{Command: meeting.Command{Name: "party.add", Data: raw, Actor: coordinator},
		Key: meeting.CommandKey{Actor: "u:1", ID: "add-" + name}, Audit: meeting.AuditEntry{Action: meeting.AuditUpdate, Detail: "party.add"}}
}

// TestGroupCommit: changes that arrive while one commits are stored together
// in the next commit, in order, and each is answered exactly once.
func TestGroupCommit(t *testing.T) {
	st := newMemStore(t)
	st.gate, st.entered = make(chan struct{}), make(chan struct{}, 100)
	svc := New(st, LocalBroker{}, slog.New(slog.DiscardHandler))
	const n = 20
	type answer struct {
		i   int
		res Result
		err error
	}
	answers := make(chan answer, n)
	run := func(i int) {
		res, err := svc.Execute(context.Background(), "m1", addParty(fmt.Sprintf("Buur %d", i)))
		answers <- answer{i, res, err}
	}
	go run(0)
	<-st.entered // the first change is committing, held at the gate
	for i := 1; i < n; i++ {
		go run(i)
	}
	// Wait until all others wait in the meeting's queue (a state, not a time).
	l := svc.peek("m1")
	for {
		l.qmu.Lock()
		waiting := len(l.queue)
		l.qmu.Unlock()
		if waiting == n-1 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	close(st.gate)
	seqs := map[int64]int{}
	for range n {
		a := <-answers
		if a.err != nil || a.res.Duplicate {
			t.Fatalf("change %d: %+v, %v", a.i, a.res, a.err)
		}
		seqs[a.res.Seq]++
	}
	if st.commits != 2 {
		t.Fatalf("%d commits for %d changes that arrived while one committed, want 2", st.commits, n)
	}
	if len(seqs) != n || len(st.events) != 1+n || len(st.audit) != n {
		t.Fatalf("%d distinct seqs, %d events stored, %d audit rows; want %d, %d, %d", len(seqs), len(st.events), len(st.audit), n, n+1, n)
	}
	for i, ev := range st.events {
		if ev.Seq != int64(i+1) {
			t.Fatalf("stored event %d has seq %d", i, ev.Seq)
		}
	}
}

// TestDuplicateIDs: a command id resent while its first copy waits, and again
// after it was stored, changes nothing more and gets the first answer.
func TestDuplicateIDs(t *testing.T) {
	st := newMemStore(t)
	svc := New(st, LocalBroker{}, slog.New(slog.DiscardHandler))
	first, err := svc.Execute(context.Background(), "m1", addParty("Buurvrouw"))
	if err != nil {
		t.Fatal(err)
	}
	again, err := svc.Execute(context.Background(), "m1", addParty("Buurvrouw"))
	if err != nil || !again.Duplicate || again.Seq != first.Seq {
		t.Fatalf("resent: %+v, %v; first answer seq %d", again, err, first.Seq)
	}
	if len(st.events) != 2 {
		t.Fatalf("%d events stored, want the parties' and one addition", len(st.events))
	}
}

// TestStaleCatchesUp: another instance moved the meeting; the change is
// decided again on the stored state, and lands after it.
func TestStaleCatchesUp(t *testing.T) {
	st := newMemStore(t)
	svc := New(st, sharedBroker{}, slog.New(slog.DiscardHandler))
	if _, err := svc.Execute(context.Background(), "m1", addParty("Buurvrouw")); err != nil {
		t.Fatal(err)
	}
	st.elsewhere(t, "meeting.lock", map[string]any{})
	res, err := svc.Execute(context.Background(), "m1", addParty("Oma"))
	if err != nil || res.Seq != 4 || !res.Meeting.Locked || len(res.Meeting.Parties) != 3 {
		t.Fatalf("after another instance's lock: %+v, %v", res, err)
	}
}

// TestRefusalRetriedOnStoredState: with several instances, a change this
// instance would refuse (the wrong phase) is decided again on what the
// database holds, where another instance already moved the phase on.
func TestRefusalRetriedOnStoredState(t *testing.T) {
	st := newMemStore(t)
	svc := New(st, sharedBroker{}, slog.New(slog.DiscardHandler))
	if _, err := svc.View(context.Background(), "m1", meeting.Viewer{Role: meeting.RoleCoordinator}); err != nil {
		t.Fatal(err) // live, in the lobby
	}
	st.elsewhere(t, "phase.set", map[string]string{"phase": "worries"})
	raw, _ := json.Marshal(map[string]string{"partyId": "party1", "text": "Te weinig geld"})
	res, err := svc.Execute(context.Background(), "m1", Change{Command: meeting.Command{Name: "worry.add", Data: raw, Actor: coordinator},
		Key: meeting.CommandKey{Actor: "u:1", ID: "w1"}, Audit: meeting.AuditEntry{Action: meeting.AuditUpdate}})
	if err != nil || res.Meeting.Phase != meeting.PhaseWorries {
		t.Fatalf("worry added after another instance opened the round: %+v, %v", res, err)
	}
}

// TestRefusalAuditedBeforeItsAnswer: a refusal for lack of permission is in
// the audit log by the time it is answered.
func TestRefusalAuditedBeforeItsAnswer(t *testing.T) {
	st := newMemStore(t)
	svc := New(st, LocalBroker{}, slog.New(slog.DiscardHandler))
	_, err := svc.Execute(context.Background(), "m1", Change{Command: meeting.Command{Name: "meeting.lock", Data: []byte(`{}`),
		Actor: meeting.Actor{Role: meeting.RoleScreen}}, Audit: meeting.AuditEntry{Action: meeting.AuditUpdate, Detail: "meeting.lock"}})
	if meeting.ErrorCode(err) != meeting.ECodeForbidden {
		t.Fatalf("err = %v", err)
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if len(st.audit) != 1 || st.audit[0].Action != meeting.AuditDenied || st.audit[0].Outcome != "denied" {
		t.Fatalf("audit after the refusal: %+v", st.audit)
	}
	if len(st.events) != 1 {
		t.Fatalf("a refused change stored events: %d", len(st.events))
	}
}

// TestAttachSince: a client that saw seq n on another instance is never
// attached to older state here; plain Attach shows what this instance holds.
func TestAttachSince(t *testing.T) {
	st := newMemStore(t)
	svc := New(st, sharedBroker{}, slog.New(slog.DiscardHandler))
	hold, err := svc.Attach(context.Background(), "m1", func(meeting.Info, *meeting.Meeting) {})
	if err != nil {
		t.Fatal(err)
	}
	defer hold() // the meeting stays live here, at seq 1
	st.elsewhere(t, "meeting.lock", map[string]string{})
	st.elsewhere(t, "meeting.unlock", map[string]string{})
	seen := int64(len(st.events))
	seqOf := func(attach func(context.Context, func(meeting.Info, *meeting.Meeting)) (func(), error)) int64 {
		t.Helper()
		var seq int64
		release, err := attach(context.Background(), func(_ meeting.Info, m *meeting.Meeting) { seq = m.Seq })
		if err != nil {
			t.Fatal(err)
		}
		release()
		return seq
	}
	if got := seqOf(func(ctx context.Context, fn func(meeting.Info, *meeting.Meeting)) (func(), error) {
		return svc.Attach(ctx, "m1", fn)
	}); got >= seen {
		t.Fatalf("the live meeting is at seq %d before any catch-up; the test needs it behind %d", got, seen)
	}
	if got := seqOf(func(ctx context.Context, fn func(meeting.Info, *meeting.Meeting)) (func(), error) {
		return svc.AttachSince(ctx, "m1", seen, fn)
	}); got != seen {
		t.Fatalf("AttachSince(%d) gave state at seq %d", seen, got)
	}
	// A client ahead of the database (restored from a backup) gets what it holds.
	if got := seqOf(func(ctx context.Context, fn func(meeting.Info, *meeting.Meeting)) (func(), error) {
		return svc.AttachSince(ctx, "m1", seen+10, fn)
	}); got != seen {
		t.Fatalf("AttachSince past the database gave seq %d, want the database's %d", got, seen)
	}
}

// TestViewSince: the REST snapshot's view for a client that saw seq n on
// another instance is never older than n; without it, what this instance holds.
func TestViewSince(t *testing.T) {
	st := newMemStore(t)
	svc := New(st, sharedBroker{}, slog.New(slog.DiscardHandler))
	hold, err := svc.Attach(context.Background(), "m1", func(meeting.Info, *meeting.Meeting) {})
	if err != nil {
		t.Fatal(err)
	}
	defer hold() // the meeting stays live here, at seq 1
	st.elsewhere(t, "meeting.lock", map[string]string{})
	seen := int64(len(st.events))
	coordinator := meeting.Viewer{Role: meeting.RoleCoordinator}
	view := func(since int64) meeting.View {
		t.Helper()
		v, err := svc.ViewSince(context.Background(), "m1", coordinator, since)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if v, err := svc.View(context.Background(), "m1", coordinator); err != nil || v.Seq >= seen || v.Locked {
		t.Fatalf("View before any catch-up: seq %d locked %v (%v); the test needs it behind %d", v.Seq, v.Locked, err, seen)
	}
	if v := view(seen); v.Seq != seen || !v.Locked {
		t.Fatalf("ViewSince(%d) gave seq %d, locked %v", seen, v.Seq, v.Locked)
	}
	// A client ahead of the database (restored from a backup) gets what it holds.
	if v := view(seen + 10); v.Seq != seen {
		t.Fatalf("ViewSince past the database gave seq %d, want the database's %d", v.Seq, seen)
	}
}

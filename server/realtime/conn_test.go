package realtime

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fasthttp/websocket"

	"github.com/tafel-met/tafel/server/app"
	"github.com/tafel-met/tafel/server/meeting"
)

// fakeSocket is a Socket fed by the test; it reports the read deadline in force
// at every read.
type fakeSocket struct {
	mu        sync.Mutex
	deadline  time.Time
	in        chan []byte
	reads     chan time.Time
	out       chan []byte
	closed    chan struct{}
	closeOnce sync.Once
}

func newFakeSocket() *fakeSocket {
	return &fakeSocket{in: make(chan []byte), reads: make(chan time.Time, 8), out: make(chan []byte, 16), closed: make(chan struct{})}
}

func (s *fakeSocket) ReadMessage() (int, []byte, error) {
	s.mu.Lock()
	s.reads <- s.deadline
	s.mu.Unlock()
	select {
	case msg := <-s.in:
		return websocket.TextMessage, msg, nil
	case <-s.closed:
		return 0, nil, errors.New("closed")
	}
}

func (s *fakeSocket) WriteMessage(messageType int, data []byte) error {
	if messageType == websocket.TextMessage {
		s.out <- data
	}
	return nil
}

func (s *fakeSocket) SetReadLimit(int64) {}

func (s *fakeSocket) SetReadDeadline(t time.Time) error {
	s.mu.Lock()
	s.deadline = t
	s.mu.Unlock()
	return nil
}

func (s *fakeSocket) SetWriteDeadline(time.Time) error          { return nil }
func (s *fakeSocket) SetPongHandler(func(appData string) error) {}

func (s *fakeSocket) Close() error {
	s.closeOnce.Do(func() { close(s.closed) })
	return nil
}

// oneMeetingStore knows one empty meeting of organisation "org"; it stores
// audit records and refuses changes.
type oneMeetingStore struct{}

func (oneMeetingStore) OpenMeeting(_ context.Context, id string) (meeting.Stored, error) {
	return meeting.Stored{Meeting: meeting.New(meeting.Header{ID: id}), Info: meeting.Info{ID: id, OrganisationID: "org"}}, nil
}

func (oneMeetingStore) Commit(_ context.Context, c meeting.Commit) (meeting.Committed, error) {
	if len(c.Events) > 0 {
		return meeting.Committed{}, errors.New("not in this test")
	}
	return meeting.Committed{Head: meeting.ChainHead{Seq: c.AuditFrom.Seq + int64(len(c.Audit)), Hash: "h"}}, nil
}

func (oneMeetingStore) FindCommand(context.Context, string, meeting.CommandKey) (int64, bool, error) {
	return 0, false, nil
}

func (oneMeetingStore) EventsSince(context.Context, string, int64, int64) ([]meeting.Event, error) {
	return nil, nil
}

func (oneMeetingStore) MeetingHead(context.Context, string) (int64, meeting.ChainHead, error) {
	return 0, meeting.ChainHead{}, nil
}

func (oneMeetingStore) LastSeqs(context.Context, []string) (map[string]int64, error) { return nil, nil }

func (oneMeetingStore) Audit(context.Context, meeting.AuditEntry) error { return nil }

func (oneMeetingStore) ParticipantByToken(context.Context, string) (meeting.ParticipantToken, error) {
	return meeting.ParticipantToken{}, meeting.ErrNotFound
}

func newTestHub() *Hub {
	log := slog.New(slog.DiscardHandler)
	return NewHub(app.New(oneMeetingStore{}, app.LocalBroker{}, log), oneMeetingStore{}, log)
}

// TestListenerOutlivesHelloTimeout: a shared screen says hello and then only
// listens. The short deadline for hello must not cut it off; after hello the
// socket lives on pongs.
func TestListenerOutlivesHelloTimeout(t *testing.T) {
	hub := newTestHub()
	sock := newFakeSocket()
	done := make(chan struct{})
	go func() {
		hub.Serve(sock, "m1", Identity{UserID: "u1", OrganisationID: "org"})
		close(done)
	}()
	defer func() {
		sock.Close()
		<-done
	}()

	<-sock.reads // the read that waits for hello
	sock.in <- []byte(`{"type":"hello","view":"screen"}`)
	for _, want := range []string{`"type":"welcome"`, `"type":"snapshot"`} {
		select {
		case frame := <-sock.out:
			if !strings.Contains(string(frame), want) {
				t.Fatalf("got %s, want %s", frame, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("no %s", want)
		}
	}
	next := <-sock.reads // the read after hello: it waits for commands or pongs
	if left := time.Until(next); left <= helloTimeout {
		t.Fatalf("after hello the socket is dropped in %s unless it sends something; want the pong wait of %s", left.Round(time.Second), pongWait)
	}
}

// hijackedSocket is a socket as Fiber hands it over: Close leaves the TCP
// connection open (the handler's return closes it), so a read in progress
// ends only when its deadline passes. Only a deadline in the past ends it here.
type hijackedSocket struct {
	*fakeSocket
	wake     chan struct{}
	wakeOnce sync.Once
}

func (s *hijackedSocket) ReadMessage() (int, []byte, error) {
	select {
	case msg := <-s.in:
		return websocket.TextMessage, msg, nil
	case <-s.wake:
		return 0, nil, errors.New("i/o timeout")
	}
}

func (s *hijackedSocket) SetReadDeadline(t time.Time) error {
	if !t.After(time.Now()) {
		s.wakeOnce.Do(func() { close(s.wake) })
	}
	return nil
}

func (s *hijackedSocket) Close() error { return nil }

// TestClosedConnectionStopsReading: once the server closes a connection (here
// the meeting is erased) the read waiting for a phone that sends nothing ends
// too, so the connection is cut at once rather than after the pong wait.
func TestClosedConnectionStopsReading(t *testing.T) {
	hub := newTestHub()
	sock := &hijackedSocket{fakeSocket: newFakeSocket(), wake: make(chan struct{})}
	done := make(chan Session)
	go func() { done <- hub.Serve(sock, "m1", Identity{UserID: "u1", OrganisationID: "org"}) }()
	sock.in <- []byte(`{"type":"hello","view":"screen"}`)
	for range 2 { // welcome, snapshot
		<-sock.out
	}
	hub.Erased("m1")
	select {
	case s := <-done:
		if s.CloseCode != CloseRejected {
			t.Fatalf("closed with %d, want %d", s.CloseCode, CloseRejected)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the connection was closed but its reader still waits for the phone")
	}
}

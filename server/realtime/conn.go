package realtime

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"regexp"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/fasthttp/websocket"
	"golang.org/x/time/rate"

	"github.com/tafel-met/tafel/server/app"
	"github.com/tafel-met/tafel/server/meeting"
)

// Limits and timings of a connection.
const (
	MaxMessageBytes = 16 << 10  // larger frames get too_large and change nothing
	hardReadLimit   = 256 << 10 // larger frames close the connection
	sendQueue       = 512       // frames waiting for a slow client before it is dropped
	// kernelSendBuffer is each socket's kernel send buffer (SO_SNDBUF).
	kernelSendBuffer = 64 << 10
	helloTimeout     = 10 * time.Second
	pongWait         = 60 * time.Second
	pingEvery        = 25 * time.Second
	writeWait        = 10 * time.Second
	// slowCloseWait is how long a client whose queue filled may take to
	// receive the frame it is being written and the close frame after it;
	// a phone that stopped reading is cut off (TCP closed) after it.
	slowCloseWait  = 2 * time.Second
	commandsPerSec = 20
	commandBurst   = 40
)

// Close codes the server sends.
const (
	CloseRemoved   = 4003 // the participant was removed from the meeting
	CloseSlow      = 4008 // the client could not keep up; it resumes on reconnect
	CloseRejected  = 4001 // hello refused: unknown token, wrong meeting; the reason is the code
	CloseGoingAway = websocket.CloseGoingAway
	// CloseInternal says hello could not be answered now (the database did not
	// answer, say): the client retries with backoff. Never 4001, which says stop.
	CloseInternal = websocket.CloseInternalServerErr
)

// Socket is the part of a websocket connection the hub uses; *websocket.Conn of
// fasthttp/websocket (under Fiber's contrib/websocket) has it.
type Socket interface {
	ReadMessage() (int, []byte, error)
	WriteMessage(messageType int, data []byte) error
	SetReadLimit(limit int64)
	SetReadDeadline(t time.Time) error
	SetWriteDeadline(t time.Time) error
	SetPongHandler(h func(appData string) error)
	Close() error
}

// Identity is who the HTTP layer authenticated before the upgrade: a signed-in
// coordinator, or nobody (a participant proves who they are with a token in hello).
type Identity struct {
	UserID         string
	UserName       string // the coordinator's name, shown to colleagues as the meeting's lead
	OrganisationID string
	// ParticipantToken is the token from the participant cookie, if the request
	// had one; hello checks it as it checks a token in the frame.
	ParticipantToken string
	// Address and UserAgent say where the socket came from, for the audit log.
	Address, UserAgent string
	// SessionUnchecked says the request had a session cookie that could not be
	// checked (the database did not answer): hello answers internal, not
	// unauthorized, so the client retries.
	SessionUnchecked bool
}

// Conn is one client's websocket. Only its writer goroutine writes to the socket.
type Conn struct {
	hub     *Hub
	sock    Socket
	ident   Identity
	log     *slog.Logger
	limiter *rate.Limiter

	// The frames waiting for the writer: a slice, grown only while frames
	// wait, so an idle connection holds no queue.
	qmu       sync.Mutex
	queue     [][]byte
	writing   int           // frames the writer took from queue and has not written yet
	wake      chan struct{} // one token: the writer has frames to send
	quit      chan struct{}
	closeOnce sync.Once
	closeCode int
	closeMsg  string
	// slow is set once the queue filled: writes get slowCloseWait from then on.
	dmu  sync.Mutex
	slow bool

	viewer    meeting.Viewer // guarded by room.mu once registered
	actorKey  string
	meetingID string
	room      *room
	release   func() // lets the service forget the meeting once nobody uses it

	// seen is the highest seq this socket was sent, an event's or a snapshot's,
	// or the lastSeq it resumed from: what a silent ack may name. Guarded by room.mu.
	seen int64
}

var commandIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// Serve runs one websocket until it closes. It blocks, as Fiber's handler must.
//
// It returns what the operator's log says of the session: who it was (the role,
// "" when hello never succeeded) and the close code the server sent.
func (h *Hub) Serve(sock Socket, meetingID string, ident Identity) Session {
	c := &Conn{hub: h, sock: sock, ident: ident, log: h.log, wake: make(chan struct{}, 1), quit: make(chan struct{}),
		limiter: h.newLimiter()}
	sock.SetReadLimit(hardReadLimit)
	// The send queue is the bound on what waits for a slow phone, not the
	// kernel's buffer, which grows to megabytes on its own: fix it small.
	if tc := tcpConn(sock); tc != nil {
		_ = tc.SetWriteBuffer(kernelSendBuffer)
	}
	done := make(chan struct{})
	go func() {
		c.writeLoop()
		close(done)
	}()
	c.readLoop(meetingID)
	c.closeWith(websocket.CloseNormalClosure, "")
	<-done
	if c.room != nil {
		h.leave(c)
		h.observer.SocketClosed(string(c.viewer.Role))
	}
	if c.release != nil {
		c.release()
	}
	return Session{Role: string(c.viewer.Role), CloseCode: c.closeCode}
}

// Session is what a websocket session was, for the log: never who, only what.
type Session struct {
	Role      string
	CloseCode int
}

// enqueue queues a frame; a client whose queue is full is disconnected, so one slow
// phone never slows the meeting. It resumes with lastSeq when it reconnects.
func (c *Conn) enqueue(frame []byte) {
	select {
	case <-c.quit:
		return
	default:
	}
	c.qmu.Lock()
	// What waits counts the frames the writer took and has not written yet.
	full := len(c.queue)+c.writing >= sendQueue
	if !full {
		c.queue = append(c.queue, frame)
	}
	c.qmu.Unlock()
	if full {
		c.hub.observer.SendQueueDrop()
		if c.closeWith(CloseSlow, "too slow") {
			c.hub.observer.SlowClose()
		}
		c.cutWrites()
		return
	}
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// takeQueue returns the frames waiting and empties the queue.
func (c *Conn) takeQueue() [][]byte {
	c.qmu.Lock()
	defer c.qmu.Unlock()
	q := c.queue
	c.queue = nil
	c.writing = len(q)
	return q
}

// written counts one frame of the writer's batch as sent.
func (c *Conn) written() {
	c.qmu.Lock()
	c.writing--
	c.qmu.Unlock()
}

// closeWith closes the connection with a code and reason; it reports whether
// this call was the one that closed it.
func (c *Conn) closeWith(code int, msg string) bool {
	first := false
	c.closeOnce.Do(func() {
		c.closeCode, c.closeMsg = code, msg
		close(c.quit)
		first = true
	})
	return first
}

// netConner is a socket that lends its TCP connection: fasthttp/websocket's.
type netConner interface{ NetConn() net.Conn }

// tcpConn returns the TCP connection under a socket, through fasthttp's
// hijacked connection, or nil.
func tcpConn(sock Socket) *net.TCPConn {
	nc, ok := sock.(netConner)
	if !ok {
		return nil
	}
	conn := nc.NetConn()
	if u, ok := conn.(interface{ UnsafeConn() net.Conn }); ok {
		conn = u.UnsafeConn()
	}
	tc, _ := conn.(*net.TCPConn)
	return tc
}

// cutWrites gives the write in progress, and every later one, slowCloseWait:
// the writer may be blocked writing to a phone that stopped reading, and
// must get to the close frame (or give up and close TCP) within seconds, not
// writeWait. The TCP connection's deadline may be set from any goroutine.
func (c *Conn) cutWrites() {
	c.dmu.Lock()
	defer c.dmu.Unlock()
	c.slow = true
	if nc, ok := c.sock.(netConner); ok && nc.NetConn() != nil {
		_ = nc.NetConn().SetWriteDeadline(time.Now().Add(slowCloseWait))
	}
}

func (c *Conn) write(messageType int, data []byte) error {
	c.dmu.Lock()
	wait := writeWait
	if c.slow {
		wait = slowCloseWait
	}
	_ = c.sock.SetWriteDeadline(time.Now().Add(wait))
	c.dmu.Unlock()
	return c.sock.WriteMessage(messageType, data)
}

// closing says whether the connection is closing; closeCode is set once it is.
func (c *Conn) closing() bool {
	select {
	case <-c.quit:
		return true
	default:
		return false
	}
}

func (c *Conn) writeLoop() {
	ping := time.NewTicker(pingEvery)
	defer ping.Stop()
	defer func() {
		c.sock.Close()
		// Under Fiber, Close leaves the hijacked TCP connection to the
		// handler's return, and the reader may wait pongWait for a phone that
		// stopped reading: wake it now, so the connection is cut at once.
		_ = c.sock.SetReadDeadline(time.Now())
	}()
	for {
		select {
		case <-c.wake:
			for _, frame := range c.takeQueue() {
				if c.closing() && c.closeCode == CloseSlow {
					break // a client too slow for its queue gets only the close
				}
				if err := c.write(websocket.TextMessage, frame); err != nil {
					c.closeWith(websocket.CloseAbnormalClosure, "")
					return
				}
				c.written()
			}
		case <-ping.C:
			if err := c.write(websocket.PingMessage, nil); err != nil {
				c.closeWith(websocket.CloseAbnormalClosure, "")
				return
			}
		case <-c.quit:
			// Send what is queued (an error frame before a rejection, say), then
			// close; a client too slow for its queue gets only the close.
			if c.closeCode != CloseSlow {
				for _, frame := range c.takeQueue() {
					if c.write(websocket.TextMessage, frame) != nil {
						return
					}
				}
			}
			_ = c.write(websocket.CloseMessage, websocket.FormatCloseMessage(c.closeCode, c.closeMsg))
			return
		}
	}
}

func (c *Conn) readLoop(meetingID string) {
	_ = c.sock.SetReadDeadline(time.Now().Add(helloTimeout))
	c.sock.SetPongHandler(func(string) error {
		return c.sock.SetReadDeadline(time.Now().Add(pongWait))
	})
	for {
		mt, msg, err := c.sock.ReadMessage()
		if err != nil {
			if errors.Is(err, websocket.ErrReadLimit) {
				c.closeWith(websocket.CloseMessageTooBig, "te groot (message too big)")
			}
			return
		}
		select {
		case <-c.quit:
			return
		default:
		}
		if c.room != nil {
			_ = c.sock.SetReadDeadline(time.Now().Add(pongWait))
		}
		if mt != websocket.TextMessage {
			// The protocol is JSON text frames; a binary frame is never a command.
			c.enqueue(errorBytes("", meeting.Errorf(meeting.ECodeInvalidJSON, "text frames only")))
			continue
		}
		f, err := parseFrame(msg)
		if err != nil {
			c.enqueue(errorBytes(f.ID, err))
			continue
		}
		if c.room == nil {
			if f.Type != "hello" {
				c.enqueue(errorBytes(f.ID, meeting.Fail(meeting.ECodeNotHello, "", "send hello first")))
				continue
			}
			if err := c.hello(meetingID, f); err != nil {
				c.enqueue(errorBytes("", err))
				if code := meeting.ErrorCode(err); code == meeting.ECodeInternal {
					c.closeWith(CloseInternal, code)
				} else {
					c.closeWith(CloseRejected, code)
				}
				return
			}
			// From now on pongs keep the socket alive: a screen that only listens
			// must not be dropped when the hello deadline passes.
			_ = c.sock.SetReadDeadline(time.Now().Add(pongWait))
			continue
		}
		if f.Type != "command" {
			c.enqueue(errorBytes(f.ID, meeting.Fail(meeting.ECodeInvalidJSON, "unknown_frame", "unknown frame type", "type", truncate(f.Type))))
			continue
		}
		c.command(f)
	}
}

func truncate(s string) string {
	if len(s) > 40 {
		return s[:40]
	}
	return s
}

// parseFrame checks size, encoding and shape before anything else looks at a frame.
func parseFrame(msg []byte) (clientFrame, error) {
	var f clientFrame
	if len(msg) > MaxMessageBytes {
		return f, meeting.Fail(meeting.ECodeTooLarge, "message_too_large", fmt.Sprintf("message too large: %d bytes, at most %d", len(msg), MaxMessageBytes), "bytes", len(msg), "max", MaxMessageBytes)
	}
	if !utf8.Valid(msg) {
		return f, meeting.Fail(meeting.ECodeInvalidUTF8, "invalid_utf8", "invalid UTF-8")
	}
	if err := json.Unmarshal(msg, &f); err != nil {
		return clientFrame{}, meeting.Fail(meeting.ECodeInvalidJSON, "invalid_json", "invalid JSON")
	}
	if f.ID != "" && !commandIDPattern.MatchString(f.ID) {
		return clientFrame{}, meeting.Fail(meeting.ECodeInvalidJSON, "invalid_id", "invalid id: 1-64 of A-Z a-z 0-9 - _")
	}
	if f.Type == "command" && f.ID == "" {
		return f, meeting.Fail(meeting.ECodeInvalidJSON, "invalid_id", "command without id")
	}
	return f, nil
}

// hello identifies the client, registers it in the room, and sends what it missed.
func (c *Conn) hello(meetingID string, f clientFrame) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	v := meeting.Viewer{}
	// A participant: a token in hello, or the cookie when the client asks to be
	// one (a browser signed in as coordinator may have joined as well) or has
	// no coordinator session.
	token := f.Token
	if token == "" && (f.View == "participant" || c.ident.UserID == "") {
		token = c.ident.ParticipantToken
	}
	switch {
	case token == "" && c.ident.SessionUnchecked:
		return meeting.Errorf(meeting.ECodeInternal, "session not checked")
	case token == "" && f.View == "participant":
		return meeting.Fail(meeting.ECodeUnauthorized, "join_first", "join first")
	case token != "":
		pt, err := c.hub.participants.ParticipantByToken(ctx, token)
		if err != nil && !errors.Is(err, meeting.ErrNotFound) {
			// The database did not answer: that says nothing about the token.
			c.log.Error("token lookup failed", "err", err)
			return meeting.Errorf(meeting.ECodeInternal, "token not checked")
		}
		if err != nil || pt.MeetingID != meetingID {
			return meeting.Fail(meeting.ECodeUnauthorized, "unknown_token", "unknown token")
		}
		if pt.Status == meeting.StatusRemoved {
			return meeting.Fail(meeting.ECodeForbidden, "removed", "participant removed")
		}
		v = meeting.Viewer{Role: meeting.RoleParticipant, ParticipantID: pt.ParticipantID}
		c.actorKey = "p:" + pt.ParticipantID
	case c.ident.UserID != "":
		v.Role = meeting.RoleCoordinator
		if f.View == "screen" {
			v.Role = meeting.RoleScreen
		}
		c.actorKey = "u:" + c.ident.UserID
	default:
		return meeting.Fail(meeting.ECodeUnauthorized, "sign_in_or_join", "sign in or join first")
	}
	// Whose meeting is it? A coordinator of another organisation learns nothing.
	var orgID string
	check, err := c.hub.app.Attach(ctx, meetingID, func(mi meeting.Info, _ *meeting.Meeting) { orgID = mi.OrganisationID })
	if err != nil {
		return err
	}
	check()
	if v.Role != meeting.RoleParticipant && orgID != c.ident.OrganisationID {
		// Recorded in the prober's own chain.
		_ = c.hub.app.AuditOrganisation(ctx, meeting.AuditEntry{OrganisationID: c.ident.OrganisationID, ActorType: "user",
			ActorID: c.ident.UserID, ActorRole: string(v.Role), Action: meeting.AuditDenied, ObjectType: "meeting",
			ObjectID: meetingID, Outcome: "denied", Address: c.ident.Address, UserAgent: c.ident.UserAgent})
		return meeting.Fail(meeting.ECodeNotFound, "unknown_meeting", "unknown meeting")
	}
	// Opening a meeting reads the family's data: no log, no access.
	c.viewer = v
	if err := c.hub.app.Audit(ctx, meetingID, c.auditEntry(meeting.AuditRead, "open")); err != nil {
		c.log.Error("audit log write failed", "err", err)
		return meeting.Errorf(meeting.ECodeInternal, "audit log unavailable")
	}
	closing := false
	// Never state older than what the client saw (it may come from another
	// instance that is ahead of this one): catch up first.
	release, err := c.hub.app.AttachSince(ctx, meetingID, f.LastSeq, func(mi meeting.Info, m *meeting.Meeting) {
		if v.Role == meeting.RoleParticipant {
			v = m.ViewerFor(v.Role, v.ParticipantID)
		}
		r := c.hub.roomOf(meetingID, true)
		if r == nil {
			closing = true
			return
		}
		r.mu.Lock()
		r.info = mi
		c.viewer, c.room, c.meetingID = v, r, meetingID
		r.conns[c] = struct{}{}
		c.hub.observer.SocketOpened(string(v.Role))
		c.enqueue(encode(welcomeFrame{Type: "welcome", Role: v.Role, ParticipantID: v.ParticipantID, Seq: m.Seq}))
		c.resumeLocked(m, f.LastSeq)
		c.hub.presenceLocked(r)
		r.mu.Unlock()
	})
	if err != nil {
		return err
	}
	c.release = release
	if closing {
		return meeting.Errorf(meeting.ECodeInternal, "server shutting down")
	}
	return nil
}

// auditEntry describes this connection's access to its meeting for the audit
// log; the service fills in the organisation, the family and the meeting.
func (c *Conn) auditEntry(action, detail string) meeting.AuditEntry {
	e := meeting.AuditEntry{Action: action, Detail: detail, Address: c.ident.Address, UserAgent: c.ident.UserAgent,
		ActorRole: string(c.viewer.Role)}
	if c.viewer.Role == meeting.RoleParticipant {
		e.ActorType, e.ActorID = "participant", c.viewer.ParticipantID
	} else {
		e.ActorType, e.ActorID = "user", c.ident.UserID
	}
	return e
}

// resumeLocked sends the events after lastSeq when the room still has them all,
// else a snapshot of m. A phone or screen of a meeting that ended without a plan
// always gets the snapshot: the events it missed may hold the plan. r.mu is held.
func (c *Conn) resumeLocked(m *meeting.Meeting, lastSeq int64) {
	r := c.room
	if lastSeq == m.Seq && lastSeq > 0 {
		c.seen = lastSeq
		return
	}
	// The room's events must end at m's seq: a room that is new here has none.
	fresh := len(r.recent) > 0 && r.recent[len(r.recent)-1].ev.Seq == m.Seq
	if fresh && lastSeq > 0 && lastSeq < m.Seq && len(r.recent) > 0 && r.recent[0].ev.Seq <= lastSeq+1 &&
		(c.viewer.Role != meeting.RoleParticipant || c.viewer.Admitted) && !c.ownStatusChangedLocked(lastSeq) &&
		!m.PlanWithheld(c.viewer) {
		// Counted by what this viewer may see: others' drafts do not count.
		var missed []buffered
		for _, b := range r.recent {
			if b.ev.Seq > lastSeq && c.viewer.CanSee(b.ev) {
				missed = append(missed, b)
			}
		}
		if len(missed) <= replayEvents {
			c.seen = lastSeq
			for _, b := range missed {
				c.sendEventLocked(b.frame, b.ev.Seq)
			}
			return
		}
	}
	c.sendSnapshotLocked(c.hub.snapshotLocked(r, m, c.viewer), m.Seq)
}

// sendEventLocked queues an event frame for this socket. room.mu is held.
func (c *Conn) sendEventLocked(frame []byte, seq int64) {
	c.enqueue(frame)
	c.seen = max(c.seen, seq)
}

// sendSnapshotLocked queues a snapshot at seq for this socket; the client
// takes its seq as its own, even one below what it saw before (a database
// restored from a backup). room.mu is held.
func (c *Conn) sendSnapshotLocked(frame []byte, seq int64) {
	c.enqueue(frame)
	c.seen = seq
}

// ownStatusChangedLocked says whether the participant was admitted (or otherwise
// changed status) after lastSeq: what they may see before that changed too, which
// only a snapshot brings, as it does for a connected phone. r.mu is held.
func (c *Conn) ownStatusChangedLocked(lastSeq int64) bool {
	if c.viewer.Role != meeting.RoleParticipant {
		return false
	}
	for _, b := range c.room.recent {
		// At lastSeq too: a phone that dropped between its own admission and
		// the snapshot after it saw the event but not the table (found by make soak).
		if b.ev.Seq >= lastSeq && b.ev.Name == meeting.EvParticipantUpsert && b.ev.ParticipantID == c.viewer.ParticipantID {
			return true
		}
	}
	return false
}

func (c *Conn) command(f clientFrame) {
	if !c.limiter.AllowN(c.hub.now(), 1) {
		c.enqueue(errorBytes(f.ID, meeting.Fail(meeting.ECodeRateLimited, "slow_down", "rate limited")))
		return
	}
	c.room.mu.Lock()
	actor := meeting.Actor{Role: c.viewer.Role, ParticipantID: c.viewer.ParticipantID}
	c.room.mu.Unlock()
	if actor.Role == meeting.RoleCoordinator {
		actor.UserID, actor.UserName = c.ident.UserID, c.ident.UserName
	}
	if actor.Role == meeting.RoleScreen {
		c.enqueue(errorBytes(f.ID, meeting.Fail(meeting.ECodeForbidden, "screen_read_only", "the screen is read-only")))
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	// The change and its audit record commit together.
	entry := c.auditEntry(meeting.AuditUpdate, truncate(f.Name))
	var onBehalf struct {
		PartyID string `json:"partyId"`
	}
	if actor.Role == meeting.RoleCoordinator && json.Unmarshal(f.Data, &onBehalf) == nil {
		entry.OnBehalfOf = onBehalf.PartyID
	}
	res, err := c.hub.app.Execute(ctx, c.meetingID, app.Change{
		Command: meeting.Command{ID: f.ID, Name: f.Name, Data: f.Data, Actor: actor},
		Key:     meeting.CommandKey{Actor: c.actorKey, ID: f.ID},
		Audit:   entry,
	})
	if err != nil {
		c.enqueue(errorBytes(f.ID, err))
		return
	}
	// An ack never names a seq this socket does not receive: a silent ack (the
	// action was done already) would otherwise carry the meeting's last seq,
	// which may be an event this viewer never sees (another phone's draft). Its
	// command's own events reached this socket before the answer.
	seq := res.Seq
	c.room.mu.Lock()
	seq = min(seq, c.seen)
	c.room.mu.Unlock()
	c.enqueue(encode(ackFrame{Type: "ack", ID: f.ID, Seq: seq, Duplicate: res.Duplicate}))
}

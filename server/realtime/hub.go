// Package realtime is the sockets of live meetings: per meeting a room of
// websocket connections with their read and write loops, committed events
// fanned out to everyone who may see them, and presence. Every change goes
// through the application service (server/app).
package realtime

import (
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/tafel-met/tafel/server/app"
	"github.com/tafel-met/tafel/server/meeting"
)

// Participants finds who a participant's secret token belongs to.
type Participants interface {
	ParticipantByToken(ctx context.Context, token string) (meeting.ParticipantToken, error)
}

// Observer counts the sockets' work, for the operator's metrics.
type Observer interface {
	SocketOpened(role string)
	SocketClosed(role string)
	LiveMeetings(n int)
	EventsSent(n int)
	SendQueueDrop()
	SlowClose()
}

type nopObserver struct{}

func (nopObserver) SocketOpened(string) {}
func (nopObserver) SocketClosed(string) {}
func (nopObserver) LiveMeetings(int)    {}
func (nopObserver) EventsSent(int)      {}
func (nopObserver) SendQueueDrop()      {}
func (nopObserver) SlowClose()          {}

// A room keeps its last recentEvents encoded events (at most recentBytes of
// them) for clients that resume. A client that missed at most replayEvents
// events it may see gets them; one that missed more, or events the room no
// longer holds, gets a snapshot. The room keeps more than replayEvents because
// much of what it holds may be others' drafts and rankings: a coordinator who
// missed 420 events of the table gets those 420, however many drafts lie between.
const (
	recentEvents = 2000
	recentBytes  = 4 << 20
	replayEvents = 500
)

// Hub holds the sockets of the meetings this instance serves: it fans each
// committed event out to everyone who may see it, and keeps presence. Every
// change goes through the application service.
type Hub struct {
	app          *app.Service
	participants Participants
	log          *slog.Logger
	clock        atomic.Pointer[func() time.Time] // time.Now unless SetClock changed it
	observer     Observer

	mu           sync.Mutex
	rooms        map[string]*room
	closed       bool
	commandRate  rate.Limit // per connection; commandsPerSec unless SetCommandRate changed it
	commandBurst int
}

var _ app.Listener = (*Hub)(nil)

// room is the sockets of one meeting on this instance.
type room struct {
	id string

	mu     sync.Mutex // guards everything below
	info   meeting.Info
	conns  map[*Conn]struct{}
	recent []buffered
	// recentSize is the bytes of the frames in recent.
	recentSize int
	online     []string // everyone connected, on every instance, as last sent
	local      []string // those connected to this instance, as last published
	remote     map[string]remoteOnline
}

type buffered struct {
	ev    meeting.Event
	frame []byte
}

// NewHub returns a hub whose connections run their changes through svc; it
// registers itself as the service's listener.
func NewHub(svc *app.Service, participants Participants, log *slog.Logger) *Hub {
	h := &Hub{app: svc, participants: participants, log: log, rooms: map[string]*room{},
		commandRate: commandsPerSec, commandBurst: commandBurst, observer: nopObserver{}}
	h.SetClock(time.Now)
	svc.SetListener(h)
	return h
}

// Observe sets who counts the sockets' work; call it before the hub is used.
func (h *Hub) Observe(o Observer) {
	if o != nil {
		h.observer = o
	}
}

// SetClock sets the clock of the command rate limits and of presence; tests
// stop it, so that what a limit lets through does not depend on their pace.
func (h *Hub) SetClock(now func() time.Time) { h.clock.Store(&now) }

func (h *Hub) now() time.Time { return (*h.clock.Load())() }

// SetCommandRate sets how many commands a second, with burst, each connection that
// opens from now on may send. Production keeps the protocol's 20 a second, burst
// 40; the benchmarks pass rate.Inf to measure the server rather than the limiter.
func (h *Hub) SetCommandRate(limit rate.Limit, burst int) {
	h.mu.Lock()
	h.commandRate, h.commandBurst = limit, burst
	h.mu.Unlock()
}

// newLimiter returns a command rate limiter for a new connection.
func (h *Hub) newLimiter() *rate.Limiter {
	h.mu.Lock()
	defer h.mu.Unlock()
	return rate.NewLimiter(h.commandRate, h.commandBurst)
}

// roomOf returns a meeting's room, made when make is set; nil otherwise.
func (h *Hub) roomOf(meetingID string, create bool) *room {
	h.mu.Lock()
	defer h.mu.Unlock()
	r := h.rooms[meetingID]
	if r == nil && create && !h.closed {
		r = &room{id: meetingID, conns: map[*Conn]struct{}{}}
		h.rooms[meetingID] = r
		h.observer.LiveMeetings(len(h.rooms))
	}
	return r
}

// leave removes a connection from its room, and the room once it is empty.
func (h *Hub) leave(c *Conn) {
	r := c.room
	r.mu.Lock()
	delete(r.conns, c)
	h.presenceLocked(r)
	empty := len(r.conns) == 0
	r.mu.Unlock()
	if empty {
		h.mu.Lock()
		r.mu.Lock()
		if len(r.conns) == 0 && h.rooms[r.id] == r {
			delete(h.rooms, r.id)
			h.observer.LiveMeetings(len(h.rooms))
		}
		r.mu.Unlock()
		h.mu.Unlock()
	}
}

// Committed sends each connection of the meeting the events it may see, in
// seq order; the service calls it for every event stored or learnt.
func (h *Hub) Committed(info meeting.Info, m *meeting.Meeting, events []meeting.Event) {
	r := h.roomOf(info.ID, false)
	if r == nil {
		return // nobody here watches this meeting
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.info = info
	for _, ev := range events {
		h.sendLocked(r, m, ev)
	}
}

// sendLocked fans one event out. r.mu is held.
func (h *Hub) sendLocked(r *room, m *meeting.Meeting, ev meeting.Event) {
	frame := encodeEvent(ev)
	r.recent = append(r.recent, buffered{ev: ev, frame: frame})
	r.recentSize += len(frame)
	drop := 0
	for len(r.recent)-drop > recentEvents || (r.recentSize > recentBytes && len(r.recent)-drop > 1) {
		r.recentSize -= len(r.recent[drop].frame)
		drop++
	}
	if drop > 0 {
		r.recent = slices.Delete(r.recent, 0, drop)
	}
	var changed *meeting.Participant
	if ev.Name == meeting.EvParticipantUpsert {
		var d struct{ Participant meeting.Participant }
		if json.Unmarshal(ev.Data, &d) == nil {
			changed = &d.Participant
		}
	}
	sent := 0
	defer func() { h.observer.EventsSent(sent) }()
	for c := range r.conns {
		if c.viewer.CanSee(ev) {
			c.sendEventLocked(frame, ev.Seq)
			sent++
		}
		if ev.Name == meeting.EvMeetingUpdated && m.PlanWithheld(c.viewer) {
			// The meeting ended without a plan: what this phone or screen holds
			// of the half-written plan is replaced by a view without it.
			c.sendSnapshotLocked(h.snapshotLocked(r, m, c.viewer), m.Seq)
		}
		if changed == nil || c.viewer.Role != meeting.RoleParticipant || c.viewer.ParticipantID != changed.ID {
			continue
		}
		switch changed.Status {
		case meeting.StatusAdmitted:
			c.viewer.Admitted = true
			c.sendSnapshotLocked(h.snapshotLocked(r, m, c.viewer), m.Seq)
		case meeting.StatusRemoved:
			c.closeWith(CloseRemoved, "removed")
		}
	}
	if changed != nil {
		h.presenceLocked(r)
	}
}

// snapshotLocked encodes what viewer may see of m. r.mu is held.
func (h *Hub) snapshotLocked(r *room, m *meeting.Meeting, v meeting.Viewer) []byte {
	view := m.ViewFor(v)
	if v.Role == meeting.RoleCoordinator || v.Role == meeting.RoleScreen {
		view.JoinCode = r.info.JoinCode
	}
	if v.Role != meeting.RoleParticipant || v.Admitted {
		view.Online = append(view.Online, r.online...)
	}
	return encode(snapshotFrame{Type: "snapshot", Seq: m.Seq, Meeting: view})
}

// Online returns who is connected to a meeting, on any instance.
func (h *Hub) Online(meetingID string) []string {
	r := h.roomOf(meetingID, false)
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.online)
}

// Erased disconnects everyone from a meeting whose data was erased or purged.
func (h *Hub) Erased(meetingID string) {
	r := h.roomOf(meetingID, false)
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for c := range r.conns {
		c.enqueue(errorBytes("", meeting.Fail(meeting.ECodeNotFound, "meeting_erased", "meeting erased")))
		c.closeWith(CloseRejected, meeting.ECodeNotFound)
	}
}

// remoteOnline is who another instance said is connected to a meeting there.
type remoteOnline struct {
	online  []string
	version int64
	at      time.Time
}

// presenceTTL is how long another instance's word counts; instances repeat it
// every presenceEvery, so a crashed instance's people drop out.
const (
	presenceEvery = 20 * time.Second
	presenceTTL   = 3 * presenceEvery
)

// presenceLocked tells the other instances who is connected here when that
// changed, and sends who is online anywhere to the table when that changed.
// r.mu is held.
func (h *Hub) presenceLocked(r *room) {
	set := map[string]bool{}
	for c := range r.conns {
		switch {
		case c.viewer.Role == meeting.RoleCoordinator:
			set["coordinator"] = true
		case c.viewer.Role == meeting.RoleParticipant && c.viewer.Admitted:
			set[c.viewer.ParticipantID] = true
		}
	}
	local := sortedKeys(set)
	if !slices.Equal(local, r.local) {
		r.local = local
		go h.app.PublishPresence(r.info.OrganisationID, r.id, local, h.now().UnixNano())
	}
	now := h.now()
	for inst, ro := range r.remote {
		if now.Sub(ro.at) > presenceTTL {
			delete(r.remote, inst)
			continue
		}
		for _, id := range ro.online {
			set[id] = true
		}
	}
	online := sortedKeys(set)
	if slices.Equal(online, r.online) {
		return
	}
	r.online = online
	frame := encode(presenceFrame{Type: "presence", Online: online})
	for c := range r.conns {
		if c.viewer.Role != meeting.RoleParticipant || c.viewer.Admitted {
			c.enqueue(frame)
		}
	}
}

// Presence records who another instance has connected to a meeting.
func (h *Hub) Presence(meetingID, instance string, online []string, version int64) {
	r := h.roomOf(meetingID, false)
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.remote == nil {
		r.remote = map[string]remoteOnline{}
	}
	if old, ok := r.remote[instance]; ok && old.version > version {
		return // an older word, overtaken on the way
	}
	r.remote[instance] = remoteOnline{online: online, version: version, at: h.now()}
	h.presenceLocked(r)
}

// RepeatPresence re-publishes every room's local presence until ctx ends, so
// other instances keep counting this one's people and forget a crashed one's.
func (h *Hub) RepeatPresence(ctx context.Context) {
	t := time.NewTicker(presenceEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		h.mu.Lock()
		rooms := make([]*room, 0, len(h.rooms))
		for _, r := range h.rooms {
			rooms = append(rooms, r)
		}
		h.mu.Unlock()
		for _, r := range rooms {
			r.mu.Lock()
			local, version, org := r.local, h.now().UnixNano(), r.info.OrganisationID
			h.presenceLocked(r) // also drops what expired
			r.mu.Unlock()
			if len(local) > 0 {
				h.app.PublishPresence(org, r.id, local, version)
			}
		}
	}
}

// Close disconnects every connection; clients resume on another instance or after restart.
func (h *Hub) Close() {
	h.mu.Lock()
	h.closed = true
	rooms := make([]*room, 0, len(h.rooms))
	for _, r := range h.rooms {
		rooms = append(rooms, r)
	}
	h.mu.Unlock()
	for _, r := range rooms {
		r.mu.Lock()
		for c := range r.conns {
			c.closeWith(CloseGoingAway, "restarting")
		}
		r.mu.Unlock()
	}
}

func sortedKeys(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for id := range set {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

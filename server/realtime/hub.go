package realtime

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/store"
)

// Store is what the hub needs from the database.
type Store interface {
	LoadMeeting(ctx context.Context, id string) (*meeting.Meeting, store.MeetingInfo, error)
	Execute(ctx context.Context, meetingID string, cached *meeting.Meeting, key store.CommandKey, decide store.Decider, joinTokenHash string) (store.Executed, error)
	EventsSince(ctx context.Context, meetingID string, after, upTo int64) ([]meeting.Event, error)
	FindParticipantByToken(ctx context.Context, tokenHash string) (store.ParticipantToken, error)
	Audit(ctx context.Context, e store.AuditEntry) error
}

// recentEvents is how many encoded events a room keeps for clients that resume.
const recentEvents = 500

// Hub holds the rooms of the meetings this instance serves.
type Hub struct {
	store  Store
	broker Broker
	log    *slog.Logger
	now    func() time.Time

	mu           sync.Mutex
	rooms        map[string]*room
	closed       bool
	commandRate  rate.Limit // per connection; commandsPerSec unless SetCommandRate changed it
	commandBurst int
}

// room is one meeting on this instance.
type room struct {
	id    string
	users int // acquirers: connections and commands in flight; guarded by Hub.mu

	exec sync.Mutex // one command at a time from this instance

	mu       sync.Mutex // guards everything below
	state    *meeting.Meeting
	info     store.MeetingInfo
	conns    map[*Conn]struct{}
	recent   []buffered
	online   []string // everyone connected, on every instance, as last sent
	local    []string // those connected to this instance, as last published
	remote   map[string]remoteOnline
	followed bool // the broker delivers this meeting's events here
}

type buffered struct {
	ev    meeting.Event
	frame []byte
}

// NewHub returns a hub that stores through st and fans out through broker.
func NewHub(st Store, broker Broker, log *slog.Logger) *Hub {
	h := &Hub{store: st, broker: broker, log: log, now: time.Now, rooms: map[string]*room{},
		commandRate: commandsPerSec, commandBurst: commandBurst}
	broker.Subscribe(h.deliver, h.resync, h.remotePresence)
	return h
}

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

// acquire returns the room of a meeting, loaded, and counts the caller as a user.
func (h *Hub) acquire(ctx context.Context, meetingID string) (*room, error) {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return nil, meeting.Errorf(meeting.ECodeInternal, "De server stopt (server shutting down)")
	}
	r := h.rooms[meetingID]
	if r == nil {
		r = &room{id: meetingID, conns: map[*Conn]struct{}{}}
		h.rooms[meetingID] = r
	}
	r.users++
	h.mu.Unlock()

	r.mu.Lock()
	var err error
	if r.state == nil {
		var m *meeting.Meeting
		var info store.MeetingInfo
		if m, info, err = h.store.LoadMeeting(ctx, meetingID); err == nil {
			// Follow before using the state: events committed elsewhere from now
			// on arrive, and the gap check fetches any committed in between.
			if err = h.broker.Follow(ctx, info.OrganisationID, meetingID); err == nil {
				r.state, r.info, r.followed = m, info, true
			}
		}
	}
	r.mu.Unlock()
	if err != nil {
		h.release(r)
		if errors.Is(err, store.ErrNotFound) {
			return nil, meeting.Errorf(meeting.ECodeNotFound, "Dit gesprek bestaat niet (unknown meeting)")
		}
		return nil, err
	}
	return r, nil
}

// release forgets a room once nobody uses it; its state is reloaded on next use.
func (h *Hub) release(r *room) {
	h.mu.Lock()
	defer h.mu.Unlock()
	r.users--
	if r.users == 0 && h.rooms[r.id] == r {
		delete(h.rooms, r.id)
		r.mu.Lock()
		followed := r.followed
		r.followed = false
		r.mu.Unlock()
		if followed {
			go func() {
				if err := h.broker.Unfollow(context.Background(), r.id); err != nil {
					h.log.Warn("unfollow failed", "meeting", r.id, "err", err)
				}
			}()
		}
	}
}

// lockRoom returns the loaded room of a meeting on this instance with its mutex
// held, or nil when nobody here follows the meeting.
func (h *Hub) lockRoom(meetingID string) *room {
	h.mu.Lock()
	r := h.rooms[meetingID]
	h.mu.Unlock()
	if r == nil {
		return nil
	}
	r.mu.Lock()
	if r.state == nil {
		r.mu.Unlock()
		return nil
	}
	return r
}

// resync brings a room up to the database after the broker may have missed events.
func (h *Hub) resync(meetingID string) {
	r := h.lockRoom(meetingID)
	if r == nil {
		return
	}
	defer r.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	missed, err := h.store.EventsSince(ctx, r.id, r.state.Seq, 1<<62)
	if err != nil {
		h.log.Error("resync failed", "meeting", r.id, "err", err)
		return
	}
	for _, ev := range missed {
		h.applyLocked(r, ev)
	}
}

// Result is the answer to a command.
type Result struct {
	Seq       int64
	Duplicate bool
	Events    []meeting.Event
	Meeting   *meeting.Meeting
}

// Execute carries out a command on a meeting: the store decides and commits it,
// and only then are its events published.
func (h *Hub) Execute(ctx context.Context, meetingID string, key store.CommandKey, cmd meeting.Command, joinTokenHash string) (Result, error) {
	r, err := h.acquire(ctx, meetingID)
	if err != nil {
		return Result{}, err
	}
	defer h.release(r)
	return h.execute(ctx, r, key, cmd, joinTokenHash)
}

func (h *Hub) execute(ctx context.Context, r *room, key store.CommandKey, cmd meeting.Command, joinTokenHash string) (Result, error) {
	if cmd.Now.IsZero() {
		cmd.Now = h.now()
	}
	r.exec.Lock()
	defer r.exec.Unlock()
	// The store may change the state it is given, and deliver changes r.state in
	// place, so the command works on its own copy.
	r.mu.Lock()
	cached := r.state.Clone()
	r.mu.Unlock()
	res, err := h.store.Execute(ctx, r.id, cached, key, func(m *meeting.Meeting) (*meeting.Meeting, []meeting.Event, error) {
		return m.Decide(cmd)
	}, joinTokenHash)
	if err != nil {
		var de *meeting.Error
		if !errors.As(err, &de) {
			h.log.Error("command failed", "meeting", r.id, "command", cmd.Name, "err", err)
		}
		return Result{}, err
	}
	if !res.Duplicate {
		if err := h.broker.Publish(ctx, r.id, res.Events); err != nil {
			// The change is stored; clients get it when they resume.
			h.log.Error("publish failed", "meeting", r.id, "err", err)
		}
	}
	return Result{Seq: res.Seq, Duplicate: res.Duplicate, Events: res.Events, Meeting: res.Meeting}, nil
}

// deliver receives committed events from the broker and sends each connection of
// the meeting the ones it may see, in seq order.
func (h *Hub) deliver(meetingID string, events []meeting.Event) {
	r := h.lockRoom(meetingID)
	if r == nil {
		return // nobody here follows this meeting
	}
	defer r.mu.Unlock()
	for _, ev := range events {
		if ev.Seq <= r.state.Seq {
			continue // seen already
		}
		if ev.Seq > r.state.Seq+1 {
			// Another instance's events overtook ours: fetch what lies between.
			missed, err := h.store.EventsSince(context.Background(), r.id, r.state.Seq, ev.Seq-1)
			if err != nil {
				h.log.Error("catch up failed", "meeting", r.id, "err", err)
				return
			}
			for _, m := range missed {
				h.applyLocked(r, m)
			}
		}
		h.applyLocked(r, ev)
	}
}

// applyLocked applies one event to the room's state and sends it on. r.mu is held.
func (h *Hub) applyLocked(r *room, ev meeting.Event) {
	if err := r.state.Apply(ev); err != nil {
		h.log.Error("apply failed", "meeting", r.id, "seq", ev.Seq, "err", err)
		return
	}
	frame := encodeEvent(ev)
	r.recent = append(r.recent, buffered{ev: ev, frame: frame})
	if len(r.recent) > recentEvents {
		r.recent = r.recent[len(r.recent)-recentEvents:]
	}
	var changed *meeting.Participant
	if ev.Name == meeting.EvParticipantUpsert {
		var d struct{ Participant meeting.Participant }
		if json.Unmarshal(ev.Data, &d) == nil {
			changed = &d.Participant
		}
	}
	for c := range r.conns {
		if c.viewer.CanSee(ev) {
			c.enqueue(frame)
		}
		if changed == nil || c.viewer.Role != meeting.RoleParticipant || c.viewer.ParticipantID != changed.ID {
			continue
		}
		switch changed.Status {
		case meeting.StatusAdmitted:
			c.viewer.Admitted = true
			c.enqueue(h.snapshotLocked(r, c.viewer))
		case meeting.StatusRemoved:
			c.closeWith(CloseRemoved, "verwijderd uit het gesprek (removed)")
		}
	}
	if changed != nil {
		h.presenceLocked(r)
	}
}

// snapshotLocked encodes what viewer may see now. r.mu is held.
func (h *Hub) snapshotLocked(r *room, v meeting.Viewer) []byte {
	view := r.state.ViewFor(v)
	if v.Role == meeting.RoleCoordinator || v.Role == meeting.RoleScreen {
		view.JoinCode = r.info.JoinCode
	}
	if v.Role != meeting.RoleParticipant || v.Admitted {
		view.Online = append(view.Online, r.online...)
	}
	return encode(snapshotFrame{Type: "snapshot", Seq: r.state.Seq, Meeting: view})
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
		go h.publishPresence(r.info.OrganisationID, r.id, local, h.now().UnixNano())
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

// Snapshot returns what a viewer may see of a meeting now, for REST.
func (h *Hub) Snapshot(ctx context.Context, meetingID string, v meeting.Viewer) (meeting.View, error) {
	r, err := h.acquire(ctx, meetingID)
	if err != nil {
		return meeting.View{}, err
	}
	defer h.release(r)
	r.mu.Lock()
	defer r.mu.Unlock()
	if v.Role == meeting.RoleParticipant {
		v = r.state.ViewerFor(v.Role, v.ParticipantID)
	}
	var view meeting.View
	if err := json.Unmarshal(h.snapshotLocked(r, v), &struct {
		Meeting *meeting.View `json:"meeting"`
	}{&view}); err != nil {
		return meeting.View{}, err
	}
	return view, nil
}

// Join adds a person to a meeting's lobby and returns their participant id and
// the secret token that identifies them from now on.
func (h *Hub) Join(ctx context.Context, meetingID, name, partyID string) (participantID, token string, err error) {
	token = store.NewToken()
	data, _ := json.Marshal(map[string]string{"name": name, "partyId": partyID})
	res, err := h.Execute(ctx, meetingID, store.CommandKey{}, meeting.Command{Name: "participant.join", Data: data,
		Actor: meeting.Actor{Role: meeting.RoleJoiner}}, store.HashToken(token))
	if err != nil {
		return "", "", err
	}
	for _, p := range res.Meeting.Participants {
		if len(res.Events) > 0 && res.Events[0].ParticipantID == p.ID {
			return p.ID, token, nil
		}
	}
	return "", "", fmt.Errorf("join: no participant in events")
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
			c.closeWith(CloseGoingAway, "server herstart (server restarting)")
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

func (h *Hub) publishPresence(orgID, meetingID string, online []string, version int64) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := h.broker.PublishPresence(ctx, orgID, meetingID, online, version); err != nil {
		h.log.Warn("presence not shared", "meeting", meetingID, "err", err)
	}
}

// remotePresence records who another instance has connected to a meeting.
func (h *Hub) remotePresence(meetingID, instance string, online []string, version int64) {
	r := h.lockRoom(meetingID)
	if r == nil {
		return
	}
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
				h.publishPresence(org, r.id, local, version)
			}
		}
	}
}

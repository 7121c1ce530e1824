package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fasthttp/websocket"
)

// step is one load step while it runs: its schedule's counters and its latencies.
type step struct {
	stats   StepStats
	start   time.Time
	end     time.Time // start + duration: acks after it are not "achieved"
	sent    atomic.Int64
	acks    atomic.Int64
	inTime  atomic.Int64 // acks received before end
	backlog atomic.Int64 // sends dropped because the socket's writer was still busy
	closed  atomic.Bool  // drained and counted: later answers are only counted as late
	mu      sync.Mutex
	errors  map[string]int
}

func (s *step) countError(code string) {
	s.mu.Lock()
	s.errors[code]++
	s.mu.Unlock()
}

// pendingCmd is a command sent and not yet answered.
type pendingCmd struct {
	scheduled time.Time
	step      *step
}

// sock is one participant's websocket: a reader goroutine that accounts for every
// frame, and a writer goroutine that sends the commands the dispatcher hands it.
type sock struct {
	conn    *websocket.Conn
	fan     *Fanout
	member  int
	command string     // "edit" or "rank"
	worry   string     // edit: this participant's own revealed worry
	ranks   [][]string // rank: rankings to cycle through, each differing from the one before
	prefix  string
	out     chan pendingCmd
	mu      sync.Mutex
	pending map[string]pendingCmd
	next    int
	closed  atomic.Int32 // close code + 1 once the connection ended
	lg      *loadgen
}

// dialSock connects a participant (hello with its token) and waits for its snapshot.
func dialSock(base, meetingID, token string) (*websocket.Conn, int64, error) {
	h := http.Header{"Origin": {base}}
	d := websocket.Dialer{HandshakeTimeout: 20 * time.Second, ReadBufferSize: 4096, WriteBufferSize: 1024}
	conn, _, err := d.Dial(wsURL(base, meetingID), h)
	if err != nil {
		return nil, 0, err
	}
	if err := conn.WriteJSON(map[string]any{"type": "hello", "token": token, "lastSeq": 0}); err != nil {
		conn.Close()
		return nil, 0, err
	}
	_ = conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	for {
		_, b, err := conn.ReadMessage()
		if err != nil {
			conn.Close()
			return nil, 0, err
		}
		f, err := parseFrame(b)
		if err != nil {
			continue
		}
		if f.Type == "error" {
			conn.Close()
			return nil, 0, fmt.Errorf("hello: %s", f.Code)
		}
		if f.Type == "snapshot" {
			_ = conn.SetReadDeadline(time.Time{})
			return conn, f.Seq, nil
		}
	}
}

func (s *sock) start() {
	s.out = make(chan pendingCmd, 64)
	s.pending = map[string]pendingCmd{}
	go s.readLoop()
	go s.writeLoop()
}

func (s *sock) readLoop() {
	for {
		_, b, err := s.conn.ReadMessage()
		now := time.Now()
		if err != nil {
			code := 0
			if ce, ok := err.(*websocket.CloseError); ok {
				code = ce.Code
			}
			s.closed.Store(int32(code) + 1)
			s.lg.disconnects.Add(1)
			s.lg.countClose(code)
			return
		}
		s.lg.frames.Add(1)
		f, err := parseFrame(b)
		if err != nil {
			s.lg.badFrames.Add(1)
			continue
		}
		switch f.Type {
		case "event":
			s.fan.Arrived(s.member, f.Seq, now, s.lg.recording.Load() && f.Name != "ranking.mine")
		case "snapshot":
			s.lg.snapshots.Add(1)
			s.fan.Resynced(s.member, f.Seq)
		case "ack", "error":
			s.mu.Lock()
			p, ok := s.pending[f.ID]
			delete(s.pending, f.ID)
			s.mu.Unlock()
			if !ok {
				if f.Type == "error" {
					s.lg.strayErrors.Add(1)
				}
				continue
			}
			if p.step.closed.Load() {
				s.lg.late.Add(1)
				continue
			}
			if f.Type == "error" {
				p.step.countError(f.Code)
				continue
			}
			p.step.acks.Add(1)
			if now.Before(p.step.end) {
				p.step.inTime.Add(1)
			}
			s.fan.Acked(s.member, f.Seq, p.scheduled, &p.step.stats)
		}
	}
}

func (s *sock) writeLoop() {
	for p := range s.out {
		s.next++
		id := s.prefix + "-" + strconv.Itoa(s.next)
		var data any
		name := "worry.edit"
		if s.command == "rank" {
			name = "ranking.set"
			data = map[string]any{"worryIds": s.ranks[s.next%len(s.ranks)]}
		} else {
			data = map[string]any{"itemId": s.worry, "text": "Bewerking " + id}
		}
		b, _ := json.Marshal(map[string]any{"type": "command", "id": id, "name": name, "data": data})
		s.mu.Lock()
		s.pending[id] = p
		s.mu.Unlock()
		_ = s.conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
		if err := s.conn.WriteMessage(websocket.TextMessage, b); err != nil {
			s.mu.Lock()
			delete(s.pending, id)
			s.mu.Unlock()
			p.step.countError("send_failed")
			continue
		}
		p.step.sent.Add(1)
	}
}

// send hands a command to the writer without waiting: a socket still busy
// writing drops it and counts it, so the schedule never waits for the network.
func (s *sock) send(p pendingCmd) {
	select {
	case s.out <- p:
	default:
		p.step.backlog.Add(1)
	}
}

// timeouts removes and counts the commands of st still unanswered.
func (s *sock) timeouts(st *step) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for id, p := range s.pending {
		if p.step == st {
			n++
			delete(s.pending, id)
		}
	}
	return n
}

// rankCycle returns every ordered choice of 1 to 3 of the worries, arranged so
// that consecutive ones differ (a ranking.set that changes nothing is refused).
func rankCycle(worries []string) [][]string {
	var out [][]string
	n := len(worries)
	for a := range n {
		out = append(out, []string{worries[a]})
		for b := range n {
			if b == a {
				continue
			}
			out = append(out, []string{worries[a], worries[b]})
			for c := range n {
				if c != a && c != b {
					out = append(out, []string{worries[a], worries[b], worries[c]})
				}
			}
		}
	}
	return out
}

//go:build soak

package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/realtime/wsclient"
	"github.com/tafel-met/tafel/server/store"
)

// TestSoak (make soak; not part of make test) runs TAFEL_SOAK_MEETINGS meetings
// for TAFEL_SOAK_DURATION with random joins, drops, reconnects and commands,
// on TAFEL_SOAK_DB (sqlite or postgres). At the end every client's picture of
// its meeting equals a fresh snapshot for it, and the process is back at its
// baseline of goroutines and open files.
func TestSoak(t *testing.T) {
	duration := envDuration("TAFEL_SOAK_DURATION", time.Minute)
	meetings := envInt("TAFEL_SOAK_MEETINGS", 4)
	dialect := store.SQLite
	if os.Getenv("TAFEL_SOAK_DB") == "postgres" {
		dialect = store.Postgres
	}
	srv := startServer(t, dialect)
	coord := srv.coordinator("Gemeente Soak")
	http.DefaultClient.CloseIdleConnections()
	runtime.GC()
	baseGoroutines, baseFiles := runtime.NumGoroutine(), openFiles(t)
	t.Logf("baseline: %d goroutines, %d open files", baseGoroutines, baseFiles)

	var stats soakStats
	deadline := time.Now().Add(duration)
	var wg sync.WaitGroup
	rigs := make([]*soakMeeting, meetings)
	for i := range rigs {
		m := coord.meeting(fmt.Sprintf("Gezin S%d", i), "Moeder:family", "Vader:family", "Buurvrouw:network", "Veilig Thuis:professional")
		rigs[i] = &soakMeeting{srv: srv, coord: coord, id: m.ID, code: m.JoinCode, rnd: rand.New(rand.NewPCG(uint64(i), 7)), stats: &stats}
		wg.Add(1)
		go func(r *soakMeeting) {
			defer wg.Done()
			r.run(deadline)
		}(rigs[i])
	}
	wg.Wait()
	for _, r := range rigs {
		if r.err != nil {
			t.Fatalf("meeting %s: %v", r.id, r.err)
		}
	}
	// Everyone catches up to one last change, then must equal a fresh snapshot.
	for _, r := range rigs {
		r.settle(t)
	}
	t.Logf("%d meetings for %s: %d commands acked, %d refused, %d joins, %d drops and reconnects, %d closed by the server and resumed, %d snapshots compared",
		meetings, duration, stats.acked.Load(), stats.refused.Load(), stats.joins.Load(), stats.reconnects.Load(), stats.slowCloses.Load(), stats.compared.Load())
	for _, r := range rigs {
		r.closeAll()
	}
	// Back at the baseline once the clients are gone.
	var g, f int
	for end := time.Now().Add(30 * time.Second); ; {
		http.DefaultClient.CloseIdleConnections()
		runtime.GC()
		g, f = runtime.NumGoroutine(), openFiles(t)
		if (g <= baseGoroutines && f <= baseFiles) || time.Now().After(end) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Logf("after: %d goroutines (baseline %d), %d open files (baseline %d)", g, baseGoroutines, f, baseFiles)
	if g > baseGoroutines || f > baseFiles {
		buf := make([]byte, 1<<20)
		t.Fatalf("leak: %d goroutines (baseline %d), %d open files (baseline %d)\n%s", g, baseGoroutines, f, baseFiles, buf[:runtime.Stack(buf, true)])
	}
}

type soakStats struct{ acked, refused, joins, reconnects, compared, slowCloses atomic.Int64 }

// resume reconnects a client whose socket the server closed, from its lastSeq.
func (r *soakMeeting) resume(c *soakClient) error {
	cookie := ""
	if c.token == "" {
		cookie = r.coord.cookie
	}
	next, err := r.dial(c.token, cookie, "", c)
	if err != nil {
		return err
	}
	*c = *next
	return nil
}

type soakMeeting struct {
	srv      *testServer
	coord    *coordinator
	id, code string
	rnd      *rand.Rand
	stats    *soakStats
	coordWS  *soakClient
	phones   []*soakClient
	err      error
	partyIDs []string
	added    int // worries added: a meeting holds at most 1000 items
}

// maxAdded keeps a meeting below the domain's 1000 items: once there, phones
// edit what they wrote instead of adding more.
const maxAdded = 900

func (r *soakMeeting) dial(token string, cookie string, view string, old *soakClient) (*soakClient, error) {
	ws, err := wsclient.Dial(r.srv.addr, r.id, cookie)
	if err != nil {
		return nil, err
	}
	c := &soakClient{ws: ws, token: token}
	var last int64
	if old != nil {
		if err := old.catchUp(); err != nil {
			return nil, err
		}
		c.picture, c.id, last = old.picture, old.id, old.picture.Seq
	}
	if err := ws.Hello(token, view, last); err != nil {
		return nil, err
	}
	f, err := ws.WaitFor(func(f wsclient.Frame) bool { return f.Type == "welcome" || f.Type == "error" }, 10*time.Second)
	if err != nil {
		return nil, err
	}
	if f.Type == "error" {
		return nil, fmt.Errorf("hello refused: %s", f.Code)
	}
	return c, nil
}

func (r *soakMeeting) do(c *soakClient, name string, data any) (wsclient.Frame, error) {
	f, err := c.ws.Do(name, data)
	if err != nil && c.ws.Closed() {
		// The server let it go (4008 when it fell behind, say): resume, as a phone does.
		r.stats.slowCloses.Add(1)
		return f, r.resume(c)
	}
	if err != nil {
		return f, fmt.Errorf("%s: %w", name, err)
	}
	switch {
	case f.Type == "ack":
		r.stats.acked.Add(1)
	case f.Code == meeting.ECodeInternal || f.Code == "":
		return f, fmt.Errorf("%s: %s %s", name, f.Code, f.Message)
	default:
		r.stats.refused.Add(1)
	}
	return f, nil
}

func (r *soakMeeting) joinOne() error {
	party := r.partyIDs[r.rnd.IntN(len(r.partyIDs))]
	resp, b := r.srv.request("POST", "/api/join/"+r.code, "", map[string]string{"name": "Soak " + strconv.Itoa(len(r.phones)), "partyId": party})
	if resp.StatusCode != 201 {
		return fmt.Errorf("join: %d %s", resp.StatusCode, b)
	}
	var out struct{ ParticipantID, Token string }
	_ = json.Unmarshal(b, &out)
	c, err := r.dial(out.Token, "", "", nil)
	if err != nil {
		return err
	}
	c.id = out.ParticipantID
	r.phones = append(r.phones, c)
	r.stats.joins.Add(1)
	_, err = r.do(r.coordWS, "participant.admit", map[string]string{"participantId": c.id})
	return err
}

func (r *soakMeeting) run(deadline time.Time) {
	r.err = r.play(deadline)
}

func (r *soakMeeting) play(deadline time.Time) error {
	var err error
	if r.coordWS, err = r.dial("", r.coord.cookie, "", nil); err != nil {
		return err
	}
	if _, err := r.coordWS.ws.WaitFor(func(f wsclient.Frame) bool { return f.Type == "snapshot" }, 10*time.Second); err != nil {
		return err
	}
	if err := r.coordWS.catchUp(); err != nil {
		return err
	}
	var view meeting.View
	_ = json.Unmarshal(r.coordWS.ws.Frames()[1].Meeting, &view)
	for _, p := range view.Parties {
		r.partyIDs = append(r.partyIDs, p.ID)
	}
	if _, err := r.do(r.coordWS, "phase.set", map[string]string{"phase": "worries"}); err != nil {
		return err
	}
	for i := 0; i < 3; i++ {
		if err := r.joinOne(); err != nil {
			return err
		}
	}
	for time.Now().Before(deadline) {
		if err := r.step(); err != nil {
			return err
		}
	}
	return nil
}

// step does one random thing a meeting sees.
func (r *soakMeeting) step() error {
	phone := r.phones[r.rnd.IntN(len(r.phones))]
	switch n := r.rnd.IntN(100); {
	case n < 45 && r.added < maxAdded:
		r.added++
		_, err := r.do(phone, "worry.add", map[string]string{"text": fmt.Sprintf("Zorg %d", r.rnd.IntN(1e6))})
		return err
	case n < 60 || n < 45:
		if err := phone.catchUp(); err != nil {
			return err
		}
		for id, it := range phone.picture.Items {
			if len(it.AuthorIDs) > 0 && it.AuthorIDs[0] == phone.id && !it.Withdrawn {
				_, err := r.do(phone, "worry.edit", map[string]string{"itemId": id, "text": fmt.Sprintf("Bewerkt %d", r.rnd.IntN(1e6))})
				return err
			}
		}
	case n < 68:
		_, err := r.do(r.coordWS, "reveal", map[string]string{"kind": "worry"})
		return err
	case n < 72:
		_, err := r.do(r.coordWS, []string{"meeting.lock", "meeting.unlock"}[r.rnd.IntN(2)], map[string]string{})
		return err
	case n < 74 && len(r.phones) < 12:
		if _, err := r.do(r.coordWS, "meeting.unlock", map[string]string{}); err != nil {
			return err
		}
		return r.joinOne()
	case n < 90:
		// A phone drops, with a command in flight half the time, and resumes.
		id := phone.ws.NewID()
		inFlight := r.rnd.IntN(2) == 0 && r.added < maxAdded
		if inFlight {
			r.added++
			_ = phone.ws.SendCommand(id, "worry.add", map[string]string{"text": "Onderweg " + id})
		}
		phone.ws.Close()
		next, err := r.dial(phone.token, "", "", phone)
		if err != nil {
			return err
		}
		*phone = *next
		r.stats.reconnects.Add(1)
		if inFlight {
			if err := phone.ws.SendCommand(id, "worry.add", map[string]string{"text": "Onderweg " + id}); err != nil {
				return err
			}
			f, err := phone.ws.Answer(id, 15*time.Second)
			if err != nil || f.Type != "ack" {
				return fmt.Errorf("resent command: %+v %v", f, err)
			}
			r.stats.acked.Add(1)
		}
	default:
		// The coordinator's laptop drops and resumes.
		r.coordWS.ws.Close()
		next, err := r.dial("", r.coord.cookie, "", r.coordWS)
		if err != nil {
			return err
		}
		r.coordWS = next
		r.stats.reconnects.Add(1)
	}
	return nil
}

// settle sends one change everyone sees, waits for every client to have it,
// and compares each client's picture with a fresh snapshot for its viewer.
func (r *soakMeeting) settle(t *testing.T) {
	t.Helper()
	// Unlock first: locking a locked meeting is a silent ack carrying the seq of
	// the meeting's last event, which may be one a phone cannot see (another
	// phone's draft), so the phone would never receive a frame at that seq.
	if _, err := r.do(r.coordWS, "meeting.unlock", map[string]string{}); err != nil {
		t.Fatal(err)
	}
	f, err := r.do(r.coordWS, "meeting.lock", map[string]string{})
	if err != nil || f.Type != "ack" || f.Duplicate {
		t.Fatalf("the last change was not made: %+v %v", f, err)
	}
	for _, c := range append([]*soakClient{r.coordWS}, r.phones...) {
		if c.ws.Closed() {
			if err := r.resume(c); err != nil {
				t.Fatal(err)
			}
		}
		if err := c.ws.WaitSeq(f.Seq, 15*time.Second); err != nil {
			t.Fatalf("client %q never got seq %d: %v", c.id, f.Seq, err)
		}
		if err := c.catchUp(); err != nil {
			t.Fatalf("client %q: %v", c.id, err)
		}
		var fresh meeting.View
		if c.token == "" {
			fresh = r.coord.snapshot(r.id)
		} else {
			fresh = r.srv.participantSnapshot(r.id, c.token)
		}
		want := pictureOf(fresh)
		got := c.picture
		if got.Phase != want.Phase || got.Locked != want.Locked || !sameMap(got.Participants, want.Participants) || !sameMap(got.Items, want.Items) {
			gj, _ := json.Marshal(got)
			wj, _ := json.Marshal(want)
			t.Fatalf("client %q differs from a fresh snapshot:\n got %s\nwant %s", c.id, gj, wj)
		}
		r.stats.compared.Add(1)
	}
}

func (r *soakMeeting) closeAll() {
	for _, c := range append([]*soakClient{r.coordWS}, r.phones...) {
		c.ws.Close()
		_, _ = c.ws.WaitClosed(5 * time.Second)
	}
}

// openFiles counts this process's open files, leaving out its connections
// to Postgres: the pool keeps up to 20 open for minutes after a busy spell,
// which is reuse, not a leak.
func openFiles(t *testing.T) int {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	toPostgres := map[string]bool{}
	for _, f := range []string{"/proc/self/net/tcp", "/proc/self/net/tcp6"} {
		b, _ := os.ReadFile(f)
		for _, line := range strings.Split(string(b), "\n") {
			fields := strings.Fields(line)
			// remote address is field 2 (hex ip:port), inode field 9
			if len(fields) > 9 && strings.HasSuffix(fields[2], ":1538") {
				toPostgres["socket:["+fields[9]+"]"] = true
			}
		}
	}
	n := 0
	for _, e := range entries {
		if link, err := os.Readlink("/proc/self/fd/" + e.Name()); err == nil && toPostgres[link] {
			continue
		}
		n++
	}
	return n
}

func envDuration(name string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(name)); err == nil {
		return d
	}
	return def
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return n
	}
	return def
}

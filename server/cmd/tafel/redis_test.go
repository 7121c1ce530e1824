package main

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/realtime/wsclient"
	"github.com/tafel-met/tafel/server/store"
	"github.com/tafel-met/tafel/server/store/storetest"
)

// redisServer is a private redis-server on a free loopback port, so a test can
// stop and restart it without touching anyone else's Redis.
type redisServer struct {
	t    *testing.T
	port int
	cmd  *exec.Cmd
}

func startRedis(t *testing.T) *redisServer {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("redis-server is required in CI")
		}
		t.Skip("redis-server not installed")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	r := &redisServer{t: t, port: port}
	r.start(bin)
	t.Cleanup(r.stop)
	return r
}

func (r *redisServer) url() string { return fmt.Sprintf("redis://127.0.0.1:%d/0", r.port) }

func (r *redisServer) start(bin string) {
	r.t.Helper()
	r.cmd = exec.Command(bin, "--port", strconv.Itoa(r.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", r.t.TempDir())
	if err := r.cmd.Start(); err != nil {
		r.t.Fatal(err)
	}
	for i := 0; i < 100; i++ {
		if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", r.port)); err == nil {
			c.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	r.t.Fatal("redis-server did not start")
}

func (r *redisServer) stop() {
	if r.cmd != nil && r.cmd.Process != nil {
		_ = r.cmd.Process.Kill()
		_ = r.cmd.Wait()
		r.cmd = nil
	}
}

func (r *redisServer) restart() {
	r.t.Helper()
	bin, _ := exec.LookPath("redis-server")
	r.stop()
	r.start(bin)
}

// TestTwoInstances runs two servers on one Postgres and one Redis: people connected
// to either see the same meeting, in the same order, drafts kept back; and what is
// committed while Redis restarts still reaches everyone.
func TestTwoInstances(t *testing.T) {
	rd := startRedis(t)
	db := storetest.URL(t, store.Postgres)
	a := startServerWith(t, db, rd.url())
	b := startServerWith(t, db, rd.url())
	coord := a.coordinator("Gemeente Voorbeeld")
	m := coord.meeting("Gezin J.", "Moeder:family", "Veilig Thuis:professional")
	cws := coord.connect(m.ID, "")
	start := coord.snapshot(m.ID).Seq
	// Sanne's phone is served by instance B.
	sanne := b.join(m.JoinCode, "Sanne", "party1")
	anouk := a.join(m.JoinCode, "Anouk", "party2")
	must(t, cws, "participant.admit", map[string]string{"participantId": sanne.ID})
	must(t, cws, "participant.admit", map[string]string{"participantId": anouk.ID})
	// Presence crosses instances: the coordinator on A sees Sanne, connected to B, online.
	if _, err := cws.WaitFor(func(f wsclient.Frame) bool { return f.Type == "presence" && slices.Contains(f.Online, sanne.ID) }, 5*time.Second); err != nil {
		t.Fatalf("Sanne on B never showed as online on A: %v", err)
	}
	must(t, cws, "phase.set", map[string]string{"phase": "worries"})
	w := fmt.Sprintf("w%d", must(t, sanne.WS, "worry.add", map[string]string{"text": "Te weinig geld"}))
	if _, err := cws.WaitFor(func(f wsclient.Frame) bool { return f.Seq > 0 && f.Name == meeting.EvItemUpserted }, 500*time.Millisecond); err == nil {
		t.Fatal("the coordinator on instance A received Sanne's draft")
	}
	must(t, anouk.WS, "worry.add", map[string]string{"text": "Schulden lopen op"})
	last := must(t, cws, "reveal", map[string]string{"kind": "worry"})
	for _, ws := range []*wsclient.Client{sanne.WS, anouk.WS} {
		if err := ws.WaitSeq(last, 5*time.Second); err != nil {
			t.Fatalf("reveal did not cross instances: %v", err)
		}
	}
	if !anouk.WS.Saw("Te weinig geld") {
		t.Fatal("Anouk on A never saw Sanne's revealed worry from B")
	}

	t.Run("RedisRestart", func(t *testing.T) {
		rd.stop()
		// Committed on B while Redis is down: B's own sockets get it at once.
		seq := must(t, sanne.WS, "worry.edit", map[string]string{"itemId": w, "text": "Er is te weinig geld voor eten"})
		rd.restart()
		// A's coordinator gets it once A is back on Redis and caught up from the database.
		if err := cws.WaitSeq(seq, 15*time.Second); err != nil {
			t.Fatalf("the change made while Redis was down never reached instance A: %v", err)
		}
		if !cws.Saw("Er is te weinig geld voor eten") {
			t.Fatal("the coordinator received the seq but not the edited worry")
		}
		// And the meeting goes on across instances afterwards.
		next := must(t, cws, "phase.set", map[string]string{"phase": "cluster"})
		if err := sanne.WS.WaitSeq(next, 10*time.Second); err != nil {
			t.Fatalf("after the restart: %v", err)
		}
	})

	// Every socket got exactly what the log says it may see, in order.
	log, err := a.main.Store.EventsSince(t.Context(), m.ID, 0, 1<<40)
	if err != nil {
		t.Fatal(err)
	}
	lastSeq := log[len(log)-1].Seq
	checkWatcher(t, &watcher{name: "coordinator on A", ws: cws, viewer: meeting.Viewer{Role: meeting.RoleCoordinator}, from: start}, log, lastSeq)
	checkWatcher(t, &watcher{name: "Sanne on B", ws: sanne.WS, viewer: meeting.Viewer{Role: meeting.RoleParticipant, ParticipantID: sanne.ID}, from: start + 1}, log, lastSeq)

	// When Sanne's phone goes, A hears that too.
	sanne.WS.Close()
	lastPresence := func() []string {
		var online []string
		for _, f := range cws.Frames() {
			if f.Type == "presence" {
				online = f.Online
			}
		}
		return online
	}
	deadline := time.Now().Add(5 * time.Second)
	for slices.Contains(lastPresence(), sanne.ID) {
		if time.Now().After(deadline) {
			t.Fatalf("Sanne still online on A after her phone closed: %v", lastPresence())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/store"
	"github.com/tafel-met/tafel/server/store/storetest"
)

// killChildEnv makes TestKillChild the server of TestKill9 instead of a test.
const killChildEnv = "TAFEL_TEST_KILL_CHILD"

// TestKillChild is not a test: run by TestKill9 in a process of its own, it is
// the real Main on the database in DATABASE_URL, printing its address, until
// it is killed.
func TestKillChild(t *testing.T) {
	if os.Getenv(killChildEnv) == "" {
		t.Skip("the server process of TestKill9")
	}
	cfg, err := LoadConfig(os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	m := NewMain(cfg, io.Discard)
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	fmt.Printf("addr=%s\n", m.Addr())
	select {}
}

// startKillable starts the server in a process of its own on databaseURL and
// returns it with its address.
func startKillable(t *testing.T, databaseURL string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), killChildEnv+"=1", "TAFEL_ADDR=127.0.0.1:0", "DATABASE_URL="+databaseURL,
		"TAFEL_DATA_DIR="+t.TempDir(), "TAFEL_LOG_LEVEL=error", "TAFEL_PURGE_EVERY=0", "REDIS_URL=")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if addr, ok := strings.CutPrefix(sc.Text(), "addr="); ok {
			go func() { _, _ = io.Copy(io.Discard, out) }()
			return cmd, addr
		}
	}
	t.Fatalf("the server process ended before it listened: %v", sc.Err())
	return nil, ""
}

// device is a client of TestKill9: its picture, and the one command it sent
// that was not answered when the server died (its outbox).
type device struct {
	soakClient
	name     string
	pending  map[string]string // command id to worry text
	acked    map[string]string
	sentText map[string]bool
}

// TestKill9 kills the server process with SIGKILL while phones add worries,
// and restarts it on the same data, on SQLite and on Postgres. Every
// acknowledged change is stored exactly once; the changes that were sent and
// not answered are resent from the outbox with their ids and are stored once
// too; nothing else is stored; every client resumes to a fresh snapshot.
func TestKill9(t *testing.T) {
	if os.Getenv(killChildEnv) != "" {
		t.Skip("in the server process")
	}
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) { kill9(t, d) })
	}
}

func kill9(t *testing.T, d store.Dialect) {
	url := storetest.URL(t, d)
	// Accounts are made in the database directly: an in-process server
	// prepares the coordinator and the meeting, then stops.
	setup := startServerOn(t, url)
	prep := setup.coordinator("Gemeente Kill")
	m := prep.meeting("Gezin N.", "Moeder:family", "Vader:family", "Mentor:professional")
	parties := prep.partyIDs(m.ID)
	if err := setup.main.Close(); err != nil {
		t.Fatal(err)
	}

	proc, addr := startKillable(t, url)
	srv := &testServer{t: t, addr: addr}
	coord := &coordinator{s: srv, cookie: prep.cookie}
	cws := coord.connect(m.ID, "")
	var devices []*device
	for _, who := range []struct{ name, party string }{{"Sanne", "Moeder"}, {"Henk", "Vader"}, {"Ruud", "Mentor"}} {
		p := srv.join(m.JoinCode, who.name, parties[who.party])
		must(t, cws, "participant.admit", map[string]string{"participantId": p.ID})
		devices = append(devices, &device{soakClient: soakClient{ws: p.WS, token: p.Token, id: p.ID}, name: who.name,
			pending: map[string]string{}, acked: map[string]string{}, sentText: map[string]bool{}})
	}
	must(t, cws, "phase.set", map[string]string{"phase": "worries"})

	// Each phone adds worries one after another; the server dies once 30 are acknowledged.
	var mu sync.Mutex
	ackedTotal, killed := 0, false
	var wg sync.WaitGroup
	for _, dv := range devices {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				text := fmt.Sprintf("%s zorg %d", dv.name, i)
				id := dv.ws.NewID()
				dv.sentText[text] = true
				if err := dv.ws.SendCommand(id, "worry.add", map[string]string{"text": text}); err != nil {
					dv.pending[id] = text
					return
				}
				f, err := dv.ws.Answer(id, faultTimeout)
				if err != nil {
					dv.pending[id] = text // the server died with it unanswered
					return
				}
				if f.Type != "ack" {
					t.Errorf("%s: %s", text, f.Raw)
					return
				}
				dv.acked[id] = text
				mu.Lock()
				ackedTotal++
				if ackedTotal == 30 && !killed {
					killed = true
					if err := proc.Process.Signal(syscall.SIGKILL); err != nil {
						t.Error(err)
					}
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	_ = proc.Wait()
	if !killed {
		t.Fatal("the server was never killed")
	}

	// The same data, a new process; everyone reconnects and resends their outbox.
	_, addr = startKillable(t, url)
	srv.addr = addr
	cwsBefore := &soakClient{ws: cws}
	if err := cwsBefore.catchUp(); err != nil {
		t.Fatal(err)
	}
	coordDev := &soakClient{ws: coord.resume(m.ID, "", cwsBefore.picture.Seq), picture: cwsBefore.picture}
	pendingTotal := 0
	for _, dv := range devices {
		if err := dv.catchUp(); err != nil {
			t.Fatalf("%s before the kill: %v", dv.name, err)
		}
		dv.ws, dv.applied = srv.connectPhone(m.ID, dv.token, dv.picture.Seq), 0
		for id, text := range dv.pending {
			if err := dv.ws.SendCommand(id, "worry.add", map[string]string{"text": text}); err != nil {
				t.Fatal(err)
			}
			f, err := dv.ws.Answer(id, faultTimeout)
			if err != nil || f.Type != "ack" {
				t.Fatalf("%s resent after the restart: %s %v", text, f.Raw, err)
			}
			pendingTotal++
		}
	}
	last := must(t, coordDev.ws, "reveal", map[string]string{"kind": "worry"})

	// Every acknowledged or resent worry is on the table exactly once, nothing else.
	view := coord.snapshot(m.ID)
	count := map[string]int{}
	for _, it := range view.Items {
		count[it.Text]++
	}
	stored := 0
	for _, dv := range devices {
		for _, texts := range []map[string]string{dv.acked, dv.pending} {
			for _, text := range texts {
				if count[text] != 1 {
					t.Errorf("%q (acknowledged or resent) is stored %d times, want once", text, count[text])
				}
				stored++
			}
		}
	}
	for text, n := range count {
		found := false
		for _, dv := range devices {
			found = found || dv.sentText[text]
		}
		if !found || n != 1 {
			t.Errorf("%q stored %d times, and it was sent %v", text, n, found)
		}
	}
	if len(view.Items) != stored {
		t.Errorf("%d worries stored, want the %d acknowledged or resent", len(view.Items), stored)
	}
	t.Logf("%s: %d acknowledged before the kill, %d resent after it, %d stored", d, ackedTotal, pendingTotal, len(view.Items))

	// Everyone resumed to the same state as a fresh snapshot.
	clients := map[string]*soakClient{"coordinator": coordDev}
	for _, dv := range devices {
		clients[dv.name] = &dv.soakClient
	}
	for name, c := range clients {
		if err := c.ws.WaitSeq(last, faultTimeout); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := c.catchUp(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var fresh meeting.View
		if c.token == "" {
			fresh = view
		} else {
			fresh = srv.participantSnapshot(m.ID, c.token)
		}
		want, got := pictureOf(fresh), c.picture
		if got.Seq != want.Seq || got.Phase != want.Phase || !sameMap(got.Participants, want.Participants) || !sameMap(got.Items, want.Items) {
			gj, _ := json.Marshal(got)
			wj, _ := json.Marshal(want)
			t.Fatalf("%s differs from a fresh snapshot:\n got %s\nwant %s", name, gj, wj)
		}
	}
}

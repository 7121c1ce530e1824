package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fasthttp/websocket"
	"golang.org/x/time/rate"

	"github.com/tafel-met/tafel/server/store"
	"github.com/tafel-met/tafel/server/store/storetest"
)

// BenchmarkCommands measures commands a second through the whole server: a
// participant's phone sends worry.edit on a revealed worry over a real websocket
// and waits for its ack; the edit is stored in one transaction and fanned out to
// the coordinator, the shared screen and every phone. "sequential" is one phone,
// one command at a time (the latency-bound rate); "parallel" is four phones at once.
// The per-socket rate limit is lifted so that the server, not the limiter, is measured.
//
//	go test ./server/cmd/tafel/ -run '^$' -bench Commands -benchtime 2s
func BenchmarkCommands(b *testing.B) {
	for _, d := range storetest.Dialects {
		b.Run(string(d), func(b *testing.B) {
			b.Run("sequential", func(b *testing.B) { benchCommands(b, d, 1) })
			b.Run("parallel", func(b *testing.B) { benchCommands(b, d, 4) })
		})
	}
}

func benchCommands(b *testing.B, d store.Dialect, phones int) {
	srv := startServer(b, d)
	srv.main.Hub.SetCommandRate(rate.Inf, 1)
	coord := srv.coordinator("Gemeente Voorbeeld")
	m := coord.meeting("Gezin Bench", "Moeder:family", "Mentor:professional")
	partyID := coord.snapshot(m.ID).Parties[0].ID
	cws := benchDial(b, srv.addr, m.ID, coord.cookie, "", "")
	benchDial(b, srv.addr, m.ID, coord.cookie, "", "screen").drain()

	socks := make([]*benchSocket, phones)
	worries := make([]string, phones)
	for i := range socks {
		ph := srv.join(m.JoinCode, fmt.Sprintf("Deelnemer %d", i), partyID)
		ph.WS.Close() // the benchmark's own socket replaces the test client
		cws.must(b, "participant.admit", map[string]string{"participantId": ph.ID})
		socks[i] = benchDial(b, srv.addr, m.ID, "", ph.Token, "")
	}
	cws.must(b, "phase.set", map[string]string{"phase": "worries"})
	for i, s := range socks {
		worries[i] = fmt.Sprintf("w%d", s.must(b, "worry.add", map[string]string{"text": "Zorg om te bewerken"}))
	}
	cws.must(b, "reveal", map[string]string{"kind": "worry"})
	cws.drain()

	edit := func(s *benchSocket, worry string, n int64) error {
		f, err := s.do("worry.edit", map[string]any{"itemId": worry, "text": fmt.Sprintf("Bewerking %d", n)})
		if err == nil && f.Type != "ack" {
			err = fmt.Errorf("worry.edit: %s %s", f.Code, f.Message)
		}
		return err
	}
	b.ResetTimer()
	if phones == 1 {
		for i := range b.N {
			if err := edit(socks[0], worries[0], int64(i)); err != nil {
				b.Fatal(err)
			}
		}
	} else {
		var next atomic.Int64
		var wg sync.WaitGroup
		errs := make(chan error, phones)
		for i, s := range socks {
			wg.Go(func() {
				for n := next.Add(1); n <= int64(b.N); n = next.Add(1) {
					if err := edit(s, worries[i], n); err != nil {
						errs <- err
						return
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "cmds/s")
}

// benchSocket is a lean websocket client for the benchmark: it reads in the
// caller's goroutine and keeps no frames, so the client costs little and stays
// flat however many commands run.
type benchSocket struct {
	conn *websocket.Conn
	next int64
}

type benchFrame struct {
	Type    string `json:"type"`
	ID      string `json:"id"`
	Seq     int64  `json:"seq"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// benchDial connects, says hello and reads up to the snapshot.
func benchDial(tb testing.TB, addr, meetingID, cookie, token, view string) *benchSocket {
	tb.Helper()
	h := http.Header{"Origin": {"http://" + addr}}
	if cookie != "" {
		h.Set("Cookie", cookie)
	}
	conn, _, err := (&websocket.Dialer{HandshakeTimeout: 5 * time.Second}).Dial("ws://"+addr+"/api/meetings/"+meetingID+"/ws", h)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { conn.Close() })
	s := &benchSocket{conn: conn}
	if err := conn.WriteJSON(map[string]any{"type": "hello", "token": token, "view": view}); err != nil {
		tb.Fatal(err)
	}
	for {
		f, err := s.read()
		if err != nil {
			tb.Fatal(err)
		}
		if f.Type == "error" {
			tb.Fatalf("hello: %s %s", f.Code, f.Message)
		}
		if f.Type == "snapshot" {
			return s
		}
	}
}

func (s *benchSocket) read() (benchFrame, error) {
	var f benchFrame
	_, msg, err := s.conn.ReadMessage()
	if err != nil {
		return f, err
	}
	return f, json.Unmarshal(msg, &f)
}

// do sends a command and reads until its answer, passing over events.
func (s *benchSocket) do(name string, data any) (benchFrame, error) {
	s.next++
	id := fmt.Sprintf("b-%d", s.next)
	if err := s.conn.WriteJSON(map[string]any{"type": "command", "id": id, "name": name, "data": data}); err != nil {
		return benchFrame{}, err
	}
	for {
		f, err := s.read()
		if err != nil {
			return f, err
		}
		if (f.Type == "ack" || f.Type == "error") && f.ID == id {
			return f, nil
		}
	}
}

// must runs a setup command that must be acknowledged.
func (s *benchSocket) must(tb testing.TB, name string, data any) int64 {
	tb.Helper()
	f, err := s.do(name, data)
	if err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
	if f.Type != "ack" {
		tb.Fatalf("%s: %s %s", name, f.Code, f.Message)
	}
	return f.Seq
}

// drain reads and drops whatever the server sends, as a passive device would.
func (s *benchSocket) drain() {
	go func() {
		for {
			if _, _, err := s.conn.ReadMessage(); err != nil {
				return
			}
		}
	}()
}

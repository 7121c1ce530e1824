package main

import (
	"bytes"
	"net/http"
	"testing"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/realtime/wsclient"
	"github.com/tafel-met/tafel/server/store"
)

// TestProtocolEdges pins what docs/protocol.md decides for the edge cases our
// own client found.
func TestProtocolEdges(t *testing.T) {
	srv := startServer(t, store.SQLite)
	coord := srv.coordinator("Gemeente Randgeval")
	tab := srv.newTable(coord, "Gezin E.", meeting.PhaseWorries)

	t.Run("BinaryFrameIsNoCommand", func(t *testing.T) {
		before := tab.coord.state(tab.m.ID)
		frame := commandFrame("c-bin", "worry.add", map[string]string{"text": "Binair"})
		if err := tab.mother.WS.SendBinary([]byte(frame)); err != nil {
			t.Fatal(err)
		}
		f, err := tab.mother.WS.WaitFor(func(f wsclient.Frame) bool { return f.Type == "error" || f.Type == "ack" }, faultTimeout)
		if err != nil || f.Type != "error" || f.Code != meeting.ECodeInvalidJSON {
			t.Fatalf("a binary frame: %+v %v, want error invalid_json", f, err)
		}
		tab.coord.unchanged(t, tab.m.ID, before)
		must(t, tab.mother.WS, "worry.add", map[string]string{"text": "Daarna in tekst"})
	})

	t.Run("TooLargeIsNotStored", func(t *testing.T) {
		req, _ := http.NewRequest("POST", "http://"+srv.addr+"/api/join/"+tab.m.JoinCode, bytes.NewReader(bytes.Repeat([]byte("a"), 70<<10)))
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge || resp.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("too large: %d Cache-Control %q, want 413 no-store", resp.StatusCode, resp.Header.Get("Cache-Control"))
		}
	})

	t.Run("ErasureClosesNotFound", func(t *testing.T) {
		other := srv.newTable(coord, "Gezin Gewist", meeting.PhaseWorries)
		srv.main.App.CloseErased(other.m.ID)
		if code, err := other.mother.WS.WaitClosed(faultTimeout); err != nil || code != 4001 || other.mother.WS.CloseReason != meeting.ECodeNotFound {
			t.Fatalf("erasure closed with %d %q %v, want 4001 not_found", code, other.mother.WS.CloseReason, err)
		}
	})
}

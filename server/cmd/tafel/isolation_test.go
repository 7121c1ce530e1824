package main

import (
	"fmt"
	"regexp"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/tafel-met/tafel/server/realtime/wsclient"
	"github.com/tafel-met/tafel/server/store"
)

// isolated is one of many meetings played at once on one server.
type isolated struct {
	n       int
	m       createdMeeting
	cws     *wsclient.Client
	screen  *wsclient.Client
	phones  []*phone
	markers []string // the worries its participants add
}

// sockets names every socket of the meeting.
func (im *isolated) sockets() map[string]*wsclient.Client {
	out := map[string]*wsclient.Client{"coordinator": im.cws, "screen": im.screen}
	for i, p := range im.phones {
		out[fmt.Sprintf("phone %d", i)] = p.WS
	}
	return out
}

// play runs the worries round of the meeting and reveals them; it runs in its own
// goroutine, so it returns an error instead of failing the test.
func (im *isolated) play() error {
	do := func(ws *wsclient.Client, name string, data any) (int64, error) {
		f, err := ws.Do(name, data)
		if err != nil {
			return 0, fmt.Errorf("meeting %d: %s: %w", im.n, name, err)
		}
		if f.Type != "ack" {
			return 0, fmt.Errorf("meeting %d: %s: %s %s", im.n, name, f.Code, f.Message)
		}
		return f.Seq, nil
	}
	if _, err := do(im.cws, "phase.set", map[string]string{"phase": "worries"}); err != nil {
		return err
	}
	for i, p := range im.phones {
		for j := range 2 {
			text := fmt.Sprintf("marker-m%d-p%d-w%d", im.n, i, j)
			if _, err := do(p.WS, "worry.add", map[string]string{"text": text}); err != nil {
				return err
			}
			im.markers = append(im.markers, text)
		}
	}
	last, err := do(im.cws, "reveal", map[string]string{"kind": "worry"})
	if err != nil {
		return err
	}
	for name, ws := range im.sockets() {
		if err := ws.WaitSeq(last, 10*time.Second); err != nil {
			return fmt.Errorf("meeting %d: %s did not see the reveal: %w", im.n, name, err)
		}
	}
	return nil
}

var markerPattern = regexp.MustCompile(`marker-m(\d+)-`)

// TestIsolation plays 50 meetings at once on one server, each with a coordinator,
// a shared screen and two participants: no socket receives anything of another
// meeting, and every socket sees its own meeting's revealed worries.
func TestIsolation(t *testing.T) {
	const meetings = 50
	srv := startServer(t, store.SQLite)
	coord := srv.coordinator("Gemeente Voorbeeld")
	all := make([]*isolated, meetings)
	for n := range all {
		m := coord.meeting(fmt.Sprintf("Gezin %d", n), "Moeder:family", "Mentor:professional")
		parties := coord.snapshot(m.ID).Parties
		im := &isolated{n: n, m: m, cws: coord.connect(m.ID, ""), screen: coord.connect(m.ID, "screen")}
		for i, p := range parties {
			ph := srv.join(m.JoinCode, fmt.Sprintf("Deelnemer %d", i), p.ID)
			must(t, im.cws, "participant.admit", map[string]string{"participantId": ph.ID})
			im.phones = append(im.phones, ph)
		}
		all[n] = im
	}

	errs := make(chan error, meetings)
	var wg sync.WaitGroup
	for _, im := range all {
		wg.Go(func() {
			if err := im.play(); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if t.Failed() {
		return
	}

	for _, im := range all {
		for name, ws := range im.sockets() {
			for _, f := range ws.Frames() {
				for _, match := range markerPattern.FindAllStringSubmatch(string(f.Raw), -1) {
					if other, _ := strconv.Atoi(match[1]); other != im.n {
						t.Errorf("meeting %d, %s received meeting %d's %s", im.n, name, other, f.Raw)
					}
				}
			}
			for _, marker := range im.markers {
				if !ws.Saw(`"text":"` + marker + `"`) {
					t.Errorf("meeting %d, %s never saw its own revealed worry %s", im.n, name, marker)
				}
			}
		}
	}
}

package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tafel-met/tafel/server/store"

	_ "github.com/glebarez/go-sqlite" // registers "sqlite", to tamper as an administrator could
)

// closedMeeting is a small meeting played to a closed plan: one worry with a goal,
// a score of 3 and one action.
type closedMeeting struct{ ID, WorryID, ActionID string }

// closeQuickly plays a small meeting to a closed plan.
func closeQuickly(t *testing.T, srv *testServer, coord *coordinator) closedMeeting {
	t.Helper()
	m := coord.meeting("Gezin Q.", "Moeder:family", "Wijkteam:professional")
	cws := coord.connect(m.ID, "")
	ph := srv.join(m.JoinCode, "Sanne", "party1")
	must(t, cws, "participant.admit", map[string]string{"participantId": ph.ID})
	must(t, cws, "phase.set", map[string]string{"phase": "worries"})
	w := fmt.Sprintf("w%d", must(t, ph.WS, "worry.add", map[string]string{"text": "Te weinig geld"}))
	must(t, cws, "reveal", map[string]string{"kind": "worry"})
	must(t, cws, "phase.set", map[string]string{"phase": "cluster"})
	must(t, cws, "phase.set", map[string]string{"phase": "rank"})
	must(t, ph.WS, "ranking.set", map[string]any{"worryIds": []string{w}})
	must(t, cws, "phase.set", map[string]string{"phase": "agree"})
	must(t, cws, "agree.confirm", map[string]any{"worryIds": []string{w}})
	must(t, cws, "phase.set", map[string]string{"phase": "plan"})
	must(t, cws, "plan.goal.set", map[string]any{"worryId": w, "goal": "Rondkomen van het geld", "scoreNow": 3})
	action := fmt.Sprintf("a%d", must(t, cws, "plan.action.add", map[string]any{"worryId": w, "what": "Budgetcoach aanvragen", "ownerPartyId": "party2", "due": "2027-01-15"}))
	must(t, cws, "plan.details.set", map[string]any{"regisseurPartyId": "party2", "regisseurRole": "Gezinscoach", "nextEvaluation": "2027-03-01"})
	must(t, cws, "meeting.close", map[string]any{})
	return closedMeeting{ID: m.ID, WorryID: w, ActionID: action}
}

func TestAuditVerifyCommand(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"TAFEL_DATA_DIR": dir}
	getenv := func(k string) string { return env[k] }
	srv := startServerOn(t, "sqlite:"+filepath.Join(dir, "tafel.db"))
	coord := srv.coordinator("Gemeente Voorbeeld")
	coord.meeting("Gezin J.", "Moeder:family")
	srv.main.Close()

	var out bytes.Buffer
	if err := run(context.Background(), []string{"audit", "verify"}, getenv, nil, &out); err != nil || !strings.Contains(out.String(), "intact") {
		t.Fatalf("untouched log: %v, %s", err, out.String())
	}
	db, err := sql.Open("sqlite", filepath.Join(dir, "tafel.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{"DROP TRIGGER audit_log_no_update", "UPDATE audit_log SET address = '10.0.0.1' WHERE chain_seq = 2"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	out.Reset()
	err = run(context.Background(), []string{"audit", "verify"}, getenv, nil, &out)
	if !errors.Is(err, errAuditBroken) || !strings.Contains(out.String(), "entry 2: its contents do not match") {
		t.Fatalf("tampered log: %v, %s", err, out.String())
	}
}

func TestPurgeCommand(t *testing.T) {
	srv := startServer(t, store.SQLite)
	coord := srv.coordinator("Gemeente Voorbeeld")
	closed := closeQuickly(t, srv, coord).ID
	open := coord.meeting("Gezin O.", "Moeder:family")
	ctx := context.Background()
	var out bytes.Buffer
	// Today nothing is due; in 31 days with 30 days' retention the closed one is.
	if n, err := purge(ctx, srv.main.Store, 30, time.Now(), false, &out, nil); err != nil || n != 0 {
		t.Fatalf("purge today: %d, %v", n, err)
	}
	if n, err := purge(ctx, srv.main.Store, 30, time.Now().AddDate(0, 0, 31), true, &out, nil); err != nil || n != 1 {
		t.Fatalf("dry run: %d, %v", n, err)
	}
	if _, _, err := srv.main.Store.LoadMeeting(ctx, closed); err != nil {
		t.Fatalf("dry run deleted: %v", err)
	}
	var gone []string
	if n, err := purge(ctx, srv.main.Store, 30, time.Now().AddDate(0, 0, 31), false, &out, func(id string) { gone = append(gone, id) }); err != nil || n != 1 {
		t.Fatalf("purge: %d, %v", n, err)
	}
	if _, _, err := srv.main.Store.LoadMeeting(ctx, closed); !errors.Is(err, store.ErrNotFound) || len(gone) != 1 || gone[0] != closed {
		t.Fatalf("closed meeting after purge: %v (closed sockets of %v)", err, gone)
	}
	if _, _, err := srv.main.Store.LoadMeeting(ctx, open.ID); err != nil {
		t.Fatalf("open meeting purged: %v", err)
	}
	if _, problems, _ := srv.main.Store.VerifyAudit(ctx); len(problems) != 0 {
		t.Fatalf("audit chain after purge: %v", problems)
	}
}

package main

import (
	"encoding/json"
	"testing"

	"github.com/tafel-met/tafel/server/store"
	"github.com/tafel-met/tafel/server/store/storetest"
)

// TestAuditInTheChangesTransaction: a join and a change through REST are
// written in ONE transaction with their audit rows. On Postgres the rows carry
// the id of the transaction that wrote them (xmin): it is the same.
func TestAuditInTheChangesTransaction(t *testing.T) {
	url := storetest.URL(t, store.Postgres)
	srv := startServerOn(t, url)
	db := storetest.RawDB(t, url)
	coord := srv.coordinator("Gemeente Voorbeeld")
	m := coord.meeting("Gezin J.", "Moeder:family")
	sanne := srv.join(m.JoinCode, "Sanne", "party1")
	var party struct{ ID string }
	coord.call("POST", "/api/meetings/"+m.ID+"/parties", map[string]string{"name": "Buurvrouw", "kind": "network"}, &party, 201)

	sameTransaction := func(what, rowQuery, auditQuery string, args ...any) {
		t.Helper()
		var rowTx, auditTx string
		if err := db.QueryRow(rowQuery, args...).Scan(&rowTx); err != nil {
			t.Fatalf("%s: the change: %v", what, err)
		}
		if err := db.QueryRow(auditQuery, args...).Scan(&auditTx); err != nil {
			t.Fatalf("%s: its audit row: %v", what, err)
		}
		if rowTx != auditTx {
			t.Fatalf("%s: change written by transaction %s, its audit row by %s", what, rowTx, auditTx)
		}
	}
	sameTransaction("join",
		`SELECT xmin::text FROM participants WHERE meeting_id = $1 AND id = $2`,
		`SELECT xmin::text FROM audit_log WHERE chain = $1 AND action = 'create' AND object_type = 'participant' AND object_id = $2`,
		m.ID, sanne.ID)
	sameTransaction("party added through REST",
		`SELECT xmin::text FROM meeting_events WHERE meeting_id = $1 AND name = 'party.upserted' AND data LIKE '%' || $2 || '%'`,
		`SELECT xmin::text FROM audit_log WHERE chain = $1 AND detail = 'party.add' AND $2 <> ''`,
		m.ID, party.ID)
}

// TestNoChangeWithoutItsAuditRow: when the audit log refuses a row, the change
// it describes is not stored either, on both databases: the join answers
// "internal" and leaves nobody in the lobby; adding a party adds none; a new
// family is not made; a child code is not made.
func TestNoChangeWithoutItsAuditRow(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			url := storetest.URL(t, d)
			srv := startServerOn(t, url)
			db := storetest.RawDB(t, url)
			coord := srv.coordinator("Gemeente Voorbeeld")
			m := coord.meeting("Gezin J.", "Moeder:family")
			before := coord.snapshot(m.ID) // opens the meeting here, audited before the fault
			safety := safetyMeeting(t, coord, "Gezin S.")
			coord.snapshot(safety.ID)
			// The audit log refuses every new row from now on, as a full disk would.
			fault := []string{`CREATE FUNCTION tafel_test_refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'audit log unavailable'; END; $$ LANGUAGE plpgsql`,
				`CREATE TRIGGER tafel_test_refuse BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION tafel_test_refuse()`}
			if d == store.SQLite {
				fault = []string{`CREATE TRIGGER tafel_test_refuse BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log unavailable'); END`}
			}
			for _, q := range fault {
				if _, err := db.Exec(q); err != nil {
					t.Fatal(err)
				}
			}
			resp, body := srv.request("POST", "/api/join/"+m.JoinCode, "", map[string]string{"name": "Sanne", "partyId": "party1"})
			var e struct{ Code string }
			_ = json.Unmarshal(body, &e)
			if resp.StatusCode < 500 || e.Code != "internal" {
				t.Fatalf("join without its audit row: %d %s", resp.StatusCode, body)
			}
			resp, body = srv.request("POST", "/api/meetings/"+m.ID+"/parties", coord.cookie, map[string]string{"name": "Buurvrouw", "kind": "network"})
			if resp.StatusCode < 500 {
				t.Fatalf("party added without its audit row: %d %s", resp.StatusCode, body)
			}
			resp, body = srv.request("POST", "/api/families", coord.cookie, map[string]string{"label": "Gezin K."})
			if resp.StatusCode < 500 {
				t.Fatalf("family created without its audit row: %d %s", resp.StatusCode, body)
			}
			resp, body = srv.request("POST", "/api/meetings/"+safety.ID+"/child-codes", coord.cookie, nil)
			e.Code = ""
			_ = json.Unmarshal(body, &e)
			if resp.StatusCode < 500 || e.Code != "internal" {
				t.Fatalf("child code made without its audit row: %d %s", resp.StatusCode, body)
			}
			var families, childCodes int
			if err := db.QueryRow(`SELECT count(*) FROM families`).Scan(&families); err != nil || families != 2 {
				t.Fatalf("families after the refused creation: %d (%v), want the two made before", families, err)
			}
			if err := db.QueryRow(`SELECT count(*) FROM child_codes`).Scan(&childCodes); err != nil || childCodes != 0 {
				t.Fatalf("child codes after the refused creation: %d (%v), want 0", childCodes, err)
			}
			var participants, events int
			if err := db.QueryRow(`SELECT count(*) FROM participants WHERE meeting_id = $1`, m.ID).Scan(&participants); err != nil {
				t.Fatal(err)
			}
			if err := db.QueryRow(`SELECT count(*) FROM meeting_events WHERE meeting_id = $1`, m.ID).Scan(&events); err != nil {
				t.Fatal(err)
			}
			if participants != 0 || int64(events) != before.Seq {
				t.Fatalf("stored without audit: %d participants, %d events (had %d)", participants, events, before.Seq)
			}
		})
	}
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/fasthttp/websocket"
)

// Setting meetings up as real clients do: the coordinator signs in over REST,
// makes a family and a meeting, people join by code over REST, and the
// coordinator admits them and moves the meeting on over its websocket.

// person is one participant, as the generator knows them after setup.
type person struct {
	meetingID, token, worry string
}

// plannedMeeting is a meeting ready for load: its people, and in rank mode the
// revealed worries they rank.
type plannedMeeting struct {
	id      string
	people  []person
	worries []string
}

// parties every meeting is made with; people are spread over them.
var benchParties = []map[string]string{
	{"name": "Moeder", "kind": "family"}, {"name": "Vader", "kind": "family"},
	{"name": "Buurvrouw", "kind": "network"}, {"name": "Wijkteam", "kind": "professional"},
	{"name": "Jeugdzorg", "kind": "professional"},
}

type rest struct {
	base   string
	cookie string
	client *http.Client
}

func (r *rest) do(ctx context.Context, method, path, bearer string, body, out any) (*http.Response, error) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, r.base+path, rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if r.cookie != "" && bearer == "" {
		req.Header.Set("Cookie", r.cookie)
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := r.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		msg, _ := io.ReadAll(resp.Body)
		return resp, fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, strings.TrimSpace(string(msg)))
	}
	if out != nil {
		return resp, json.NewDecoder(resp.Body).Decode(out)
	}
	return resp, nil
}

// login signs the coordinator in and keeps the session cookie.
func (r *rest) login(ctx context.Context, email, password string) error {
	resp, err := r.do(ctx, "POST", "/api/auth/login", "", map[string]string{"email": email, "password": password}, nil)
	if err != nil {
		return err
	}
	for _, c := range resp.Cookies() {
		if strings.HasSuffix(c.Name, "tafel_session") {
			r.cookie = c.Name + "=" + c.Value
		}
	}
	if r.cookie == "" {
		return fmt.Errorf("login: no session cookie")
	}
	return nil
}

// coordSocket is the coordinator's websocket during setup: commands are sent in a
// batch and their answers awaited together.
type coordSocket struct {
	conn *websocket.Conn
	next int
}

func dialCoordinator(base, meetingID, cookie string) (*coordSocket, error) {
	h := http.Header{"Origin": {base}, "Cookie": {cookie}}
	conn, _, err := (&websocket.Dialer{HandshakeTimeout: 20 * time.Second}).Dial(wsURL(base, meetingID), h)
	if err != nil {
		return nil, err
	}
	c := &coordSocket{conn: conn}
	if err := conn.WriteJSON(map[string]any{"type": "hello", "lastSeq": 0}); err != nil {
		conn.Close()
		return nil, err
	}
	for {
		f, err := c.read()
		if err != nil {
			conn.Close()
			return nil, err
		}
		if f.Type == "error" {
			conn.Close()
			return nil, fmt.Errorf("coordinator hello: %s", f.Code)
		}
		if f.Type == "snapshot" {
			return c, nil
		}
	}
}

func (c *coordSocket) read() (frame, error) {
	_ = c.conn.SetReadDeadline(time.Now().Add(60 * time.Second))
	_, b, err := c.conn.ReadMessage()
	if err != nil {
		return frame{}, err
	}
	return parseFrame(b)
}

type command struct {
	name string
	data any
}

// run sends the commands at once and waits until every one is acked.
func (c *coordSocket) run(cmds ...command) error {
	want := map[string]string{}
	for _, cmd := range cmds {
		c.next++
		id := fmt.Sprintf("setup-%d", c.next)
		want[id] = cmd.name
		if err := c.conn.WriteJSON(map[string]any{"type": "command", "id": id, "name": cmd.name, "data": cmd.data}); err != nil {
			return err
		}
	}
	for len(want) > 0 {
		f, err := c.read()
		if err != nil {
			return err
		}
		if name, ok := want[f.ID]; ok && (f.Type == "ack" || f.Type == "error") {
			if f.Type == "error" {
				return fmt.Errorf("%s: %s", name, f.Code)
			}
			delete(want, f.ID)
		}
	}
	return nil
}

// setupTafelMeeting makes meeting i with size people, in the worries round with
// every person's own worry revealed (command "edit"), or in the ranking round
// with three revealed worries (command "rank"). In edit mode each person must
// add their worry from their own socket, so socks returns those sockets open.
func setupTafelMeeting(ctx context.Context, r *rest, i, size int, mode string) (plannedMeeting, []*websocket.Conn, error) {
	var pm plannedMeeting
	var fam struct{ ID string }
	if _, err := r.do(ctx, "POST", "/api/families", "", map[string]string{"label": fmt.Sprintf("Gezin L%d", i)}, &fam); err != nil {
		return pm, nil, err
	}
	var mt struct{ ID, JoinCode string }
	if _, err := r.do(ctx, "POST", "/api/meetings", "", map[string]any{"familyId": fam.ID, "title": "Belastingproef",
		"date": time.Now().Format("2006-01-02"), "strengthsRound": false, "weighting": "party", "parties": benchParties}, &mt); err != nil {
		return pm, nil, err
	}
	pm.id = mt.ID
	var info struct {
		Parties []struct{ ID, Name string }
	}
	if _, err := r.do(ctx, "GET", "/api/join/"+mt.JoinCode, "", nil, &info); err != nil {
		return pm, nil, err
	}
	coord, err := dialCoordinator(r.base, mt.ID, r.cookie)
	if err != nil {
		return pm, nil, err
	}
	defer coord.conn.Close()
	go func() { <-ctx.Done(); coord.conn.Close() }()

	pm.people = make([]person, size)
	ids := make([]string, size)
	errs := make([]error, size)
	var wg sync.WaitGroup
	for j := range size {
		wg.Go(func() {
			var out struct{ ParticipantID, Token string }
			_, errs[j] = (&rest{base: r.base, client: r.client}).do(ctx, "POST", "/api/join/"+mt.JoinCode, "",
				map[string]string{"name": fmt.Sprintf("Deelnemer %d", j+1), "partyId": info.Parties[j%len(info.Parties)].ID}, &out)
			pm.people[j] = person{meetingID: mt.ID, token: out.Token}
			ids[j] = out.ParticipantID
		})
	}
	wg.Wait()
	var admits []command
	for j := range size {
		if errs[j] != nil {
			return pm, nil, errs[j]
		}
		admits = append(admits, command{"participant.admit", map[string]string{"participantId": ids[j]}})
	}
	if err := coord.run(admits...); err != nil {
		return pm, nil, err
	}
	if err := coord.run(command{"phase.set", map[string]string{"phase": "worries"}}); err != nil {
		return pm, nil, err
	}
	var socks []*websocket.Conn
	if mode == "rank" {
		var adds []command
		for k := range 3 {
			adds = append(adds, command{"worry.add", map[string]string{"text": fmt.Sprintf("Zorg %d om te rangschikken", k+1),
				"partyId": info.Parties[k%len(info.Parties)].ID}})
		}
		if err := coord.run(adds...); err != nil {
			return pm, nil, err
		}
	} else {
		socks = make([]*websocket.Conn, size)
		for j := range size {
			wg.Go(func() {
				c, _, err := dialSock(r.base, mt.ID, pm.people[j].token)
				if err == nil {
					err = addOwnWorry(c, j)
				}
				socks[j], errs[j] = c, err
			})
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				closeAll(socks)
				return pm, nil, err
			}
		}
	}
	if err := coord.run(command{"reveal", map[string]string{"kind": "worry"}}); err != nil {
		closeAll(socks)
		return pm, nil, err
	}
	if mode == "rank" {
		if err := coord.run(command{"phase.set", map[string]string{"phase": "cluster"}}); err != nil {
			return pm, nil, err
		}
		if err := coord.run(command{"phase.set", map[string]string{"phase": "rank"}}); err != nil {
			return pm, nil, err
		}
	}
	// Which worry is whose, from the coordinator's snapshot.
	var view struct {
		Items []struct {
			ID, Kind  string
			AuthorIDs []string
			Revealed  bool
		}
	}
	if _, err := r.do(ctx, "GET", "/api/meetings/"+mt.ID+"/snapshot", "", nil, &view); err != nil {
		closeAll(socks)
		return pm, nil, err
	}
	byAuthor := map[string]string{}
	for _, it := range view.Items {
		if it.Kind == "worry" && it.Revealed {
			pm.worries = append(pm.worries, it.ID)
			for _, a := range it.AuthorIDs {
				byAuthor[a] = it.ID
			}
		}
	}
	if mode != "rank" {
		for j := range size {
			if pm.people[j].worry = byAuthor[ids[j]]; pm.people[j].worry == "" {
				closeAll(socks)
				return pm, nil, fmt.Errorf("meeting %s: no revealed worry of %s", mt.ID, ids[j])
			}
		}
	}
	return pm, socks, nil
}

// addOwnWorry sends worry.add from a participant's socket and waits for its ack.
func addOwnWorry(c *websocket.Conn, j int) error {
	id := fmt.Sprintf("setup-w%d", j)
	if err := c.WriteJSON(map[string]any{"type": "command", "id": id, "name": "worry.add",
		"data": map[string]string{"text": fmt.Sprintf("Zorg van deelnemer %d", j+1)}}); err != nil {
		return err
	}
	_ = c.SetReadDeadline(time.Now().Add(60 * time.Second))
	defer c.SetReadDeadline(time.Time{})
	for {
		_, b, err := c.ReadMessage()
		if err != nil {
			return err
		}
		f, _ := parseFrame(b)
		if f.ID == id && f.Type == "error" {
			return fmt.Errorf("worry.add: %s", f.Code)
		}
		if f.ID == id && f.Type == "ack" {
			return nil
		}
	}
}

func closeAll(cs []*websocket.Conn) {
	for _, c := range cs {
		if c != nil {
			c.Close()
		}
	}
}

func wsURL(base, meetingID string) string {
	return "ws" + strings.TrimPrefix(base, "http") + "/api/meetings/" + meetingID + "/ws"
}

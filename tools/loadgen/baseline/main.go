// Command loadgen-baseline is the bare broadcast server the load generator
// measures Tafel against: the same websocket library (Fiber and its contrib
// websocket, on fasthttp), the same subset of the protocol, and nothing else. A
// socket says hello with any token and gets welcome and an empty snapshot; each
// command frame is given the meeting's next seq, broadcast as an event to every
// socket of the meeting (its sender too, as Tafel does for a revealed worry) and
// acked. No storage, no rules, no audit: what is left is sockets and fan-out.
//
//	go build -o bin/loadgen-baseline ./tools/loadgen/baseline && bin/loadgen-baseline -addr 127.0.0.1:8090
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"sync"

	"github.com/gofiber/contrib/websocket"
	"github.com/gofiber/fiber/v2"
)

// sendQueue is each socket's bounded queue of frames, as Tafel has (512 there).
const sendQueue = 512

// room is one meeting: its sockets and its seq. The lock makes seq order and
// broadcast order the same.
type room struct {
	mu    sync.Mutex
	seq   int64
	conns map[*conn]struct{}
}

type conn struct {
	out  chan []byte
	once sync.Once
	done chan struct{}
}

func (c *conn) enqueue(b []byte) {
	select {
	case c.out <- b:
	default:
		if c.drop() {
			log.Printf("a socket could not keep up (%d frames waiting): disconnected", sendQueue)
		}
	}
}

func (c *conn) close() { c.once.Do(func() { close(c.done) }) }

// drop disconnects a socket that cannot keep up, as Tafel does (4008), and says
// whether this call did it.
func (c *conn) drop() bool {
	first := false
	c.once.Do(func() { first = true; close(c.done) })
	return first
}

type server struct {
	mu    sync.Mutex
	rooms map[string]*room
}

func (s *server) room(id string) *room {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.rooms[id]
	if r == nil {
		r = &room{conns: map[*conn]struct{}{}}
		s.rooms[id] = r
	}
	return r
}

type clientFrame struct {
	Type  string          `json:"type"`
	ID    string          `json:"id"`
	Name  string          `json:"name"`
	Data  json.RawMessage `json:"data"`
	Token string          `json:"token"`
}

type eventFrame struct {
	Type string          `json:"type"`
	Seq  int64           `json:"seq"`
	Name string          `json:"name"`
	Data json.RawMessage `json:"data"`
}

type ackFrame struct {
	Type string `json:"type"`
	ID   string `json:"id"`
	Seq  int64  `json:"seq"`
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// serve is one socket: hello, then a reader here and a writer goroutine.
func (s *server) serve(ws *websocket.Conn) {
	r := s.room(ws.Params("id"))
	var hello clientFrame
	if _, b, err := ws.ReadMessage(); err != nil || json.Unmarshal(b, &hello) != nil || hello.Type != "hello" {
		return
	}
	c := &conn{out: make(chan []byte, sendQueue), done: make(chan struct{})}
	r.mu.Lock()
	seq := r.seq
	r.conns[c] = struct{}{}
	r.mu.Unlock()
	c.out <- mustJSON(map[string]any{"type": "welcome", "role": "participant", "participantId": hello.Token, "seq": seq})
	c.out <- mustJSON(map[string]any{"type": "snapshot", "seq": seq, "meeting": map[string]any{}})
	defer func() {
		r.mu.Lock()
		delete(r.conns, c)
		r.mu.Unlock()
		c.close()
	}()
	go func() {
		for {
			select {
			case <-c.done:
				_ = ws.Close()
				return
			case b := <-c.out:
				if err := ws.WriteMessage(websocket.TextMessage, b); err != nil {
					c.close()
					return
				}
			}
		}
	}()
	for {
		_, b, err := ws.ReadMessage()
		if err != nil {
			return
		}
		var f clientFrame
		if json.Unmarshal(b, &f) != nil || f.Type != "command" {
			continue
		}
		r.mu.Lock()
		r.seq++
		ev := mustJSON(eventFrame{Type: "event", Seq: r.seq, Name: "item.upserted", Data: f.Data})
		for other := range r.conns {
			other.enqueue(ev)
		}
		c.enqueue(mustJSON(ackFrame{Type: "ack", ID: f.ID, Seq: r.seq}))
		r.mu.Unlock()
	}
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8090", "address to listen on")
	flag.Parse()
	s := &server{rooms: map[string]*room{}}
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Get("/healthz", func(c *fiber.Ctx) error { return c.SendString("ok") })
	app.Use("/api/meetings/:id/ws", func(c *fiber.Ctx) error {
		if !websocket.IsWebSocketUpgrade(c) {
			return fiber.ErrUpgradeRequired
		}
		return c.Next()
	})
	app.Get("/api/meetings/:id/ws", websocket.New(s.serve))
	fmt.Fprintln(os.Stderr, "loadgen-baseline listening on", *addr)
	log.Fatal(app.Listen(*addr))
}

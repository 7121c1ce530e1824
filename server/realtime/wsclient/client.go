// Package wsclient is a websocket client of Tafel's protocol for tests and
// benchmarks: it dials, says hello, sends commands and records every frame it gets.
package wsclient

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fasthttp/websocket"
)

// Frame is one message from the server, kept raw and decoded.
type Frame struct {
	Raw       []byte
	Type      string          `json:"type"`
	ID        string          `json:"id"`
	Seq       int64           `json:"seq"`
	Name      string          `json:"name"`
	Code      string          `json:"code"`
	Message   string          `json:"message"`
	Duplicate bool            `json:"duplicate"`
	Data      json.RawMessage `json:"data"`
	Meeting   json.RawMessage `json:"meeting"`
	Online    []string        `json:"online"`
	Role      string          `json:"role"`
}

// Client is one connection.
type Client struct {
	conn   *websocket.Conn
	wmu    sync.Mutex // one writer at a time
	mu     sync.Mutex // guards frames and closed
	cond   *sync.Cond
	frames []Frame
	closed error
	// CloseCode is the close code the server sent, once the connection ended.
	CloseCode int
	// CloseReason is the reason of that close frame (an error code, say).
	CloseReason string
	next        atomic.Int64
	prefix      string
}

// Dial connects to ws://addr/api/meetings/{id}/ws with an optional session cookie.
func Dial(addr, meetingID, cookie string) (*Client, error) {
	h := http.Header{}
	if cookie != "" {
		h.Set("Cookie", cookie)
	}
	h.Set("Origin", "http://"+addr)
	d := websocket.Dialer{HandshakeTimeout: 5 * time.Second}
	conn, resp, err := d.Dial("ws://"+addr+"/api/meetings/"+meetingID+"/ws", h)
	if err != nil {
		if resp != nil {
			return nil, fmt.Errorf("dial: %w (status %d)", err, resp.StatusCode)
		}
		return nil, fmt.Errorf("dial: %w", err)
	}
	c := &Client{conn: conn, prefix: fmt.Sprintf("c%d", time.Now().UnixNano()%1e9)}
	c.cond = sync.NewCond(&c.mu)
	go c.readLoop()
	return c, nil
}

func (c *Client) readLoop() {
	for {
		_, msg, err := c.conn.ReadMessage()
		c.mu.Lock()
		if err != nil {
			if ce, ok := err.(*websocket.CloseError); ok {
				c.CloseCode, c.CloseReason = ce.Code, ce.Text
			}
			c.closed = err
			c.cond.Broadcast()
			c.mu.Unlock()
			return
		}
		f := Frame{Raw: msg}
		_ = json.Unmarshal(msg, &f)
		c.frames = append(c.frames, f)
		c.cond.Broadcast()
		c.mu.Unlock()
	}
}

// Hello sends the hello frame.
func (c *Client) Hello(token, view string, lastSeq int64) error {
	return c.SendJSON(map[string]any{"type": "hello", "token": token, "view": view, "lastSeq": lastSeq})
}

// SendJSON sends any value as a JSON text frame.
func (c *Client) SendJSON(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return c.SendRaw(b)
}

// SendRaw sends bytes as one text frame.
func (c *Client) SendRaw(b []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return c.conn.WriteMessage(websocket.TextMessage, b)
}

// SendBinary sends bytes as one binary frame (which the protocol refuses).
func (c *Client) SendBinary(b []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return c.conn.WriteMessage(websocket.BinaryMessage, b)
}

// NewID returns a fresh command id.
func (c *Client) NewID() string { return fmt.Sprintf("%s-%d", c.prefix, c.next.Add(1)) }

// Send sends a command and returns its id without waiting.
func (c *Client) Send(name string, data any) (string, error) {
	id := c.NewID()
	return id, c.SendCommand(id, name, data)
}

// SendCommand sends a command with a given id.
func (c *Client) SendCommand(id, name string, data any) error {
	return c.SendJSON(map[string]any{"type": "command", "id": id, "name": name, "data": data})
}

// Do sends a command and waits for its answer: an ack or an error frame.
func (c *Client) Do(name string, data any) (Frame, error) {
	id, err := c.Send(name, data)
	if err != nil {
		return Frame{}, err
	}
	return c.Answer(id, 10*time.Second)
}

// Answer waits for the ack or error of command id.
func (c *Client) Answer(id string, timeout time.Duration) (Frame, error) {
	return c.WaitFor(func(f Frame) bool { return (f.Type == "ack" || f.Type == "error") && f.ID == id }, timeout)
}

// Received is how many frames have arrived so far: a mark for AnswerSince.
func (c *Client) Received() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.frames)
}

// AnswerSince waits for an ack or error of command id among the frames after
// the first from: the answer to a resent command, not to its first copy.
func (c *Client) AnswerSince(id string, from int, timeout time.Duration) (Frame, error) {
	return c.waitFrom(from, func(f Frame) bool { return (f.Type == "ack" || f.Type == "error") && f.ID == id }, timeout)
}

// WaitFor waits until a frame matching ok has arrived (at any time) and returns the first.
func (c *Client) WaitFor(ok func(Frame) bool, timeout time.Duration) (Frame, error) {
	return c.waitFrom(0, ok, timeout)
}

// waitFrom waits until a frame matching ok, after the first from, has arrived.
func (c *Client) waitFrom(from int, ok func(Frame) bool, timeout time.Duration) (Frame, error) {
	deadline := time.Now().Add(timeout)
	timer := time.AfterFunc(timeout, func() {
		c.mu.Lock()
		c.cond.Broadcast()
		c.mu.Unlock()
	})
	defer timer.Stop()
	c.mu.Lock()
	defer c.mu.Unlock()
	for {
		for i, f := range c.frames {
			if i >= from && ok(f) {
				return f, nil
			}
		}
		if c.closed != nil {
			return Frame{}, fmt.Errorf("connection closed (code %d): %w", c.CloseCode, c.closed)
		}
		if time.Now().After(deadline) {
			return Frame{}, fmt.Errorf("timed out after %s", timeout)
		}
		c.cond.Wait()
	}
}

// WaitSeq waits until an event or snapshot with seq >= seq has arrived.
func (c *Client) WaitSeq(seq int64, timeout time.Duration) error {
	_, err := c.WaitFor(func(f Frame) bool { return (f.Type == "event" || f.Type == "snapshot") && f.Seq >= seq }, timeout)
	return err
}

// WaitClosed waits until the server closed the connection and returns its close code.
func (c *Client) WaitClosed(timeout time.Duration) (int, error) {
	_, err := c.WaitFor(func(Frame) bool { return false }, timeout)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed == nil {
		return 0, err
	}
	return c.CloseCode, nil
}

// Frames returns a copy of every frame received so far.
func (c *Client) Frames() []Frame {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Frame(nil), c.frames...)
}

// Events returns the event frames received so far, in order.
func (c *Client) Events() []Frame {
	var out []Frame
	for _, f := range c.Frames() {
		if f.Type == "event" {
			out = append(out, f)
		}
	}
	return out
}

// Saw reports whether any frame received so far contains s.
func (c *Client) Saw(s string) bool {
	for _, f := range c.Frames() {
		if strings.Contains(string(f.Raw), s) {
			return true
		}
	}
	return false
}

// Closed reports whether the connection has ended.
func (c *Client) Closed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed != nil
}

// Close closes the connection.
func (c *Client) Close() error { return c.conn.Close() }

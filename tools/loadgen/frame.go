package main

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// frame is the part of a server frame the generator reads.
type frame struct {
	Type string `json:"type"`
	ID   string `json:"id"`
	Seq  int64  `json:"seq"`
	Name string `json:"name"`
	Code string `json:"code"`
}

var (
	eventPrefix = []byte(`{"type":"event","seq":`)
	ackPrefix   = []byte(`{"type":"ack","id":"`)
)

// parseFrame reads a frame's type, id, seq, name and code. Events and acks, nearly
// every frame under load, are read from their fixed prefix without decoding the
// whole payload (a ranking result is large), so the generator spends little of
// the machine's CPU, which it shares with the server; anything else is decoded.
func parseFrame(b []byte) (frame, error) {
	if rest, ok := bytes.CutPrefix(b, eventPrefix); ok {
		seq, rest, ok := cutInt(rest)
		if ok {
			if rest, ok = bytes.CutPrefix(rest, []byte(`,"name":"`)); ok {
				if i := bytes.IndexByte(rest, '"'); i >= 0 {
					return frame{Type: "event", Seq: seq, Name: string(rest[:i])}, nil
				}
			}
		}
	}
	if rest, ok := bytes.CutPrefix(b, ackPrefix); ok {
		if i := bytes.IndexByte(rest, '"'); i >= 0 {
			id := string(rest[:i])
			if rest, ok := bytes.CutPrefix(rest[i:], []byte(`","seq":`)); ok {
				if seq, _, ok := cutInt(rest); ok {
					return frame{Type: "ack", ID: id, Seq: seq}, nil
				}
			}
		}
	}
	var f frame
	err := json.Unmarshal(b, &f)
	return f, err
}

// cutInt reads a decimal integer at the start of b.
func cutInt(b []byte) (int64, []byte, bool) {
	i := 0
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	if i == 0 {
		return 0, b, false
	}
	n, err := strconv.ParseInt(string(b[:i]), 10, 64)
	return n, b[i:], err == nil
}

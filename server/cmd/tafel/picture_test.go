package main

import (
	"encoding/json"
	"fmt"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/realtime/wsclient"
)

// soakClient is one device with its own picture of the meeting, made from the
// snapshot and the events it received, as the app does.
type soakClient struct {
	ws      *wsclient.Client
	token   string // participants
	id      string // participant id
	picture picture
	applied int // frames of ws already applied
}

// picture is what a client shows: the phase, the lock, participants and items.
type picture struct {
	Phase        meeting.Phase
	Locked       bool
	Participants map[string]meeting.Participant
	Items        map[string]meeting.Item
	Seq          int64
}

func (p *picture) apply(f wsclient.Frame) error {
	switch f.Type {
	case "snapshot":
		var v meeting.View
		if err := json.Unmarshal(f.Meeting, &v); err != nil {
			return err
		}
		*p = pictureOf(v)
	case "event":
		if f.Seq <= p.Seq {
			return fmt.Errorf("event seq %d after %d: repeated or out of order", f.Seq, p.Seq)
		}
		p.Seq = f.Seq
		var d struct {
			Meeting     *meeting.Header      `json:"meeting"`
			Participant *meeting.Participant `json:"participant"`
			Item        *meeting.Item        `json:"item"`
			Items       []meeting.Item       `json:"items"`
		}
		if err := json.Unmarshal(f.Data, &d); err != nil {
			return err
		}
		if d.Meeting != nil {
			p.Phase, p.Locked = d.Meeting.Phase, d.Meeting.Locked
		}
		if d.Participant != nil {
			p.Participants[d.Participant.ID] = *d.Participant
		}
		if d.Item != nil {
			p.Items[d.Item.ID] = *d.Item
		}
		for _, it := range d.Items {
			p.Items[it.ID] = it
		}
	}
	return nil
}

func pictureOf(v meeting.View) picture {
	p := picture{Phase: v.Phase, Locked: v.Locked, Seq: v.Seq, Participants: map[string]meeting.Participant{}, Items: map[string]meeting.Item{}}
	for _, x := range v.Participants {
		p.Participants[x.ID] = x
	}
	for _, it := range v.Items {
		p.Items[it.ID] = it
	}
	return p
}

// catchUp applies the frames received since the last call.
func (c *soakClient) catchUp() error {
	frames := c.ws.Frames()
	for _, f := range frames[c.applied:] {
		if err := c.picture.apply(f); err != nil {
			return err
		}
	}
	c.applied = len(frames)
	return nil
}

func sameMap[V any](a, b map[string]V) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		w, ok := b[k]
		if !ok {
			return false
		}
		x, _ := json.Marshal(v)
		y, _ := json.Marshal(w)
		if string(x) != string(y) {
			return false
		}
	}
	return true
}

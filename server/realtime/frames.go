package realtime

import (
	"encoding/json"

	"github.com/tafel-met/tafel/server/meeting"
)

// Frames of the protocol; see docs/protocol.md.

// clientFrame is what a client sends: hello first, then commands.
type clientFrame struct {
	Type    string          `json:"type"`
	ID      string          `json:"id"`
	Name    string          `json:"name"`
	Data    json.RawMessage `json:"data"`
	Token   string          `json:"token"`
	View    string          `json:"view"`
	LastSeq int64           `json:"lastSeq"`
}

type welcomeFrame struct {
	Type          string       `json:"type"`
	Role          meeting.Role `json:"role"`
	ParticipantID string       `json:"participantId,omitempty"`
	Seq           int64        `json:"seq"`
}

type snapshotFrame struct {
	Type    string       `json:"type"`
	Seq     int64        `json:"seq"`
	Meeting meeting.View `json:"meeting"`
}

type eventFrame struct {
	Type string          `json:"type"`
	Seq  int64           `json:"seq"`
	Name string          `json:"name"`
	Data json.RawMessage `json:"data"`
}

type ackFrame struct {
	Type      string `json:"type"`
	ID        string `json:"id"`
	Seq       int64  `json:"seq"`
	Duplicate bool   `json:"duplicate,omitempty"`
}

// errorFrame says what went wrong as a code, a reason and the reason's
// parameters; each client shows its own sentence for them. Message is English,
// for developers.
type errorFrame struct {
	Type    string         `json:"type"`
	ID      string         `json:"id,omitempty"`
	Code    string         `json:"code"`
	Reason  string         `json:"reason,omitempty"`
	Params  map[string]any `json:"params,omitempty"`
	Message string         `json:"message"`
}

type presenceFrame struct {
	Type   string   `json:"type"`
	Online []string `json:"online"`
}

func encode(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		// Every frame is made of plain values; failing here is a programming error.
		panic(err)
	}
	return b
}

func encodeEvent(ev meeting.Event) []byte {
	return encode(eventFrame{Type: "event", Seq: ev.Seq, Name: ev.Name, Data: ev.Data})
}

func errorBytes(id string, err error) []byte {
	return encode(errorFrame{Type: "error", ID: id, Code: meeting.ErrorCode(err), Reason: meeting.ErrorReason(err),
		Params: meeting.ErrorParams(err), Message: meeting.ErrorMessage(err)})
}

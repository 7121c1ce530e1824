package realtime

import (
	"context"

	"github.com/tafel-met/tafel/server/meeting"
)

// CloseErased disconnects everyone from a meeting whose data was erased or
// purged, and forgets its state on this instance.
func (h *Hub) CloseErased(meetingID string) {
	h.mu.Lock()
	r := h.rooms[meetingID]
	if r != nil {
		delete(h.rooms, meetingID)
	}
	h.mu.Unlock()
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.followed {
		r.followed = false
		go func() { _ = h.broker.Unfollow(context.Background(), meetingID) }()
	}
	for c := range r.conns {
		c.enqueue(errorBytes("", meeting.Errorf(meeting.ECodeNotFound, "Dit gesprek is verwijderd (meeting erased)")))
		c.closeWith(CloseRejected, "erased")
	}
}

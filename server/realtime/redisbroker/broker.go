// Package redisbroker carries committed events between Tafel instances over Redis
// pub/sub, one channel per meeting with the organisation in its name. The local
// instance never waits on it: its connections get events from the application
// service directly; Redis only reaches the others. After Redis comes back from
// a restart, every followed meeting is caught up from the database, so nothing
// committed is lost to a client.
package redisbroker

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tafel-met/tafel/server/app"
	"github.com/tafel-met/tafel/server/meeting"
)

// Broker is a realtime.Broker over Redis.
type Broker struct {
	rdb      *redis.Client
	ps       *redis.PubSub
	log      *slog.Logger
	instance string // this instance's id: its own messages come back and are skipped
	cancel   context.CancelFunc
	done     chan struct{}

	mu       sync.Mutex
	handler  app.BrokerHandler
	channels map[string]string // meeting id -> channel
	refs     map[string]int
}

var _ app.Broker = (*Broker)(nil)

// wire is what travels over Redis: the events with who may see them.
type wire struct {
	Instance  string      `json:"i"`
	MeetingID string      `json:"m"`
	Events    []wireEvent `json:"e,omitempty"`
	// Online, with its version, is a presence message instead of events.
	Online  []string `json:"o,omitempty"`
	Version int64    `json:"v,omitempty"`
}

type wireEvent struct {
	Seq           int64           `json:"s"`
	Name          string          `json:"n"`
	Scope         meeting.Scope   `json:"c"`
	ParticipantID string          `json:"p,omitempty"`
	Data          json.RawMessage `json:"d"`
}

// New connects to the Redis at url (redis://...) and starts receiving.
func New(ctx context.Context, url string, log *slog.Logger) (*Broker, error) {
	opts, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("REDIS_URL: %w", err)
	}
	opts.MaxRetries = 2
	rdb := redis.NewClient(opts)
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := rdb.Ping(pctx).Err(); err != nil {
		rdb.Close()
		return nil, fmt.Errorf("redis: %w", err)
	}
	id := make([]byte, 8)
	_, _ = rand.Read(id)
	b := &Broker{rdb: rdb, log: log, instance: hex.EncodeToString(id), done: make(chan struct{}),
		channels: map[string]string{}, refs: map[string]int{}}
	// A pub/sub connection needs a channel before it opens; this one carries nothing.
	b.ps = rdb.Subscribe(ctx, "tafel:instance:"+b.instance)
	rctx, rcancel := context.WithCancel(context.Background())
	b.cancel = rcancel
	go b.receive(rctx)
	return b, nil
}

func channelName(orgID, meetingID string) string {
	return "tafel:" + orgID + ":meeting:" + meetingID
}

// Subscribe sets who receives events and presence from other instances, and
// catches a meeting up after a gap.
func (b *Broker) Subscribe(h app.BrokerHandler) {
	b.mu.Lock()
	b.handler = h
	b.mu.Unlock()
}

func (b *Broker) handlerOf() app.BrokerHandler {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.handler
}

// PublishPresence sends who is connected here to the other instances.
func (b *Broker) PublishPresence(ctx context.Context, orgID, meetingID string, online []string, version int64) error {
	ch := channelName(orgID, meetingID)
	if online == nil {
		online = []string{}
	}
	payload, err := json.Marshal(wire{Instance: b.instance, MeetingID: meetingID, Online: online, Version: version})
	if err != nil {
		return err
	}
	return b.rdb.Publish(ctx, ch, payload).Err()
}

// Follow starts receiving a meeting's events from other instances.
func (b *Broker) Follow(ctx context.Context, orgID, meetingID string) error {
	b.mu.Lock()
	ch := channelName(orgID, meetingID)
	b.channels[meetingID] = ch
	b.refs[meetingID]++
	first := b.refs[meetingID] == 1
	b.mu.Unlock()
	if !first {
		return nil
	}
	return b.ps.Subscribe(ctx, ch)
}

// Unfollow stops receiving a meeting's events once nobody here follows it.
func (b *Broker) Unfollow(ctx context.Context, meetingID string) error {
	b.mu.Lock()
	b.refs[meetingID]--
	last := b.refs[meetingID] <= 0
	ch := b.channels[meetingID]
	if last {
		delete(b.refs, meetingID)
		delete(b.channels, meetingID)
	}
	b.mu.Unlock()
	if !last || ch == "" {
		return nil
	}
	return b.ps.Unsubscribe(ctx, ch)
}

// Publish sends committed events to the other instances.
func (b *Broker) Publish(ctx context.Context, orgID, meetingID string, events []meeting.Event) error {
	ch := channelName(orgID, meetingID)
	w := wire{Instance: b.instance, MeetingID: meetingID, Events: make([]wireEvent, len(events))}
	for i, ev := range events {
		w.Events[i] = wireEvent{Seq: ev.Seq, Name: ev.Name, Scope: ev.Scope, ParticipantID: ev.ParticipantID, Data: ev.Data}
	}
	payload, err := json.Marshal(w)
	if err != nil {
		return err
	}
	return b.rdb.Publish(ctx, ch, payload).Err()
}

// receive hands messages from other instances to the hub until Close. When the
// connection comes back after a Redis restart, the subscriptions are renewed and
// each followed meeting is caught up from the database.
func (b *Broker) receive(ctx context.Context) {
	defer close(b.done)
	backoff := 100 * time.Millisecond
	for {
		msg, err := b.ps.Receive(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			b.log.Warn("redis pub/sub receive failed; retrying", "err", err)
			select {
			case <-ctx.Done():
				return
			case <-time.After(backoff):
			}
			backoff = min(backoff*2, 5*time.Second)
			continue
		}
		backoff = 100 * time.Millisecond
		switch m := msg.(type) {
		case *redis.Subscription:
			if m.Kind != "subscribe" {
				continue
			}
			if meetingID, ok := meetingOf(m.Channel); ok {
				if h := b.handlerOf(); h != nil {
					h.HandleResync(meetingID) // events published while we were away come from the database
				}
			}
		case *redis.Message:
			var w wire
			if err := json.Unmarshal([]byte(m.Payload), &w); err != nil {
				b.log.Error("bad message on redis", "channel", m.Channel, "err", err)
				continue
			}
			if w.Instance == b.instance {
				continue
			}
			h := b.handlerOf()
			if h == nil {
				continue
			}
			if w.Version != 0 {
				h.HandlePresence(w.MeetingID, w.Instance, w.Online, w.Version)
				continue
			}
			evs := make([]meeting.Event, len(w.Events))
			for i, e := range w.Events {
				evs[i] = meeting.Event{Seq: e.Seq, Name: e.Name, Scope: e.Scope, ParticipantID: e.ParticipantID, Data: e.Data}
			}
			h.HandleEvents(w.MeetingID, evs)
		}
	}
}

func meetingOf(channel string) (string, bool) {
	i := strings.Index(channel, ":meeting:")
	if i < 0 {
		return "", false
	}
	return channel[i+len(":meeting:"):], true
}

// Close stops receiving and closes the connections.
func (b *Broker) Close() error {
	b.cancel()
	err := b.ps.Close()
	<-b.done
	return errors.Join(err, b.rdb.Close())
}

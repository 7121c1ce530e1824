package main

import (
	"sync"
	"time"
)

// Accounting of what each socket receives. Seq is per meeting and must arrive
// strictly increasing on every socket; gaps are allowed by the protocol (events
// a socket may not see), so an event is lost only when a command was acked with
// that seq and some other member of the meeting never received it.

// Order checks one socket's seq stream: a seq equal to or below the last one is a
// duplicate when the socket had it already, otherwise a reordering.
type Order struct {
	Last       int64
	Duplicates int
	Reordered  int
}

// Observe records seq; seen says whether this socket received seq before.
func (o *Order) Observe(seq int64, seen bool) {
	switch {
	case seen:
		o.Duplicates++
	case seq <= o.Last:
		o.Reordered++
	default:
		o.Last = seq
	}
}

// StepStats is what one load step counts; its histogram is filled on completion.
type StepStats struct {
	mu        sync.Mutex
	Latency   Histogram
	Completed int // commands whose event reached every other member
}

// Histogram is what StepStats needs of an HDR histogram (kept small so the
// accounting can be tested without one).
type Histogram interface {
	RecordValue(v int64) error
}

// delivery is one seq of one meeting: who received it, when the last did, and
// (once acked) who sent it, when it was scheduled and which step it belongs to.
type delivery struct {
	got       uint64  // bit per member
	at        []int64 // when each member received it, Unix nanoseconds
	sender    int     // -1 until acked
	scheduled time.Time
	step      *StepStats
	done      bool
}

// Fanout follows one meeting's events to its members (at most 64).
type Fanout struct {
	mu      sync.Mutex
	members int
	all     uint64
	seqs    map[int64]*delivery
	order   []Order
}

// NewFanout returns the tracker of a meeting of members sockets.
func NewFanout(members int) *Fanout {
	if members > 64 {
		panic("loadgen: at most 64 sockets per meeting")
	}
	all := uint64(1)<<members - 1
	if members == 64 {
		all = ^uint64(0)
	}
	return &Fanout{members: members, all: all, seqs: map[int64]*delivery{}, order: make([]Order, members)}
}

func (f *Fanout) get(seq int64) *delivery {
	d := f.seqs[seq]
	if d == nil {
		d = &delivery{sender: -1}
		f.seqs[seq] = d
	}
	return d
}

// Arrived records that member r received the event seq at t. counted is false
// for events outside the fan-out (another's private ranking.mine never reaches
// the others): they are checked for order only.
func (f *Fanout) Arrived(r int, seq int64, t time.Time, counted bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	d := f.seqs[seq]
	seen := d != nil && d.got&(1<<r) != 0
	f.order[r].Observe(seq, seen)
	if !counted || seen {
		if !counted && d == nil {
			// remember it for the duplicate check, outside the fan-out
			d = f.get(seq)
			d.done = true
		}
		if d != nil {
			d.got |= 1 << r
		}
		return
	}
	d = f.get(seq)
	d.got |= 1 << r
	if d.at == nil {
		d.at = make([]int64, f.members)
	}
	d.at[r] = t.UnixNano()
	f.complete(d)
}

// Acked records that member sender's command, scheduled at scheduled in step,
// was stored as seq.
func (f *Fanout) Acked(sender int, seq int64, scheduled time.Time, step *StepStats) {
	f.mu.Lock()
	defer f.mu.Unlock()
	d := f.get(seq)
	d.sender, d.scheduled, d.step = sender, scheduled, step
	f.complete(d)
}

func (f *Fanout) complete(d *delivery) {
	if d.done || d.sender < 0 || d.got|1<<d.sender != f.all {
		return
	}
	d.done = true
	var last int64
	for r, at := range d.at {
		if r != d.sender {
			last = max(last, at)
		}
	}
	lat := time.Duration(0)
	if last > 0 {
		lat = time.Unix(0, last).Sub(d.scheduled)
	}
	d.step.mu.Lock()
	_ = d.step.Latency.RecordValue(max(lat.Microseconds(), 1))
	d.step.Completed++
	d.step.mu.Unlock()
}

// Tally is what a meeting's tracker found for one step, after its drain.
type Tally struct {
	Lost        int // (acked seq, member) pairs that never arrived
	Duplicates  int
	Reordered   int
	UnackedSeqs int // fanned-out events whose command never got an ack
}

// Settle counts what step left open (every acked, incomplete seq is lost for each
// member missing it) and forgets its seqs; duplicates and reorderings are
// counted since the previous Settle.
func (f *Fanout) Settle(step *StepStats) Tally {
	f.mu.Lock()
	defer f.mu.Unlock()
	var t Tally
	for seq, d := range f.seqs {
		switch {
		case d.step == step && !d.done:
			missing := f.all &^ (d.got | 1<<d.sender)
			for ; missing != 0; missing &= missing - 1 {
				t.Lost++
			}
		case d.sender < 0 && !d.done:
			t.UnackedSeqs++
		case d.step != step && !d.done:
			continue // another step's, still open
		}
		delete(f.seqs, seq)
	}
	for i := range f.order {
		t.Duplicates += f.order[i].Duplicates
		t.Reordered += f.order[i].Reordered
		f.order[i].Duplicates, f.order[i].Reordered = 0, 0
	}
	return t
}

// Resynced records that member r received a snapshot at seq: it starts over from there.
func (f *Fanout) Resynced(r int, seq int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.order[r].Last = max(f.order[r].Last, seq)
}

package main

import (
	"testing"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
)

// countHist is a histogram that keeps its values.
type countHist struct{ values []int64 }

func (h *countHist) RecordValue(v int64) error { h.values = append(h.values, v); return nil }

func newStep() (*StepStats, *countHist) {
	h := &countHist{}
	return &StepStats{Latency: h}, h
}

func TestOrder(t *testing.T) {
	for _, tc := range []struct {
		name             string
		seqs             []int64
		seen             []bool
		dup, reord, last int64
	}{
		{"Increasing", []int64{3, 5, 9}, []bool{false, false, false}, 0, 0, 9},
		{"GapsAreFine", []int64{1, 10, 100}, []bool{false, false, false}, 0, 0, 100},
		{"Duplicate", []int64{3, 5, 5}, []bool{false, false, true}, 1, 0, 5},
		{"Reordered", []int64{3, 6, 5}, []bool{false, false, false}, 0, 1, 6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var o Order
			for i, s := range tc.seqs {
				o.Observe(s, tc.seen[i])
			}
			if int64(o.Duplicates) != tc.dup || int64(o.Reordered) != tc.reord || o.Last != tc.last {
				t.Errorf("got dup %d reordered %d last %d, want %d %d %d", o.Duplicates, o.Reordered, o.Last, tc.dup, tc.reord, tc.last)
			}
		})
	}
}

func TestFanoutLatencyToLastOtherMember(t *testing.T) {
	st, h := newStep()
	f := NewFanout(3)
	t0 := time.Unix(1000, 0)
	// Member 0's command scheduled at t0 becomes seq 7. Its own copy does not
	// count; the others get it after 5 and 12 ms; the ack comes in between.
	f.Arrived(1, 7, t0.Add(5*time.Millisecond), true)
	f.Acked(0, 7, t0, st)
	if st.Completed != 0 {
		t.Fatal("complete before member 2 received it")
	}
	f.Arrived(0, 7, t0.Add(30*time.Millisecond), true)
	f.Arrived(2, 7, t0.Add(12*time.Millisecond), true)
	if st.Completed != 1 || len(h.values) != 1 {
		t.Fatalf("completed %d with %d latencies, want 1", st.Completed, len(h.values))
	}
	// The sender's own copy came last (30 ms), but the latency is to the last
	// other member: 12 ms.
	if h.values[0] != 12_000 {
		t.Errorf("latency %d µs, want 12000 (the last other member)", h.values[0])
	}
	if tl := f.Settle(st); tl != (Tally{}) {
		t.Errorf("settle after a complete fan-out: %+v, want nothing", tl)
	}
}

func TestFanoutAckAfterEvents(t *testing.T) {
	st, h := newStep()
	f := NewFanout(2)
	t0 := time.Unix(1000, 0)
	f.Arrived(1, 4, t0.Add(3*time.Millisecond), true)
	f.Acked(0, 4, t0, st)
	if st.Completed != 1 || h.values[0] != 3000 {
		t.Errorf("completed %d latencies %v, want one of 3000 µs", st.Completed, h.values)
	}
}

func TestFanoutLostDuplicatedReordered(t *testing.T) {
	st, _ := newStep()
	f := NewFanout(4)
	t0 := time.Unix(1000, 0)
	// seq 10 from member 0: members 1 and 2 get it, member 3 never does.
	f.Acked(0, 10, t0, st)
	f.Arrived(1, 10, t0, true)
	f.Arrived(2, 10, t0, true)
	// seq 11 from member 1: everyone gets it, member 2 twice.
	f.Acked(1, 11, t0, st)
	for _, r := range []int{0, 2, 3, 2} {
		f.Arrived(r, 11, t0, true)
	}
	// seq 12 and 13 from member 2: member 0 gets 13 before 12.
	f.Acked(2, 12, t0, st)
	f.Acked(2, 13, t0, st)
	for _, r := range []int{1, 3} {
		f.Arrived(r, 12, t0, true)
		f.Arrived(r, 13, t0, true)
	}
	f.Arrived(0, 13, t0, true)
	f.Arrived(0, 12, t0, true)
	// An event whose command was never acked (it timed out).
	f.Arrived(1, 14, t0, true)

	got := f.Settle(st)
	want := Tally{Lost: 1, Duplicates: 1, Reordered: 1, UnackedSeqs: 1}
	if got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if st.Completed != 3 {
		t.Errorf("completed %d, want 3 (11, 12, 13)", st.Completed)
	}
	// Settle forgets what it counted.
	if again := f.Settle(st); again != (Tally{}) {
		t.Errorf("second settle: %+v, want nothing", again)
	}
}

func TestFanoutPrivateEventsOnlyChecked(t *testing.T) {
	st, _ := newStep()
	f := NewFanout(2)
	t0 := time.Unix(1000, 0)
	// ranking.set: seq 5 is the sender's own ranking.mine, seq 6 the result for all.
	f.Arrived(0, 5, t0, false)
	f.Arrived(0, 6, t0, true)
	f.Arrived(1, 6, t0, true)
	f.Acked(0, 6, t0, st)
	f.Arrived(0, 5, t0, false) // resent: a duplicate even outside the fan-out
	got := f.Settle(st)
	if got != (Tally{Duplicates: 1}) {
		t.Errorf("got %+v, want one duplicate and nothing lost or unacked", got)
	}
	if st.Completed != 1 {
		t.Errorf("completed %d, want 1", st.Completed)
	}
}

func TestFanoutStepsSettleApart(t *testing.T) {
	a, _ := newStep()
	b, _ := newStep()
	f := NewFanout(2)
	t0 := time.Unix(1000, 0)
	f.Acked(0, 1, t0, a)
	f.Acked(0, 2, t0, b)
	if got := f.Settle(a); got.Lost != 1 {
		t.Errorf("step a: lost %d, want 1 (seq 1 never reached member 1)", got.Lost)
	}
	f.Arrived(1, 2, t0, true)
	if got := f.Settle(b); got != (Tally{}) {
		t.Errorf("step b: %+v, want nothing: seq 2 arrived", got)
	}
}

func TestFanoutResyncedRaisesLast(t *testing.T) {
	f := NewFanout(2)
	f.Resynced(1, 40)
	f.Arrived(1, 39, time.Unix(0, 0), false)
	if got := f.Settle(&StepStats{Latency: &countHist{}}); got.Reordered != 1 {
		t.Errorf("an event older than the snapshot: reordered %d, want 1", got.Reordered)
	}
}

func TestKnee(t *testing.T) {
	row := func(rate float64, p99us int64, achieved float64) stepRow {
		h := hdrhistogram.New(1, 120_000_000, 3)
		_ = h.RecordValue(p99us)
		return stepRow{rate: rate, scheduled: int(rate * 10), duration: 10 * time.Second, achieved: achieved, hist: h}
	}
	for _, tc := range []struct {
		name string
		rows []stepRow
		want string
	}{
		{"Between", []stepRow{row(100, 20_000, 100), row(200, 90_000, 199), row(400, 300_000, 300)},
			"between 200/s (p99 within 100 ms) and 400/s (p99 300 ms); throughput keeps up to 200/s and falls short at 400/s (300/s achieved)"},
		{"NotReached", []stepRow{row(100, 20_000, 100), row(200, 30_000, 200)},
			"not reached: p99 within 100 ms up to 200/s; throughput keeps up to 200/s"},
		{"AtOnce", []stepRow{row(100, 500_000, 50)},
			"p99 is over 100 ms already at 100/s; throughput falls short already at 100/s (50/s achieved)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := knee(tc.rows); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

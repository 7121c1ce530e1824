package main

import (
	"math"
	"math/rand/v2"
	"sort"
	"time"
)

// Send is one command the generator will send: at At after the step's start,
// from participant socket Conn. The schedule is made before the step begins, so
// a slow server cannot slow the clock (open loop).
type Send struct {
	At   time.Duration
	Conn int
}

// PoissonSchedule returns the sends of a Poisson process of rate commands a
// second over d, each from a participant chosen uniformly among conns. A Poisson
// process of rate r split uniformly over n sockets is n independent Poisson
// processes of rate r/n, which is how people act: each on their own clock.
func PoissonSchedule(rng *rand.Rand, rate float64, d time.Duration, conns int) []Send {
	if rate <= 0 || conns <= 0 || d <= 0 {
		return nil
	}
	out := make([]Send, 0, int(rate*d.Seconds()*1.1)+8)
	t := 0.0
	end := d.Seconds()
	for {
		t += rng.ExpFloat64() / rate
		if t >= end {
			return out
		}
		out = append(out, Send{At: time.Duration(t * float64(time.Second)), Conn: rng.IntN(conns)})
	}
}

// BurstSchedule returns rank bursts: every period (the first one period/2 into the
// step), a fraction of the meetings is chosen and every participant of each
// chosen meeting sends once at a uniform moment within window. Participant j of
// meeting m is socket m*size+j.
func BurstSchedule(rng *rand.Rand, d, period, window time.Duration, meetings, size int, fraction float64) []Send {
	if period <= 0 || fraction <= 0 || meetings <= 0 || size <= 0 {
		return nil
	}
	pick := int(math.Round(fraction * float64(meetings)))
	if pick < 1 {
		pick = 1
	}
	if pick > meetings {
		pick = meetings
	}
	var out []Send
	for start := period / 2; start+window <= d; start += period {
		for _, m := range rng.Perm(meetings)[:pick] {
			for j := range size {
				out = append(out, Send{At: start + time.Duration(rng.Int64N(int64(window))), Conn: m*size + j})
			}
		}
	}
	return out
}

// MergeSchedules returns every send of the schedules in time order.
func MergeSchedules(ss ...[]Send) []Send {
	var out []Send
	for _, s := range ss {
		out = append(out, s...)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At < out[j].At })
	return out
}

// MaxPerWindow is the largest number of sends any one socket makes within any
// window (a sliding window over its sends), to check a schedule against the
// server's per-socket rate limit before running it.
func MaxPerWindow(s []Send, window time.Duration) int {
	per := map[int][]time.Duration{}
	for _, x := range s {
		per[x.Conn] = append(per[x.Conn], x.At)
	}
	best := 0
	for _, ts := range per {
		sort.Slice(ts, func(i, j int) bool { return ts[i] < ts[j] })
		lo := 0
		for hi := range ts {
			for ts[hi]-ts[lo] >= window {
				lo++
			}
			best = max(best, hi-lo+1)
		}
	}
	return best
}

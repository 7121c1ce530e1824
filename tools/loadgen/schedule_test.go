package main

import (
	"math/rand/v2"
	"testing"
	"time"
)

func TestPoissonSchedule(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	const rate, conns = 400.0, 1000
	d := 30 * time.Second
	s := PoissonSchedule(rng, rate, d, conns)

	// 12,000 expected; a Poisson count's standard deviation is sqrt(12000) ~ 110.
	if n := len(s); n < 11_500 || n > 12_500 {
		t.Fatalf("got %d sends over %s at %v/s, want about 12000", n, d, rate)
	}
	perConn := map[int]int{}
	for i, x := range s {
		if x.At < 0 || x.At >= d {
			t.Fatalf("send %d at %s, outside [0, %s)", i, x.At, d)
		}
		if i > 0 && x.At < s[i-1].At {
			t.Fatalf("send %d at %s before send %d at %s", i, x.At, i-1, s[i-1].At)
		}
		if x.Conn < 0 || x.Conn >= conns {
			t.Fatalf("send %d from socket %d of %d", i, x.Conn, conns)
		}
		perConn[x.Conn]++
	}
	if len(perConn) < conns*9/10 {
		t.Errorf("only %d of %d sockets send: the load is not spread", len(perConn), conns)
	}
	// Exponential gaps: their standard deviation equals their mean (a fixed
	// ticker would have none), so about 63% of gaps are shorter than the mean.
	mean := d / time.Duration(len(s))
	short := 0
	for i := 1; i < len(s); i++ {
		if s[i].At-s[i-1].At < mean {
			short++
		}
	}
	if f := float64(short) / float64(len(s)-1); f < 0.60 || f > 0.66 {
		t.Errorf("%.2f of the gaps are shorter than the mean, want about 0.63 (exponential)", f)
	}
}

func TestPoissonScheduleSameSeedSameSchedule(t *testing.T) {
	a := PoissonSchedule(rand.New(rand.NewPCG(1, 2)), 100, 10*time.Second, 50)
	b := PoissonSchedule(rand.New(rand.NewPCG(1, 2)), 100, 10*time.Second, 50)
	if len(a) != len(b) {
		t.Fatalf("lengths %d and %d", len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("send %d differs: %+v and %+v", i, a[i], b[i])
		}
	}
}

func TestPoissonScheduleEmpty(t *testing.T) {
	for _, tc := range []struct {
		name  string
		rate  float64
		d     time.Duration
		conns int
	}{{"NoRate", 0, time.Second, 10}, {"NoTime", 10, 0, 10}, {"NoSockets", 10, time.Second, 0}} {
		t.Run(tc.name, func(t *testing.T) {
			if s := PoissonSchedule(rand.New(rand.NewPCG(1, 1)), tc.rate, tc.d, tc.conns); len(s) != 0 {
				t.Errorf("got %d sends, want none", len(s))
			}
		})
	}
}

func TestBurstSchedule(t *testing.T) {
	const meetings, size = 1000, 10
	d, period, window := 30*time.Second, 10*time.Second, time.Second
	s := BurstSchedule(rand.New(rand.NewPCG(3, 3)), d, period, window, meetings, size, 0.1)

	// Bursts at 5 s, 15 s and 25 s, each 100 meetings of 10 people: 3,000 sends.
	if len(s) != 3*100*size {
		t.Fatalf("got %d sends, want 3000", len(s))
	}
	type key struct{ burst, conn int }
	seen := map[key]int{}
	meetingsIn := map[int]map[int]bool{}
	for _, x := range s {
		b := int((x.At - period/2) / period)
		start := period/2 + time.Duration(b)*period
		if x.At < start || x.At >= start+window {
			t.Fatalf("send at %s is outside burst %d's second [%s, %s)", x.At, b, start, start+window)
		}
		seen[key{b, x.Conn}]++
		if meetingsIn[b] == nil {
			meetingsIn[b] = map[int]bool{}
		}
		meetingsIn[b][x.Conn/size] = true
	}
	for k, n := range seen {
		if n != 1 {
			t.Errorf("socket %d sends %d times in burst %d, want once", k.conn, n, k.burst)
		}
	}
	for b, ms := range meetingsIn {
		if len(ms) != 100 {
			t.Errorf("burst %d reaches %d meetings, want 100", b, len(ms))
		}
		for m := range ms {
			for j := range size {
				if seen[key{b, m*size + j}] != 1 {
					t.Errorf("burst %d: participant %d of meeting %d does not rank", b, j, m)
				}
			}
		}
	}
}

func TestMergeSchedules(t *testing.T) {
	a := []Send{{At: 1, Conn: 1}, {At: 5, Conn: 1}}
	b := []Send{{At: 0, Conn: 2}, {At: 3, Conn: 2}, {At: 9, Conn: 2}}
	m := MergeSchedules(a, b)
	want := []time.Duration{0, 1, 3, 5, 9}
	if len(m) != len(want) {
		t.Fatalf("got %d sends, want %d", len(m), len(want))
	}
	for i, at := range want {
		if m[i].At != at {
			t.Errorf("send %d at %d, want %d", i, m[i].At, at)
		}
	}
}

func TestMaxPerWindow(t *testing.T) {
	ms := time.Millisecond
	s := []Send{{At: 0, Conn: 1}, {At: 400 * ms, Conn: 1}, {At: 900 * ms, Conn: 1}, {At: 1500 * ms, Conn: 1},
		{At: 100 * ms, Conn: 2}, {At: 2000 * ms, Conn: 2}}
	if got := MaxPerWindow(s, time.Second); got != 3 {
		t.Errorf("got %d, want 3 (socket 1 within 0-900 ms)", got)
	}
	if got := MaxPerWindow(nil, time.Second); got != 0 {
		t.Errorf("empty schedule: got %d, want 0", got)
	}
}

func TestRankCycleNeighboursDiffer(t *testing.T) {
	c := rankCycle([]string{"w1", "w2", "w3"})
	if len(c) != 15 { // 3 of one, 6 of two, 6 of three
		t.Fatalf("got %d rankings, want 15", len(c))
	}
	seen := map[string]bool{}
	for i, r := range c {
		k := ""
		for _, w := range r {
			k += w + ","
		}
		if seen[k] {
			t.Errorf("ranking %v appears twice", r)
		}
		seen[k] = true
		if len(r) < 1 || len(r) > 3 {
			t.Errorf("ranking %d has %d worries", i, len(r))
		}
	}
}

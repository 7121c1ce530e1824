package meeting

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"testing"
)

// ballotCast is a rank round with five voters: four parties of one person and
// Veilig Thuis with two (Anouk and Kim).
type ballotCast struct {
	base   *table
	c      cast
	voters []string
}

func playBallots(tb testing.TB, opts Options) ballotCast {
	tb.Helper()
	tt, c := playTo(tb, PhaseCluster, opts)
	tt.do(coordinator, "participant.admit", map[string]string{"participantId": c.kim})
	tt.phase(PhaseRank)
	return ballotCast{base: tt, c: c, voters: []string{c.sanne, c.henk, c.els, c.anouk, c.kim}}
}

// ballotsA and ballotsB are two different sets of ballots for the same voters.
func (b ballotCast) ballotsA() map[string][]string {
	c := b.c
	return map[string][]string{c.sanne: {c.w1, c.w2, c.w3}, c.henk: {c.w2, c.w1}, c.els: {c.w4, c.w3, c.w1},
		c.anouk: {c.w3, c.w1}, c.kim: {c.w3, c.w2, c.w4}}
}

func (b ballotCast) ballotsB() map[string][]string {
	c := b.c
	return map[string][]string{c.sanne: {c.w4}, c.henk: {c.w3, c.w4, c.w2}, c.els: {c.w1, c.w2},
		c.anouk: {c.w2, c.w4, c.w3}, c.kim: {c.w1}}
}

// observer is one socket: what it was sent, as events it may see and as the
// snapshot a reconnect would bring after every command.
type observer struct {
	name   string
	v      Viewer
	frames []string // every ranking-related thing received, in order (own ranking.mine left out)
	seen   []RankingResult
}

func (o *observer) take(tb testing.TB, m *Meeting, evs []Event) {
	tb.Helper()
	for _, ev := range evs {
		if !o.v.CanSee(ev) {
			continue
		}
		switch ev.Name {
		case EvRankingMine:
			if ev.ParticipantID != o.v.ParticipantID {
				tb.Fatalf("%s received %s's ballot", o.name, ev.ParticipantID)
			}
		case EvRankingResult, EvRankingProgress:
			var d resultData
			if err := json.Unmarshal(ev.Data, &d); err != nil {
				tb.Fatal(err)
			}
			o.frames = append(o.frames, ev.Name+" "+string(ev.Data))
			o.seen = append(o.seen, d.Result)
		}
	}
	view := m.ViewFor(o.v)
	o.frames = append(o.frames, "snapshot "+mustJSON(tb, view.Ranking))
	o.seen = append(o.seen, view.Ranking)
}

// contribution is what a ballot adds to each worry's points, at the weight it
// has in the meeting (a party of n voters gives each 1/n).
func contribution(b []string, weight float64) map[string]float64 {
	out := map[string]float64{}
	for place, id := range b {
		out[id] += weight * float64(3-place)
	}
	return out
}

// pointsOf is each worry's total points in a result (points per party are
// checked apart: they must not be sent at all).
func pointsOf(r RankingResult) map[string]float64 {
	out := map[string]float64{}
	for _, w := range r.Worries {
		if w.Points != 0 {
			out[w.WorryID] = w.Points
		}
	}
	return out
}

func diffOf(a, b map[string]float64) map[string]float64 {
	out := map[string]float64{}
	for k, v := range b {
		if d := v - a[k]; d != 0 {
			out[k] = d
		}
	}
	for k, v := range a {
		if _, ok := b[k]; !ok && v != 0 {
			out[k] = -v
		}
	}
	return out
}

// replay ranks in the given order and returns every socket's observations.
func (b ballotCast) replay(tb testing.TB, order []string, ballots map[string][]string) []*observer {
	tb.Helper()
	tt := b.base.with(tb)
	obs := []*observer{{name: "coordinator", v: Viewer{Role: RoleCoordinator}}, {name: "screen", v: Viewer{Role: RoleScreen}}}
	for _, pid := range b.voters {
		obs = append(obs, &observer{name: "phone " + pid, v: tt.m.ViewerFor(RoleParticipant, pid)})
	}
	for _, pid := range order {
		evs := tt.do(participant(pid), "ranking.set", map[string]any{"worryIds": ballots[pid]})
		for _, o := range obs {
			o.take(tb, tt.m, evs)
		}
	}
	if tt.m.RankingClosed {
		tb.Fatal("the round closed by itself")
	}
	evs := tt.do(coordinator, "ranking.close", nil)
	for _, o := range obs {
		o.take(tb, tt.m, evs)
	}
	return obs
}

func permutations(list []string) [][]string {
	if len(list) <= 1 {
		return [][]string{slices.Clone(list)}
	}
	var out [][]string
	for i := range list {
		rest := append(slices.Clone(list[:i]), list[i+1:]...)
		for _, p := range permutations(rest) {
			out = append(out, append([]string{list[i]}, p...))
		}
	}
	return out
}

// TestSecretBallots replays every order of five ballots and checks, for every
// socket, that no one but the voter can compute a ballot from what they were
// sent: no result moves while the round is open (so no difference of two
// results is a ballot), what is sent before the close is the same whatever the
// ballots are, and the one result holds no single voter's ballot.
func TestSecretBallots(t *testing.T) {
	b := playBallots(t, Options{})
	c := b.c
	weight := map[string]float64{c.sanne: 1, c.henk: 1, c.els: 1, c.anouk: 0.5, c.kim: 0.5}
	var final string
	for _, order := range permutations(b.voters) {
		name := fmt.Sprint(order)
		a := b.replay(t, order, b.ballotsA())
		other := b.replay(t, order, b.ballotsB())
		for i, o := range a {
			// Differencing: consecutive observations, starting from nothing.
			prev := map[string]float64{}
			closed := 0
			for _, r := range o.seen {
				cur := pointsOf(r)
				d := diffOf(prev, cur)
				for _, x := range b.voters {
					if x == o.v.ParticipantID || len(d) == 0 {
						continue
					}
					if reflect.DeepEqual(d, contribution(b.ballotsA()[x], weight[x])) {
						t.Fatalf("%s: %s can compute %s's ballot as the difference of two results", name, o.name, x)
					}
				}
				if !r.Closed && len(cur) != 0 {
					t.Fatalf("%s: %s got points while the round was open: %+v", name, o.name, r)
				}
				if r.Closed {
					closed++
				}
				prev = cur
			}
			if closed == 0 {
				t.Fatalf("%s: %s never got the result", name, o.name)
			}
			// Everything before the close is the same with other ballots.
			before := func(frames []string) []string {
				for j, f := range frames {
					if len(f) > len(EvRankingResult) && f[:len(EvRankingResult)] == EvRankingResult {
						return frames[:j]
					}
				}
				return frames
			}
			if got, want := before(o.frames), before(other[i].frames); !slices.Equal(got, want) {
				t.Fatalf("%s: what %s received before the close depends on the ballots:\n%v\n%v", name, o.name, got, want)
			}
			res := o.seen[len(o.seen)-1]
			if len(res.PersonTop3) != 0 {
				t.Fatalf("%s: %s sees people's own top 3 without the option", name, o.name)
			}
			for _, pt := range res.PartyTop3 {
				if pt.PartyID != c.vt {
					t.Fatalf("%s: %s sees the top 3 of a party of one: %+v", name, o.name, pt)
				}
			}
			for _, w := range res.Worries {
				if len(w.ByParty) != 0 {
					t.Fatalf("%s: %s sees points per party: %+v", name, o.name, w)
				}
			}
			if j := mustJSON(t, res); final == "" {
				final = j
			} else if j != final {
				t.Fatalf("%s: the result depends on the order of the ballots: %s, want %s", name, j, final)
			}
		}
	}
	var r RankingResult
	_ = json.Unmarshal([]byte(final), &r)
	// Family side: Sanne w1 3 w2 2 w3 1, Henk w2 3 w1 2, Els w4 3 w3 2 w1 1;
	// Veilig Thuis (half each): Anouk w3 1.5 w1 1, Kim w3 1.5 w2 1 w4 0.5.
	// Totals: w1 7, w2 6, w3 6, w4 3.5; w2 has more first places than w3.
	if !slices.Equal(r.Top3, []string{c.w1, c.w2, c.w3}) || r.Voters != 5 ||
		!slices.Equal(r.ProfessionalTop3, []string{c.w3, c.w1, c.w2}) || len(r.PartyTop3) != 1 {
		t.Fatalf("result %s", final)
	}
}

func TestRankingRound(t *testing.T) {
	c := playBallots(t, Options{}).c
	setup := func(t *testing.T, opts Options) *table {
		b := playBallots(t, opts)
		return b.base
	}
	t.Run("OKCoordinatorCloses", func(t *testing.T) {
		tt := setup(t, Options{})
		tt.rank(c.sanne, c.w1, c.w2)
		tt.rank(c.henk, c.w2)
		evs := tt.do(coordinator, "ranking.close", nil)
		if len(evs) != 1 || evs[0].Name != EvRankingResult || evs[0].Scope != ScopeTable || !tt.m.RankingClosed {
			t.Fatalf("ranking.close: %+v", evs)
		}
		// Sanne and Henk are a family side of two: its top 3 is shown.
		if r := tt.m.ViewFor(Viewer{Role: RoleScreen}).Ranking; !r.Closed || r.Voters != 2 ||
			!slices.Equal(r.Top3, []string{c.w2, c.w1}) || !slices.Equal(r.FamilyTop3, []string{c.w2, c.w1}) {
			t.Fatalf("screen's result %+v", r)
		}
		tt.fails(participant(c.els), "ranking.set", map[string]any{"worryIds": []string{c.w1}}, ECodeRankingClosed)
		tt.fails(coordinator, "meeting.options.set", map[string]any{"showSingleTop3": true}, ECodeOptionsFrozen)
	})
	t.Run("OKOpenRoundShowsOnlyWho", func(t *testing.T) {
		tt := setup(t, Options{})
		evs := tt.do(participant(c.sanne), "ranking.set", map[string]any{"worryIds": []string{c.w1}})
		if len(evs) != 2 || evs[1].Name != EvRankingProgress {
			t.Fatalf("events %+v", evs)
		}
		// Changing a ballot changes nothing the table sees: no event for it.
		evs = tt.do(participant(c.sanne), "ranking.set", map[string]any{"worryIds": []string{c.w2, c.w1}})
		if len(evs) != 1 || evs[0].Name != EvRankingMine {
			t.Fatalf("a changed ballot sent %+v, want only ranking.mine", evs)
		}
		for _, v := range []Viewer{{Role: RoleCoordinator}, {Role: RoleScreen}, tt.m.ViewerFor(RoleParticipant, c.henk)} {
			r := tt.m.ViewFor(v).Ranking
			if r.Closed || len(r.Worries) != 0 || len(r.Top3) != 0 || !slices.Equal(r.RankedBy, []string{c.sanne}) {
				t.Fatalf("%s sees %+v while the round is open", v.Role, r)
			}
		}
	})
	t.Run("OKFrozenAfterRemoval", func(t *testing.T) {
		tt := setup(t, Options{})
		tt.rank(c.sanne, c.w1, c.w2)
		tt.rank(c.henk, c.w2)
		tt.rank(c.els, c.w3)
		tt.do(coordinator, "ranking.close", nil)
		before := mustJSON(t, tt.m.ViewFor(Viewer{Role: RoleScreen}).Ranking)
		evs := tt.do(coordinator, "participant.remove", map[string]string{"participantId": c.els})
		if len(evs) != 1 {
			t.Fatalf("removing a voter after the close sent %+v: the difference would be her ballot", evs)
		}
		if after := mustJSON(t, tt.m.ViewFor(Viewer{Role: RoleScreen}).Ranking); after != before {
			t.Fatalf("the result moved after the close: %s, was %s", after, before)
		}
		tt.phase(PhaseAgree)
		// The top 3 the table saw is the one to confirm without a reason.
		tt.do(coordinator, "agree.confirm", map[string]any{"worryIds": []string{c.w2, c.w1, c.w3}})
	})
	t.Run("OKAgreeClosesTheRound", func(t *testing.T) {
		tt := setup(t, Options{})
		tt.rank(c.sanne, c.w1)
		evs := tt.do(coordinator, "phase.set", map[string]string{"phase": "agree"})
		if evs[0].Name != EvRankingResult || !tt.m.RankingClosed {
			t.Fatalf("moving to agree sent %+v", evs)
		}
	})
	t.Run("OKBackToClusterReopens", func(t *testing.T) {
		tt := setup(t, Options{})
		tt.rank(c.sanne, c.w1)
		tt.do(coordinator, "ranking.close", nil)
		evs := tt.do(coordinator, "phase.set", map[string]string{"phase": "cluster"})
		if evs[0].Name != EvRankingProgress || tt.m.RankingClosed || tt.m.Published != nil {
			t.Fatalf("going back sent %+v", evs)
		}
		tt.phase(PhaseRank)
		tt.rank(c.henk, c.w2)
		if r := tt.m.ViewFor(Viewer{Role: RoleScreen}).Ranking; r.Closed || !slices.Equal(r.RankedBy, []string{c.sanne, c.henk}) {
			t.Fatalf("reopened round %+v", r)
		}
	})
	t.Run("OKShowSingleTop3", func(t *testing.T) {
		tt := setup(t, Options{})
		tt.do(coordinator, "meeting.options.set", map[string]any{"showSingleTop3": true})
		tt.silent(coordinator, "meeting.options.set", map[string]any{"showSingleTop3": true})
		tt.rank(c.henk, c.w2, c.w1)
		tt.rank(c.anouk, c.w3)
		tt.do(coordinator, "ranking.close", nil)
		r := tt.m.ViewFor(Viewer{Role: RoleScreen}).Ranking
		want := []PartyTop3{{c.father, []string{c.w2, c.w1}}, {c.vt, []string{c.w3}}}
		if !reflect.DeepEqual(r.PartyTop3, want) || !slices.Equal(r.ProfessionalTop3, []string{c.w3}) || len(r.Worries[0].ByParty) != 1 {
			t.Fatalf("with showSingleTop3: %+v", r)
		}
	})
	t.Run("OKShowPersonTop3", func(t *testing.T) {
		tt := setup(t, Options{ShowPersonTop3: true})
		tt.rank(c.sanne, c.w1, c.w2)
		tt.rank(c.henk, c.w2)
		tt.rank(c.anouk, c.w3)
		tt.do(coordinator, "ranking.close", nil)
		r := tt.m.ViewFor(Viewer{Role: RoleScreen}).Ranking
		want := []PersonTop3{{c.sanne, []string{c.w1, c.w2}}, {c.henk, []string{c.w2}}}
		if !reflect.DeepEqual(r.PersonTop3, want) || len(r.PartyTop3) != 0 {
			t.Fatalf("with showPersonTop3 (family only): %+v", r)
		}
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		tt := setup(t, Options{})
		tt.fails(participant(c.sanne), "ranking.close", nil, ECodeForbidden)
		tt.fails(participant(c.sanne), "meeting.options.set", map[string]any{"showSingleTop3": true}, ECodeForbidden)
	})
}

// A person who taps 3 first keeps place 3: an open place before it is kept
// (as "") and the worry gets the points of place 3, whichever order the taps came in.
func TestRankingKeepsTappedPlaces(t *testing.T) {
	for _, tc := range []struct {
		name string
		taps [][]string // the ballots the phone sends, tap by tap
	}{
		{"ThreeFirst", [][]string{{"", "", "W3"}, {"W1", "", "W3"}, {"W1", "W2", "W3"}}},
		{"OneFirst", [][]string{{"W1"}, {"W1", "", "W3"}, {"W1", "W2", "W3"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := playBallots(t, Options{})
			tt, c := b.base, b.c
			ids := map[string]string{"W1": c.w1, "W2": c.w2, "W3": c.w3, "": ""}
			for i, tap := range tc.taps {
				var ballot []string
				for _, x := range tap {
					ballot = append(ballot, ids[x])
				}
				tt.rank(c.sanne, ballot...)
				if got := tt.m.ViewFor(tt.m.ViewerFor(RoleParticipant, c.sanne)).MyRanking; !slices.Equal(got, ballot) {
					t.Fatalf("tap %d: my ranking %q, want %q (places kept)", i, got, ballot)
				}
				if i == 0 {
					p := points(tt.m.Ranking().Worries)
					want := map[string]float64{ids[tap[0]]: 3}
					if tap[0] == "" {
						want = map[string]float64{c.w3: 1}
					}
					for id, n := range want {
						if p[id] != n {
							t.Fatalf("after the first tap %v, want %v", p, want)
						}
					}
				}
			}
			if p := points(tt.m.Ranking().Worries); p[c.w1] != 3 || p[c.w2] != 2 || p[c.w3] != 1 {
				t.Fatalf("points %v", p)
			}
		})
	}
	t.Run("OnlyOpenPlacesIsNoBallot", func(t *testing.T) {
		b := playBallots(t, Options{})
		b.base.silent(participant(b.c.sanne), "ranking.set", map[string]any{"worryIds": []string{"", ""}})
	})
	t.Run("ErrDistinct", func(t *testing.T) {
		b := playBallots(t, Options{})
		b.base.fails(participant(b.c.sanne), "ranking.set", map[string]any{"worryIds": []string{b.c.w1, "", b.c.w1}}, ECodeInvalidInput)
		b.base.fails(participant(b.c.sanne), "ranking.set", map[string]any{"worryIds": []string{"", "", "", b.c.w1}}, ECodeInvalidInput)
	})
}

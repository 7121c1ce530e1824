package meeting

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// points returns each worry's points, for short assertions.
func points(ranked []RankedWorry) map[string]float64 {
	out := map[string]float64{}
	for _, r := range ranked {
		out[r.WorryID] = r.Points
	}
	return out
}

func order(ranked []RankedWorry) []string {
	out := []string{}
	for _, r := range ranked {
		out = append(out, r.WorryID)
	}
	return out
}

func cands(ids ...string) []Candidate {
	var out []Candidate
	for i, id := range ids {
		out = append(out, Candidate{ID: id, Order: int64(i + 1)})
	}
	return out
}

func ballot(pid, party string, worries ...string) Ballot {
	return Ballot{ParticipantID: pid, PartyID: party, WorryIDs: worries}
}

func TestAggregateBorda(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		got := Aggregate(WeightParty, cands("a", "b", "c", "d"), []Ballot{ballot("p1", "x", "c", "a", "b")})
		want := []RankedWorry{
			{WorryID: "c", Points: 3, FirstPlaces: 1, Position: 1, ByParty: []PartyPoints{{"x", 3}}},
			{WorryID: "a", Points: 2, Position: 2, ByParty: []PartyPoints{{"x", 2}}},
			{WorryID: "b", Points: 1, Position: 3, ByParty: []PartyPoints{{"x", 1}}},
			{WorryID: "d", Points: 0, Position: 4, ByParty: []PartyPoints{}},
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("got  %s\nwant %s", mustJSON(t, got), mustJSON(t, want))
		}
		if top := top3(got); !slices.Equal(top, []string{"c", "a", "b"}) {
			t.Fatalf("top3 %v", top)
		}
	})
	t.Run("OKOnlyThreePlacesCount", func(t *testing.T) {
		got := points(Aggregate(WeightPerson, cands("a", "b", "c", "d"), []Ballot{ballot("p1", "x", "a", "b", "c", "d")}))
		if got["d"] != 0 || got["c"] != 1 {
			t.Fatalf("points %v: a fourth place must get nothing", got)
		}
	})
	t.Run("OKNoBallots", func(t *testing.T) {
		got := Aggregate(WeightParty, []Candidate{{"w9", 9}, {"w3", 3}}, nil)
		if !slices.Equal(order(got), []string{"w3", "w9"}) || got[0].Points != 0 {
			t.Fatalf("got %s", mustJSON(t, got))
		}
		if top := top3(got); len(top) != 0 {
			t.Fatalf("top3 of nothing ranked = %v, want empty", top)
		}
	})
	t.Run("OKTop3SkipsUnrankedWorries", func(t *testing.T) {
		got := top3(Aggregate(WeightParty, cands("a", "b", "c"), []Ballot{ballot("p1", "x", "b", "a")}))
		if !slices.Equal(got, []string{"b", "a"}) {
			t.Fatalf("top3 %v, want only the two worries with points", got)
		}
	})
	t.Run("OKEmptyBallot", func(t *testing.T) {
		// A party whose only ballot is empty has no voters: it must neither panic
		// (1/0) nor dilute anything.
		bs := []Ballot{ballot("p1", "x", "a"), ballot("p2", "y"), ballot("p3", "x")}
		got := Aggregate(WeightParty, cands("a", "b"), bs)
		if p := points(got); p["a"] != 3 || p["b"] != 0 {
			t.Fatalf("points %v, want a=3", p)
		}
	})
}

func TestAggregateWeighting(t *testing.T) {
	t.Run("OKPartyIsMeanOfItsVoters", func(t *testing.T) {
		// Three professionals of one organisation against one mother.
		bs := []Ballot{
			ballot("mother", "family", "d"),
			ballot("pro1", "org", "a"),
			ballot("pro2", "org", "a"),
			ballot("pro3", "org", "b"),
		}
		party := Aggregate(WeightParty, cands("d", "a", "b"), bs)
		if p := points(party); p["d"] != 3 || p["a"] != 2 || p["b"] != 1 {
			t.Fatalf("party weighting %v, want d=3 a=2 b=1", p)
		}
		if party[0].WorryID != "d" {
			t.Fatalf("the organisation outweighs the mother: %v", order(party))
		}
		if got := party[1].ByParty; !reflect.DeepEqual(got, []PartyPoints{{"org", 2}}) {
			t.Fatalf("byParty %v, want the organisation's mean", got)
		}
		person := Aggregate(WeightPerson, cands("d", "a", "b"), bs)
		if p := points(person); p["d"] != 3 || p["a"] != 6 || p["b"] != 3 {
			t.Fatalf("person weighting %v, want a=6 d=3 b=3", p)
		}
		if !slices.Equal(order(person), []string{"a", "d", "b"}) {
			t.Fatalf("person order %v", order(person))
		}
	})
	t.Run("OKDifferentTop3", func(t *testing.T) {
		bs := []Ballot{
			ballot("sanne", "mother", "d", "e", "f"),
			ballot("henk", "father", "e", "d"),
			ballot("pro1", "org", "a", "b", "c"),
			ballot("pro2", "org", "a", "b", "c"),
			ballot("pro3", "org", "a", "b", "c"),
		}
		cs := cands("d", "e", "f", "a", "b", "c")
		party, person := top3(Aggregate(WeightParty, cs, bs)), top3(Aggregate(WeightPerson, cs, bs))
		if !slices.Equal(party, []string{"d", "e", "a"}) {
			t.Errorf("party top3 %v, want d e a", party)
		}
		if !slices.Equal(person, []string{"a", "b", "d"}) {
			t.Errorf("person top3 %v, want a b d", person)
		}
	})
	t.Run("OKInMeeting", func(t *testing.T) {
		for _, tc := range []struct {
			w    Weighting
			want []int // indexes into the worries d e f a b c
		}{
			{WeightParty, []int{0, 1, 3}},
			{WeightPerson, []int{3, 4, 0}},
		} {
			tt := newTable(t, Options{Weighting: tc.w})
			mother, father := tt.party("Moeder", KindFamily), tt.party("Vader", KindFamily)
			org := tt.party("Gebiedsteam", KindProfessional)
			sanne, henk := tt.join("Sanne", mother), tt.join("Henk", father)
			pros := []string{tt.join("Pro 1", org), tt.join("Pro 2", org), tt.join("Pro 3", org), tt.join("Pro 4", org)}
			tt.phase(PhaseWorries)
			var w []string
			for i, a := range []string{sanne, henk, sanne, pros[0], pros[1], pros[2]} {
				w = append(w, tt.worry(participant(a), fmt.Sprintf("Zorg %d", i)))
			}
			tt.do(coordinator, "reveal", nil)
			tt.phase(PhaseCluster)
			tt.phase(PhaseRank)
			tt.rank(sanne, w[0], w[1], w[2])
			tt.rank(henk, w[1], w[0])
			for _, p := range pros[:3] { // the fourth professional does not vote and does not dilute
				tt.rank(p, w[3], w[4], w[5])
			}
			r := tt.m.Ranking()
			var want []string
			for _, i := range tc.want {
				want = append(want, w[i])
			}
			if r.Weighting != tc.w || !slices.Equal(r.Top3, want) {
				t.Errorf("%s weighting: top3 %v, want %v", tc.w, r.Top3, want)
			}
			if tc.w == WeightParty && points(r.Worries)[w[3]] != 3 {
				t.Errorf("the organisation gave %v, want the mean of its three voters, 3", points(r.Worries)[w[3]])
			}
		}
	})
}

func TestAggregateTies(t *testing.T) {
	t.Run("OKMoreFirstPlaces", func(t *testing.T) {
		// y and x both get 3 points; x from one first place, y from a second and a third.
		bs := []Ballot{
			ballot("p1", "a", "x"),
			ballot("p2", "b", "z", "y"),
			ballot("p3", "c", "z", "w", "y"),
		}
		got := Aggregate(WeightParty, []Candidate{{"y", 1}, {"x", 2}, {"z", 3}, {"w", 4}}, bs)
		if p := points(got); p["x"] != 3 || p["y"] != 3 {
			t.Fatalf("points %v", p)
		}
		if !slices.Equal(order(got), []string{"z", "x", "y", "w"}) {
			t.Fatalf("order %v: x has the first place and must beat the earlier y", order(got))
		}
	})
	t.Run("OKEarlierWorry", func(t *testing.T) {
		// Same points, same first places: the earlier worry (lower Order) wins,
		// whatever its id says ("w10" sorts before "w9" as text).
		bs := []Ballot{ballot("p1", "a", "w10", "w9"), ballot("p2", "b", "w9", "w10")}
		got := Aggregate(WeightParty, []Candidate{{"w10", 10}, {"w9", 9}}, bs)
		if !slices.Equal(order(got), []string{"w9", "w10"}) {
			t.Fatalf("order %v, want the earlier worry w9 first", order(got))
		}
		if got[0].Position != 1 || got[1].Position != 2 {
			t.Fatalf("positions %d %d", got[0].Position, got[1].Position)
		}
	})
}

// TestAggregateExactThirds has two worries that tie at exactly 2 points, one of
// them made of thirds from parties of three. Adding 1/3+1/3+1+1/3 in float64 gives
// 1.9999999999999998, which would wrongly put the later worry first.
func TestAggregateExactThirds(t *testing.T) {
	bs := []Ballot{
		ballot("x1", "x", "c", "d", "a"), // a: 1/3
		ballot("x2", "x", "c", "d", "a"), // a: 1/3
		ballot("x3", "x", "c"),
		ballot("y1", "y", "e", "f", "a"), // a: 1
		ballot("z1", "z", "g", "h", "a"), // a: 1/3
		ballot("z2", "z", "g"),
		ballot("z3", "z", "g"),
		ballot("w1", "w", "i", "b"), // b: 2
	}
	var cs []Candidate
	for i, id := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i"} {
		cs = append(cs, Candidate{ID: id, Order: int64(i)})
	}
	rng := rand.New(rand.NewSource(3))
	for i := 0; i < 50; i++ {
		got := Aggregate(WeightParty, cs, bs)
		p := points(got)
		if p["a"] != 2 || p["b"] != 2 {
			t.Fatalf("a=%v b=%v, want exactly 2 each (ballots %v)", p["a"], p["b"], bs)
		}
		ia, ib := slices.Index(order(got), "a"), slices.Index(order(got), "b")
		if ia+1 != ib {
			t.Fatalf("order %v: a and b tie and a is earlier, so a must come just before b", order(got))
		}
		if p["d"] != 4.0/3 {
			t.Fatalf("d = %v, want 4/3", p["d"])
		}
		rng.Shuffle(len(bs), func(i, j int) { bs[i], bs[j] = bs[j], bs[i] })
	}
}

// TestAggregateOrderIndependent is a property test: for random candidates and
// ballots, shuffling the ballots and the candidates never changes the result.
func TestAggregateOrderIndependent(t *testing.T) {
	rng := rand.New(rand.NewSource(20261124))
	for iter := 0; iter < 500; iter++ {
		nc := rng.Intn(9)
		var cs []Candidate
		for i := 0; i < nc; i++ {
			cs = append(cs, Candidate{ID: fmt.Sprintf("w%d", i), Order: int64(rng.Intn(4))}) // equal orders happen
		}
		np := 1 + rng.Intn(5)
		var bs []Ballot
		for i, nb := 0, rng.Intn(15); i < nb; i++ {
			ids := []string{"gone"} // a worry that is no candidate (withdrawn, say)
			for _, c := range cs {
				ids = append(ids, c.ID)
			}
			rng.Shuffle(len(ids), func(a, b int) { ids[a], ids[b] = ids[b], ids[a] })
			n := min(rng.Intn(4), len(ids))
			bs = append(bs, Ballot{ParticipantID: fmt.Sprintf("p%d", i), PartyID: fmt.Sprintf("party%d", rng.Intn(np)), WorryIDs: ids[:n]})
		}
		w := WeightParty
		if rng.Intn(2) == 0 {
			w = WeightPerson
		}
		want := Aggregate(w, cs, bs)
		if len(want) != len(cs) {
			t.Fatalf("iteration %d: %d ranked for %d candidates", iter, len(want), len(cs))
		}
		for i, r := range want {
			if r.Position != i+1 || (i > 0 && r.Points > want[i-1].Points) {
				t.Fatalf("iteration %d: not in order: %s", iter, mustJSON(t, want))
			}
		}
		// The integer path and the rational one agree.
		if rat := aggregateRat(w, cs, bs); !reflect.DeepEqual(rat, want) {
			t.Fatalf("iteration %d: integer and rational sums differ\n%s\n%s", iter, mustJSON(t, want), mustJSON(t, rat))
		}
		for k := 0; k < 4; k++ {
			cs2, bs2 := slices.Clone(cs), slices.Clone(bs)
			rng.Shuffle(len(cs2), func(a, b int) { cs2[a], cs2[b] = cs2[b], cs2[a] })
			rng.Shuffle(len(bs2), func(a, b int) { bs2[a], bs2[b] = bs2[b], bs2[a] })
			if got := Aggregate(w, cs2, bs2); !reflect.DeepEqual(got, want) {
				t.Fatalf("iteration %d (%s): shuffling changed the result\ncandidates %v\nballots %v\nfirst %s\nthen  %s",
					iter, w, cs, bs, mustJSON(t, want), mustJSON(t, got))
			}
		}
	}
}

func TestMeetingRanking(t *testing.T) {
	t.Run("OKFamilyProfessionalAndPartyTop3", func(t *testing.T) {
		tt, c := playTo(t, PhaseRank, Options{})
		tt.rank(c.els, c.w4)
		r := tt.m.Ranking()
		// Overall: w1 3+2+2=7, w2 2+3=5, w3 1+3=4, w4 3 (first place, later worry).
		if !slices.Equal(r.Top3, []string{c.w1, c.w2, c.w3}) {
			t.Errorf("top3 %v", r.Top3)
		}
		// Family and network: w1 3+2=5, w2 2+3=5 (w1 earlier), w4 3, w3 1.
		if !slices.Equal(r.FamilyTop3, []string{c.w1, c.w2, c.w4}) {
			t.Errorf("familyTop3 %v, want w1 w2 w4 (the network counts with the family)", r.FamilyTop3)
		}
		if !slices.Equal(r.ProfessionalTop3, []string{c.w3, c.w1}) {
			t.Errorf("professionalTop3 %v, want Veilig Thuis's w3 w1", r.ProfessionalTop3)
		}
		want := []PartyTop3{
			{c.mother, []string{c.w1, c.w2, c.w3}},
			{c.father, []string{c.w2, c.w1}},
			{c.network, []string{c.w4}},
			{c.vt, []string{c.w3, c.w1}},
		}
		if !reflect.DeepEqual(r.PartyTop3, want) {
			t.Errorf("partyTop3 %+v, want %+v", r.PartyTop3, want)
		}
		if r.Voters != 4 || !slices.Equal(r.RankedBy, []string{c.sanne, c.henk, c.els, c.anouk}) {
			t.Errorf("voters %d rankedBy %v", r.Voters, r.RankedBy)
		}
	})
	t.Run("OKRankedByNeverWhat", func(t *testing.T) {
		tt, c := playTo(t, PhaseRank, Options{})
		var raw map[string]json.RawMessage
		if err := json.Unmarshal([]byte(mustJSON(t, tt.m.Ranking())), &raw); err != nil {
			t.Fatal(err)
		}
		var keys []string
		for k := range raw {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if want := []string{"closed", "familyTop3", "partyTop3", "personTop3", "professionalTop3", "rankedBy", "top3", "voters", "weighting", "worries"}; !slices.Equal(keys, want) {
			t.Fatalf("result fields %v, want %v", keys, want)
		}
		var by []string
		_ = json.Unmarshal(raw["rankedBy"], &by)
		if !slices.Equal(by, []string{c.sanne, c.henk, c.anouk}) {
			t.Fatalf("rankedBy %v", by)
		}
		delete(raw, "rankedBy")
		rest := mustJSON(t, raw)
		for _, p := range []string{c.sanne, c.henk, c.anouk, c.els} {
			if strings.Contains(rest, `"`+p+`"`) {
				t.Fatalf("the ranking result names participant %s outside rankedBy: %s", p, rest)
			}
		}
	})
	t.Run("OKMergedCountsForRoot", func(t *testing.T) {
		tt, c := playTo(t, PhaseRank, Options{})
		tt.rank(c.els, c.w4, c.w1, c.w2)
		if p := points(tt.m.Ranking().Worries); p[c.w1] != 9 || p[c.w2] != 6 || p[c.w4] != 3 {
			t.Fatalf("before merge %v", p)
		}
		tt.phase(PhaseCluster)
		evs := tt.do(coordinator, "worry.merge", map[string]string{"intoId": c.w1, "fromId": c.w4})
		// The round reopened when the table went back; a merge moves points, and
		// the table learns them only when the round closes again.
		if len(evs) != 1 || evs[0].Name != EvItemUpserted {
			t.Fatalf("a merge published %+v, want only the merged worry", evs)
		}
		r := tt.m.Ranking()
		// Els's ballot w4 w1 w2 now reads w1 w2: w1 gets her first place once, not 3+2.
		if p := points(r.Worries); len(p) != 3 || p[c.w1] != 10 || p[c.w2] != 7 || p[c.w3] != 4 {
			t.Fatalf("after merge %v, want w1=10 w2=7 w3=4 and no w4", p)
		}
		if fp := r.Worries[0].FirstPlaces; r.Worries[0].WorryID != c.w1 || fp != 2 {
			t.Fatalf("w1 first places %v, want Sanne's and Els's", fp)
		}
		tt.do(coordinator, "worry.unmerge", map[string]string{"itemId": c.w4})
		if p := points(tt.m.Ranking().Worries); p[c.w1] != 9 || p[c.w2] != 6 || p[c.w4] != 3 {
			t.Fatalf("after unmerge %v", p)
		}
	})
	t.Run("OKOnlyAdmittedCount", func(t *testing.T) {
		tt, c := playTo(t, PhaseRank, Options{})
		evs := tt.do(coordinator, "participant.remove", map[string]string{"participantId": c.henk})
		if last := evs[len(evs)-1]; last.Name != EvRankingProgress || strings.Contains(string(last.Data), c.w1) {
			t.Fatalf("removing a voter published %s %s, want ranking.progress without points", last.Name, last.Data)
		}
		r := tt.m.Ranking()
		if p := points(r.Worries); p[c.w1] != 5 || p[c.w2] != 2 || p[c.w3] != 4 {
			t.Fatalf("points %v: Henk's ballot still counts", p)
		}
		if r.Voters != 2 || slices.Contains(r.RankedBy, c.henk) || !slices.Equal(r.Top3, []string{c.w1, c.w3, c.w2}) {
			t.Fatalf("voters %d rankedBy %v top3 %v", r.Voters, r.RankedBy, r.Top3)
		}
		for _, pt := range r.PartyTop3 {
			if pt.PartyID == c.father {
				t.Fatalf("the father's party still has a top 3: %v", pt)
			}
		}
		evs = tt.do(Actor{Role: RoleJoiner}, "participant.join", map[string]string{"name": "Later", "partyId": c.vt})
		if len(evs) != 1 {
			t.Fatalf("a join that does not move the ranking published %d events", len(evs))
		}
	})
}

// A worry withdrawn after it was ranked (the table went back to the worries round)
// leaves the ballot: the places after it move up, and a ballot left empty does not
// count as a voter.
func TestRankingWithdrawnAfterRanking(t *testing.T) {
	tt := newTable(t, Options{})
	mother := tt.party("Moeder", KindFamily)
	vt := tt.party("Veilig Thuis", KindProfessional)
	sanne := tt.join("Sanne", mother)
	anouk := tt.join("Anouk", vt)
	tt.do(coordinator, "phase.set", map[string]string{"phase": "worries"})
	w1 := tt.worry(participant(sanne), "Geld")
	w2 := tt.worry(participant(sanne), "Rust")
	w3 := tt.worry(participant(anouk), "School")
	tt.do(coordinator, "reveal", map[string]string{"kind": "worry"})
	for _, p := range []Phase{PhaseCluster, PhaseRank} {
		tt.do(coordinator, "phase.set", map[string]string{"phase": string(p)})
	}
	tt.do(participant(sanne), "ranking.set", map[string]any{"worryIds": []string{w1, w2}})
	tt.do(participant(anouk), "ranking.set", map[string]any{"worryIds": []string{w3}})
	for _, p := range []Phase{PhaseCluster, PhaseWorries} {
		tt.do(coordinator, "phase.set", map[string]string{"phase": string(p)})
	}
	tt.do(participant(sanne), "worry.withdraw", map[string]string{"itemId": w1})
	tt.do(participant(anouk), "worry.withdraw", map[string]string{"itemId": w3})
	r := tt.m.Ranking()
	if r.Voters != 1 || len(r.Worries) != 1 || r.Worries[0].WorryID != w2 || r.Worries[0].Points != 3 {
		t.Fatalf("ranking after withdrawals = %+v, want only %s with 3 points from one voter", r, w2)
	}
}

// Party sizes whose least common multiple is too large for the integer path fall
// back to exact rationals: twelve parties of prime sizes 2 to 37.
func TestAggregateHugeScaleFallsBack(t *testing.T) {
	primes := []int{2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37}
	var bs []Ballot
	for i, p := range primes {
		for j := 0; j < p; j++ {
			first := "w1"
			if j == 0 {
				first = "w2" // one member of each party differs
			}
			bs = append(bs, ballot(fmt.Sprintf("p%d-%d", i, j), fmt.Sprintf("party%d", i), first))
		}
	}
	got := Aggregate(WeightParty, cands("w1", "w2"), bs)
	if got[0].WorryID != "w1" || !reflect.DeepEqual(got, aggregateRat(WeightParty, cands("w1", "w2"), bs)) {
		t.Fatalf("fallback result %s", mustJSON(t, got))
	}
}

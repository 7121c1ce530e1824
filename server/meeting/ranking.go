package meeting

import (
	"math/big"
	"sort"
)

// PartyPoints is what one party gave a worry.
type PartyPoints struct {
	PartyID string  `json:"partyId"`
	Points  float64 `json:"points"`
}

// RankedWorry is one worry's place in the aggregate, and where its points came from.
type RankedWorry struct {
	WorryID     string        `json:"worryId"`
	Points      float64       `json:"points"`
	FirstPlaces float64       `json:"firstPlaces"`
	Position    int           `json:"position"`
	ByParty     []PartyPoints `json:"byParty"`
}

// PartyTop3 is one party's own top 3.
type PartyTop3 struct {
	PartyID  string   `json:"partyId"`
	WorryIDs []string `json:"worryIds"`
}

// RankingResult is the aggregate: the shared top 3, the family's and the
// professionals' top 3 side by side, and each party's own. What the table is sent
// of it never holds an individual's ranking (see SharedRanking).
type RankingResult struct {
	Weighting        Weighting     `json:"weighting"`
	Voters           int           `json:"voters"`
	Worries          []RankedWorry `json:"worries"`
	Top3             []string      `json:"top3"`
	FamilyTop3       []string      `json:"familyTop3"`
	ProfessionalTop3 []string      `json:"professionalTop3"`
	PartyTop3        []PartyTop3   `json:"partyTop3"`
	// PersonTop3 is each family member's own top 3, only with Options.ShowPersonTop3.
	PersonTop3 []PersonTop3 `json:"personTop3"`
	RankedBy   []string     `json:"rankedBy"`
	// Closed is true for the result of a closed round; while the round is open the
	// table gets only RankedBy and Voters.
	Closed bool `json:"closed"`
}

// Ballot is one participant's ordered choice, best first.
type Ballot struct {
	ParticipantID string
	PartyID       string
	WorryIDs      []string
}

// Candidate is a worry that can be ranked; Order breaks the last tie (earlier first).
type Candidate struct {
	ID    string
	Order int64
}

// bordaPoints gives 3, 2, 1 points for places 1, 2, 3.
func bordaPoints(place int) int64 { return int64(3 - place) }

type tally struct {
	points, firsts *big.Rat
}

// Aggregate combines ballots with Borda 3/2/1. With WeightParty each party's points
// are the mean of its voting participants', so every party weighs the same; with
// WeightPerson every ballot counts once. Ties break on more first places, then on
// the earlier worry. The sums are exact, so the result is independent of the order
// of ballots and candidates: every party's mean is scaled by the least common
// multiple of the party sizes, which keeps them integers.
func Aggregate(w Weighting, candidates []Candidate, ballots []Ballot) []RankedWorry {
	voters := map[string]int64{}
	for _, b := range ballots {
		if len(b.WorryIDs) > 0 {
			voters[b.PartyID]++
		}
	}
	scale := int64(1)
	if w != WeightPerson {
		for _, n := range voters {
			scale = lcm(scale, n)
			if scale > 1<<40 {
				return aggregateRat(w, candidates, ballots)
			}
		}
	}
	type itally struct {
		id             string
		points, firsts int64
		byParty        map[string]int64
		order          int64
	}
	rows := make([]itally, len(candidates))
	index := make(map[string]int, len(candidates))
	for i, c := range candidates {
		rows[i] = itally{id: c.ID, order: c.Order}
		index[c.ID] = i
	}
	for _, b := range ballots {
		if len(b.WorryIDs) == 0 {
			continue // no voter: its party may have none, and n/0 would panic
		}
		weight := scale
		if w != WeightPerson {
			weight = scale / voters[b.PartyID]
		}
		for place, id := range b.WorryIDs {
			i, ok := index[id]
			if !ok || place > 2 {
				continue
			}
			t := &rows[i]
			p := weight * bordaPoints(place)
			t.points += p
			if place == 0 {
				t.firsts += weight
			}
			if t.byParty == nil {
				t.byParty = map[string]int64{}
			}
			t.byParty[b.PartyID] += p
		}
	}
	sort.Slice(rows, func(i, j int) bool {
		a, b := &rows[i], &rows[j]
		if a.points != b.points {
			return a.points > b.points
		}
		if a.firsts != b.firsts {
			return a.firsts > b.firsts
		}
		if a.order != b.order {
			return a.order < b.order
		}
		return a.id < b.id
	})
	out := make([]RankedWorry, len(rows))
	f := float64(scale)
	for i, t := range rows {
		rw := RankedWorry{WorryID: t.id, Points: float64(t.points) / f, FirstPlaces: float64(t.firsts) / f, Position: i + 1,
			ByParty: make([]PartyPoints, 0, len(t.byParty))}
		for pid, p := range t.byParty {
			rw.ByParty = append(rw.ByParty, PartyPoints{PartyID: pid, Points: float64(p) / f})
		}
		sort.Slice(rw.ByParty, func(a, b int) bool { return rw.ByParty[a].PartyID < rw.ByParty[b].PartyID })
		out[i] = rw
	}
	return out
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

func lcm(a, b int64) int64 { return a / gcd(a, b) * b }

// aggregateRat is Aggregate in arbitrary-precision rationals, for party sizes
// whose least common multiple does not fit the integer path.
func aggregateRat(w Weighting, candidates []Candidate, ballots []Ballot) []RankedWorry {
	order := map[string]int64{}
	for _, c := range candidates {
		order[c.ID] = c.Order
	}
	// Count voters per party for the mean.
	voters := map[string]int64{}
	for _, b := range ballots {
		if len(b.WorryIDs) > 0 {
			voters[b.PartyID]++
		}
	}
	total := map[string]*tally{}
	byParty := map[string]map[string]*big.Rat{}
	for _, c := range candidates {
		total[c.ID] = &tally{new(big.Rat), new(big.Rat)}
		byParty[c.ID] = map[string]*big.Rat{}
	}
	for _, b := range ballots {
		if len(b.WorryIDs) == 0 {
			continue // no voter: its party may have none, and 1/0 would panic
		}
		weight := big.NewRat(1, 1)
		if w != WeightPerson {
			weight = big.NewRat(1, voters[b.PartyID])
		}
		for place, id := range b.WorryIDs {
			t, ok := total[id]
			if !ok || place > 2 {
				continue
			}
			p := new(big.Rat).Mul(weight, big.NewRat(bordaPoints(place), 1))
			t.points.Add(t.points, p)
			if place == 0 {
				t.firsts.Add(t.firsts, weight)
			}
			if byParty[id][b.PartyID] == nil {
				byParty[id][b.PartyID] = new(big.Rat)
			}
			byParty[id][b.PartyID].Add(byParty[id][b.PartyID], p)
		}
	}
	ids := make([]string, 0, len(total))
	for id := range total {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		a, b := total[ids[i]], total[ids[j]]
		if c := a.points.Cmp(b.points); c != 0 {
			return c > 0
		}
		if c := a.firsts.Cmp(b.firsts); c != 0 {
			return c > 0
		}
		if order[ids[i]] != order[ids[j]] {
			return order[ids[i]] < order[ids[j]]
		}
		return ids[i] < ids[j]
	})
	out := make([]RankedWorry, len(ids))
	for i, id := range ids {
		pts, _ := total[id].points.Float64()
		fp, _ := total[id].firsts.Float64()
		rw := RankedWorry{WorryID: id, Points: pts, FirstPlaces: fp, Position: i + 1, ByParty: []PartyPoints{}}
		for pid, r := range byParty[id] {
			f, _ := r.Float64()
			rw.ByParty = append(rw.ByParty, PartyPoints{PartyID: pid, Points: f})
		}
		sort.Slice(rw.ByParty, func(a, b int) bool { return rw.ByParty[a].PartyID < rw.ByParty[b].PartyID })
		out[i] = rw
	}
	return out
}

// top3 returns the first three worries that received any points.
func top3(ranked []RankedWorry) []string {
	out := []string{}
	for _, r := range ranked {
		if len(out) == 3 || r.Points == 0 {
			break
		}
		out = append(out, r.WorryID)
	}
	return out
}

// PersonTop3 is one family member's own top 3, shown only when the meeting chose to.
type PersonTop3 struct {
	ParticipantID string   `json:"participantId"`
	WorryIDs      []string `json:"worryIds"`
}

// countedBallot is a ballot that counts, with the kind of its party.
type countedBallot struct {
	Ballot
	kind PartyKind
}

// ballots returns the ballots that count, in participant order: only admitted
// participants', and merged worries count for the worry they joined.
func (m *Meeting) ballots() []countedBallot {
	rankable := map[string]bool{}
	for _, it := range m.rankable() {
		rankable[it.ID] = true
	}
	var out []countedBallot
	for _, p := range m.Participants {
		ids, ok := m.Rankings[p.ID]
		if !ok || p.Status != StatusAdmitted {
			continue
		}
		party := m.Party(p.PartyID)
		if party == nil {
			continue
		}
		b := Ballot{ParticipantID: p.ID, PartyID: p.PartyID}
		seen := map[string]bool{}
		// A worry withdrawn since (by going back a round) leaves the ballot, and
		// the places after it move up.
		counted := false
		for _, id := range ids {
			if id == "" {
				b.WorryIDs = append(b.WorryIDs, "") // an open place keeps the places after it
				continue
			}
			r := m.root(id)
			if !seen[r] && rankable[r] {
				seen[r] = true
				b.WorryIDs = append(b.WorryIDs, r)
				counted = true
			}
		}
		for len(b.WorryIDs) > 0 && b.WorryIDs[len(b.WorryIDs)-1] == "" {
			b.WorryIDs = b.WorryIDs[:len(b.WorryIDs)-1]
		}
		if counted {
			out = append(out, countedBallot{b, party.Kind})
		}
	}
	return out
}

// Ranking computes the full result of the meeting's rankings. It is what the
// ballots add up to, including the top 3 of parties of one person: the table is
// sent SharedRanking or RankingProgress, never this.
func (m *Meeting) Ranking() RankingResult {
	var cands []Candidate
	for _, it := range m.rankable() {
		cands = append(cands, Candidate{ID: it.ID, Order: it.Order})
	}
	var all, family, prof []Ballot
	perParty := map[string][]Ballot{}
	res := RankingResult{Weighting: m.Options.Weighting, RankedBy: []string{}, PartyTop3: []PartyTop3{}, PersonTop3: []PersonTop3{}}
	for _, b := range m.ballots() {
		all = append(all, b.Ballot)
		perParty[b.PartyID] = append(perParty[b.PartyID], b.Ballot)
		if b.kind == KindProfessional {
			prof = append(prof, b.Ballot)
		} else {
			family = append(family, b.Ballot)
		}
		res.RankedBy = append(res.RankedBy, b.ParticipantID)
	}
	res.Voters = len(all)
	res.Worries = Aggregate(m.Options.Weighting, cands, all)
	if res.Worries == nil {
		res.Worries = []RankedWorry{}
	}
	res.Top3 = top3(res.Worries)
	res.FamilyTop3 = top3(Aggregate(m.Options.Weighting, cands, family))
	res.ProfessionalTop3 = top3(Aggregate(m.Options.Weighting, cands, prof))
	for _, party := range m.Parties {
		if bs := perParty[party.ID]; len(bs) > 0 {
			res.PartyTop3 = append(res.PartyTop3, PartyTop3{PartyID: party.ID, WorryIDs: top3(Aggregate(m.Options.Weighting, cands, bs))})
		}
	}
	return res
}

// RankingProgress is what the table sees while the round is open: who has
// ranked, and nothing that moves with a ballot.
func (m *Meeting) RankingProgress() RankingResult {
	res := emptyResult(m.Options.Weighting)
	for _, b := range m.ballots() {
		res.RankedBy = append(res.RankedBy, b.ParticipantID)
	}
	res.Voters = len(res.RankedBy)
	return res
}

func emptyResult(w Weighting) RankingResult {
	return RankingResult{Weighting: w, Worries: []RankedWorry{}, Top3: []string{}, FamilyTop3: []string{},
		ProfessionalTop3: []string{}, PartyTop3: []PartyTop3{}, PersonTop3: []PersonTop3{}, RankedBy: []string{}}
}

// SharedRanking is the result the table is sent when the round closes. Any part
// that would be one person's ballot is left out unless the meeting chose to show
// it: points per party (the total minus the others' would give the rest away),
// the own top 3 of a party with one voter, and the family's or the
// professionals' top 3 when that side has one voter.
func (m *Meeting) SharedRanking() RankingResult {
	res := m.Ranking()
	res.Closed = true
	if !m.Options.ShowSingleTop3 {
		perParty := map[string]int{}
		perSide := map[bool]int{}
		for _, b := range m.ballots() {
			perParty[b.PartyID]++
			perSide[b.kind == KindProfessional]++
		}
		for i := range res.Worries {
			res.Worries[i].ByParty = []PartyPoints{}
		}
		kept := []PartyTop3{}
		for _, pt := range res.PartyTop3 {
			if perParty[pt.PartyID] > 1 {
				kept = append(kept, pt)
			}
		}
		res.PartyTop3 = kept
		if perSide[false] == 1 {
			res.FamilyTop3 = []string{}
		}
		if perSide[true] == 1 {
			res.ProfessionalTop3 = []string{}
		}
	}
	if m.Options.ShowPersonTop3 {
		for _, b := range m.ballots() {
			if b.kind == KindFamily {
				ids := []string{}
				for _, id := range b.WorryIDs {
					if id != "" {
						ids = append(ids, id)
					}
				}
				res.PersonTop3 = append(res.PersonTop3, PersonTop3{ParticipantID: b.ParticipantID, WorryIDs: ids})
			}
		}
	}
	return res
}

// rankable lists the worries that can be ranked: revealed, not withdrawn, not merged away.
func (m *Meeting) rankable() []Item {
	var out []Item
	for _, it := range m.Items {
		if it.Kind == KindWorry && it.Revealed && !it.Withdrawn && it.MergedInto == "" {
			out = append(out, it)
		}
	}
	return out
}

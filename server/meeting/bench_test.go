package meeting

import (
	"fmt"
	"testing"
)

// benchTable is a busy meeting in the ranking round: 5 parties, 15 people,
// 30 revealed worries, everyone ranked.
func benchTable(b *testing.B) (*table, []string) {
	b.Helper()
	tt := newTable(b, Options{})
	var parties []string
	for i, kind := range []PartyKind{KindFamily, KindFamily, KindNetwork, KindProfessional, KindProfessional} {
		parties = append(parties, tt.party(fmt.Sprintf("Partij %d", i), kind))
	}
	var people []string
	for i := 0; i < 15; i++ {
		people = append(people, tt.join(fmt.Sprintf("Persoon %d", i), parties[i%len(parties)]))
	}
	tt.do(coordinator, "phase.set", map[string]string{"phase": "worries"})
	var worries []string
	for i := 0; i < 30; i++ {
		worries = append(worries, tt.worry(participant(people[i%len(people)]), fmt.Sprintf("Zorg nummer %d", i)))
	}
	tt.do(coordinator, "reveal", map[string]string{"kind": "worry"})
	tt.do(coordinator, "phase.set", map[string]string{"phase": "cluster"})
	tt.do(coordinator, "phase.set", map[string]string{"phase": "rank"})
	for i, p := range people {
		tt.do(participant(p), "ranking.set", map[string]any{"worryIds": []string{worries[i%30], worries[(i+7)%30], worries[(i+13)%30]}})
	}
	return tt, people
}

// BenchmarkDecideRanking measures the domain's cost of one ranking change in a
// busy meeting, including the new aggregate it publishes.
func BenchmarkDecideRanking(b *testing.B) {
	tt, people := benchTable(b)
	ids := []string{}
	for _, it := range tt.m.Items {
		ids = append(ids, it.ID)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		data := []byte(fmt.Sprintf(`{"worryIds":["%s","%s"]}`, ids[i%30], ids[(i+1)%30]))
		if _, _, err := tt.m.Decide(Command{Name: "ranking.set", Data: data, Actor: participant(people[i%len(people)])}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRanking measures the aggregate alone: 30 worries, 15 ballots, party weighting.
func BenchmarkRanking(b *testing.B) {
	tt, _ := benchTable(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if r := tt.m.Ranking(); len(r.Top3) != 3 {
			b.Fatal(r.Top3)
		}
	}
}

// BenchmarkViewFor measures building a snapshot for one phone.
func BenchmarkViewFor(b *testing.B) {
	tt, people := benchTable(b)
	v := tt.m.ViewerFor(RoleParticipant, people[0])
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if view := tt.m.ViewFor(v); len(view.Items) != 30 {
			b.Fatal(len(view.Items))
		}
	}
}

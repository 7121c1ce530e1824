package meeting

import (
	"encoding/json"

	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// FuzzCleanText checks the text rule on any input: what it accepts is valid,
// NFC, trimmed, within the limit, free of control characters, and clean again
// unchanged; what it refuses is refused as invalid_input.
func FuzzCleanText(f *testing.F) {
	for _, s := range []string{"", " a ", "Te weinig geld", "e\u0301", "a\r\nb", "a\rb", "\u202e", "\t", "ı̇", strings.Repeat("é", 501), "\xff"} {
		f.Add(s, true)
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, s string, multiline bool) {
		out, err := CleanText("text", s, MaxTextLen, multiline, false)
		if err != nil {
			if ErrorCode(err) != ECodeInvalidInput {
				t.Fatalf("refused with %q, want invalid_input", ErrorCode(err))
			}
			return
		}
		if !utf8.ValidString(out) || !norm.NFC.IsNormalString(out) {
			t.Fatalf("accepted %q as %q: not valid NFC", s, out)
		}
		if out == "" || out != strings.TrimSpace(out) || utf8.RuneCountInString(out) > MaxTextLen {
			t.Fatalf("accepted %q as %q: empty, untrimmed or too long", s, out)
		}
		for _, r := range out {
			if r == '\r' || (!multiline && (r == '\n' || r == '\t')) || (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f {
				t.Fatalf("accepted %q as %q with control character %U", s, out, r)
			}
		}
		again, err := CleanText("text", out, MaxTextLen, multiline, false)
		if err != nil || again != out {
			t.Fatalf("cleaning %q again gave %q, %v", out, again, err)
		}
	})
}

// fuzzActors are who sends the commands of FuzzDecide: the coordinator, a
// joiner, and the participants (by index into the meeting's participants).
const fuzzActors = 6

var fuzzCommands = []string{
	"participant.join", "participant.admit", "participant.remove", "meeting.lock", "meeting.unlock", "party.add",
	"phase.set", "strength.add", "worry.add", "worry.edit", "worry.withdraw", "reveal", "worry.merge", "worry.unmerge",
	"ranking.set", "agree.confirm", "agree.dissent", "agree.akkoord", "plan.goal.set", "plan.action.add",
	"plan.details.set", "meeting.close",
}

// fuzzReader hands out the fuzzer's bytes one decision at a time; when they run
// out every choice is 0.
type fuzzReader struct{ b []byte }

func (r *fuzzReader) next(n int) int {
	if len(r.b) == 0 || n <= 0 {
		return 0
	}
	v := int(r.b[0]) % n
	r.b = r.b[1:]
	return v
}

func (r *fuzzReader) pick(ids []string) string {
	if len(ids) == 0 {
		return "x"
	}
	i := r.next(len(ids) + 1)
	if i == len(ids) {
		return "w999" // an id that is not there
	}
	return ids[i]
}

// fuzzCommand makes the next command from the fuzzer's bytes, with ids taken
// from the meeting as it is, so that many commands are accepted.
func fuzzCommand(r *fuzzReader, m *Meeting) Command {
	var items, worries, parties, people []string
	for _, it := range m.Items {
		items = append(items, it.ID)
		if it.Kind == KindWorry {
			worries = append(worries, it.ID)
		}
	}
	for _, p := range m.Parties {
		parties = append(parties, p.ID)
	}
	for _, p := range m.Participants {
		people = append(people, p.ID)
	}
	var actor Actor
	switch a := r.next(fuzzActors); a {
	case 0, 1:
		actor = Actor{Role: RoleCoordinator}
	case 2:
		actor = Actor{Role: RoleJoiner}
	default:
		actor = Actor{Role: RoleParticipant, ParticipantID: r.pick(people)}
	}
	name := fuzzCommands[r.next(len(fuzzCommands))]
	texts := []string{"Te weinig geld", "Geen rust", " ", "e\u0301", strings.Repeat("a", 501)}
	text := texts[r.next(len(texts))]
	data := map[string]any{}
	switch name {
	case "participant.join":
		data["name"], data["partyId"] = []string{"Ans", "Els", ""}[r.next(3)], r.pick(parties)
	case "participant.admit", "participant.remove":
		data["participantId"] = r.pick(people)
	case "party.add":
		data["name"], data["kind"] = text, []string{"family", "network", "professional", "x"}[r.next(4)]
	case "phase.set":
		data["phase"] = Phases[r.next(len(Phases))]
	case "strength.add", "worry.add", "agree.dissent":
		data["text"] = text
		if actor.Role == RoleCoordinator && r.next(2) == 1 {
			data["partyId"] = r.pick(parties)
		}
	case "worry.edit":
		data["itemId"], data["text"] = r.pick(items), text
	case "worry.withdraw", "worry.unmerge":
		data["itemId"] = r.pick(items)
	case "reveal":
		data["kind"] = []string{"worry", "strength"}[r.next(2)]
		if r.next(2) == 1 {
			data["partyId"] = r.pick(parties)
		}
	case "worry.merge":
		data["intoId"], data["fromId"] = r.pick(worries), r.pick(worries)
	case "ranking.set", "agree.confirm":
		var ids []string
		for n := r.next(5); n > 0; n-- {
			ids = append(ids, r.pick(worries))
		}
		data["worryIds"] = ids
		if name == "agree.confirm" && r.next(2) == 1 {
			data["reason"] = text
		}
	case "plan.goal.set":
		data["worryId"], data["goal"], data["scoreNow"] = r.pick(worries), text, r.next(12)
	case "plan.action.add":
		data["worryId"], data["what"], data["ownerPartyId"], data["due"] = r.pick(worries), text, r.pick(parties), "2026-12-24"
	case "plan.details.set":
		data["regisseurPartyId"], data["regisseurRole"], data["nextEvaluation"] = r.pick(parties), "regisseur", "2027-01-15"
	}
	raw, _ := json.Marshal(data)
	return Command{Name: name, Data: raw, Actor: actor, Now: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)}
}

// FuzzDecide plays random command sequences and checks the domain's invariants
// after every accepted command: seq grows by one per event and never repeats;
// replaying the events gives the same state; no viewer is sent or shown a draft
// that is not theirs; the ranking equals one computed afresh from the replay.
func FuzzDecide(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{2, 0, 0, 0, 0, 1, 1, 1, 6, 3, 3, 8, 0, 3, 8, 1, 0, 11, 0, 0, 6, 4, 3, 14, 2})
	f.Add([]byte("a random walk through a meeting, byte by byte, long enough to reach the plan"))
	f.Fuzz(func(t *testing.T, script []byte) {
		start := New(Header{ID: "m1", FamilyLabel: "Gezin F.", Options: Options{StrengthsRound: len(script)%2 == 1}})
		m, _, err := start.PrepareParties([]NewParty{{Name: "Moeder", Kind: KindFamily}, {Name: "Buurvrouw", Kind: KindNetwork}, {Name: "Veilig Thuis", Kind: KindProfessional}})
		if err != nil {
			t.Fatal(err)
		}
		base := m.Clone()
		var log []Event
		r := &fuzzReader{b: script}
		for steps := 0; len(r.b) > 0 && steps < 100; steps++ {
			cmd := fuzzCommand(r, m)
			before, _ := json.Marshal(m)
			next, events, err := m.Decide(cmd)
			if after, _ := json.Marshal(m); string(after) != string(before) {
				t.Fatalf("%s changed the meeting it decided on", cmd.Name)
			}
			if err != nil {
				if ErrorCode(err) == ECodeInternal || ErrorCode(err) == "" {
					t.Fatalf("%s %s: %v", cmd.Name, cmd.Data, err)
				}
				continue
			}
			for i, ev := range events {
				if ev.Seq != m.Seq+int64(i)+1 {
					t.Fatalf("%s: event %d has seq %d after %d", cmd.Name, i, ev.Seq, m.Seq)
				}
			}
			if next.Seq != m.Seq+int64(len(events)) {
				t.Fatalf("%s: seq %d after %d events from %d", cmd.Name, next.Seq, len(events), m.Seq)
			}
			log = append(log, events...)
			m = next
			checkViews(t, m, events)
		}
		checkReplay(t, base, m, log)
	})
}

// checkReplay checks that replaying the log gives the decided state, and its
// ranking equals one computed afresh.
func checkReplay(t *testing.T, base, m *Meeting, log []Event) {
	t.Helper()
	replay := base.Clone()
	for _, ev := range log {
		if err := replay.Apply(ev); err != nil {
			t.Fatalf("replay seq %d: %v", ev.Seq, err)
		}
	}
	got, _ := json.Marshal(replay)
	want, _ := json.Marshal(m)
	if string(got) != string(want) {
		t.Fatalf("replaying the events gives another state:\n got %s\nwant %s", got, want)
	}
	if !reflect.DeepEqual(replay.Ranking(), m.Ranking()) {
		t.Fatal("the ranking differs from one computed afresh")
	}
}

// checkViews checks that no viewer sees, or is sent, a draft that is not
// theirs, and that a published ranking equals the meeting's.
func checkViews(t *testing.T, m *Meeting, events []Event) {
	t.Helper()
	for _, ev := range events {
		if ev.Name != EvRankingResult {
			continue
		}
		var d resultData
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(m.Ranking())
		got, _ := json.Marshal(d.Result)
		if string(got) != string(want) {
			t.Fatalf("published ranking %s, computed afresh %s", got, want)
		}
	}
	viewers := []Viewer{{Role: RoleCoordinator}, {Role: RoleScreen}}
	for _, p := range m.Participants {
		viewers = append(viewers, m.ViewerFor(RoleParticipant, p.ID))
	}
	for _, v := range viewers {
		view := m.ViewFor(v)
		for _, it := range view.Items {
			if !it.Revealed && !ownDraft(v, it) {
				t.Fatalf("%s %s sees draft %s of %v", v.Role, v.ParticipantID, it.ID, it.AuthorIDs)
			}
		}
		if v.Role != RoleCoordinator && v.Role != RoleScreen && !v.Admitted && len(view.Items) > 0 {
			t.Fatalf("pending %s sees items", v.ParticipantID)
		}
		for _, ev := range events {
			if ev.Name != EvItemUpserted || !v.CanSee(ev) {
				continue
			}
			var d itemData
			if err := json.Unmarshal(ev.Data, &d); err != nil {
				t.Fatal(err)
			}
			if !d.Item.Revealed && !ownDraft(v, d.Item) {
				t.Fatalf("%s %s is sent draft %s of %v", v.Role, v.ParticipantID, d.Item.ID, d.Item.AuthorIDs)
			}
		}
		if v.Role == RoleScreen && len(view.MyRanking) > 0 {
			t.Fatal("the screen sees an individual ranking")
		}
	}
	for _, ev := range events {
		if ev.Name == EvRankingMine && ev.Scope != ScopePrivate {
			t.Fatalf("ranking.mine with scope %s", ev.Scope)
		}
	}
}

// ownDraft says whether a draft is the viewer's own to see: its author's, or
// the coordinators' for one typed on behalf of a party.
func ownDraft(v Viewer, it Item) bool {
	if it.OnBehalf {
		return v.Role == RoleCoordinator
	}
	return v.Role == RoleParticipant && slices.Contains(it.AuthorIDs, v.ParticipantID)
}

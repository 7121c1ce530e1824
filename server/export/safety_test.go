package export

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/tafel-met/tafel/server/meeting"
	"golang.org/x/text/unicode/norm"
)

// The reporter in the Signs of Safety fixture: no export may name them.
const fixtureReporter = "Melding door juf Bakker van De Regenboog"

// safetyCast is who and what the Signs of Safety fixture made.
type safetyCast struct {
	sanne meeting.Actor
}

// fixtureSafety plays a meeting in the Signs of Safety shape of an invented
// family: an interpreter and a support person at the table, a worry of Veilig
// Thuis with a protected source, existing safety and a complicating factor,
// worry statements with safety goals, a scaling question per worry and one for
// the whole plan with per-party scores, a condition of Veilig Thuis answered by a
// safety agreement with a plan B, a second condition waived, the child's three
// houses brought by the neighbour, and the regisseur's contact.
func fixtureSafety(tb testing.TB, closed bool) (*meeting.Meeting, safetyCast) {
	tb.Helper()
	t := &table{tb: tb, m: meeting.New(meeting.Header{ID: "m-0003", FamilyLabel: "Gezin J.", Title: "Veiligheidsgesprek",
		Date: "2026-12-01", Options: meeting.Options{Shape: meeting.ShapeSafety}})}
	mother := t.party("Moeder", meeting.KindFamily)
	father := t.party("Vader", meeting.KindFamily)
	neighbour := t.party("Buurvrouw", meeting.KindNetwork)
	support := t.party("Oom", meeting.KindSupport)
	interpreter := t.party("Tolk Arabisch", meeting.KindInterpreter)
	vt := t.party("Veilig Thuis", meeting.KindProfessional)
	gi := t.party("Jeugdbescherming", meeting.KindProfessional)

	sanne := t.join("Sanne", mother)
	ahmed := t.join("Ahmed", father)
	zoe := t.join("Zoë", neighbour)
	t.join("Karim", support)
	t.join("Layla", interpreter)
	francois := t.join("François", vt)
	lucja := t.join("Łucja", gi)

	t.do(coordinator, "phase.set", map[string]string{"phase": "worries"})
	hit := t.item(francois, "worry", "Er zijn zorgen over hoe veilig Kim thuis is")
	t.do(francois, "worry.source.set", map[string]string{"itemId": hit, "source": fixtureReporter})
	t.do(francois, "worry.wording.check", map[string]string{"itemId": hit})
	anger := t.item(sanne, "worry", "Ahmed wordt snel boos")
	money := t.item(ahmed, "worry", arabicWorry, "financien")
	t.item(zoe, "worry", "Kim is vaak alleen thuis")
	t.do(sanne, "safety.note.add", map[string]string{"kind": "existing", "text": "Oma haalt Kim elke dag van school"})
	t.do(coordinator, "safety.note.add", map[string]string{"kind": "complicating", "text": "Ahmed drinkt in het weekend", "partyId": vt})
	t.do(coordinator, "child.houses.set", map[string]string{"childName": "Kim", "worries": "Als papa boos is ben ik bang",
		"goesWell": "Voetballen met oma", "wishes": "Dat papa en mama rustig praten"})
	t.do(coordinator, "reveal", map[string]string{"kind": "worry"})
	t.do(coordinator, "phase.set", map[string]string{"phase": "cluster"})
	t.do(coordinator, "phase.set", map[string]string{"phase": "rank"})
	for _, a := range []meeting.Actor{sanne, ahmed, zoe, francois, lucja} {
		t.do(a, "ranking.set", map[string]any{"worryIds": []string{hit, anger, money}})
	}
	t.do(coordinator, "phase.set", map[string]string{"phase": "agree"})
	t.do(coordinator, "agree.confirm", map[string]any{"worryIds": []string{hit, anger, money}})
	t.do(sanne, "agree.akkoord", nil)
	t.do(coordinator, "phase.set", map[string]string{"phase": "plan"})

	t.do(coordinator, "safety.statement.set", map[string]string{"worryId": hit, "worried": "Veilig Thuis en de school",
		"happened": "Kim kwam twee keer met blauwe plekken op school.", "mayHappen": "Kim raakt gewond of is steeds bang.",
		"disagreement": "Ahmed zegt dat Kim gevallen is.", "safetyGoal": "Iedereen ziet dat Kim thuis veilig is en niet bang.", "goalDuration": "6 maanden"})
	t.do(coordinator, "safety.statement.set", map[string]string{"worryId": anger, "worried": "Sanne",
		"happened": "Ahmed schreeuwt als er ruzie is.", "mayHappen": "Kim durft niet meer thuis te zijn.",
		"safetyGoal": "Ruzies worden zonder schreeuwen opgelost.", "goalDuration": "3 maanden"})
	t.do(coordinator, "plan.goal.set", map[string]any{"worryId": money, "goal": "Elke maand rond komen", "scoreNow": 3})
	scaleEvs := t.do(coordinator, "safety.scale.set", map[string]string{"worryId": hit, "question": "Hoe veilig is Kim thuis?",
		"tenMeans": "Iedereen weet dat Kim thuis veilig is", "zeroMeans": "Kim kan vandaag niet thuis blijven"})
	scale := safetyPlanOf(tb, scaleEvs).Scales[0].ID
	t.do(sanne, "safety.score.set", map[string]any{"scaleId": scale, "score": 7})
	t.do(ahmed, "safety.score.set", map[string]any{"scaleId": scale, "score": 8})
	t.do(francois, "safety.score.set", map[string]any{"scaleId": scale, "score": 3})
	t.do(coordinator, "safety.scale.set", map[string]string{"question": "Hoe goed werkt het plan?",
		"tenMeans": "Het plan werkt en niemand maakt zich meer zorgen", "zeroMeans": "Er is geen plan"})
	condEvs := t.do(francois, "safety.condition.set", map[string]string{"text": "Vader gebruikt geen alcohol in het bijzijn van het kind",
		"plain": "Papa drinkt geen alcohol als Kim thuis is"})
	conds := safetyPlanOf(tb, condEvs).Conditions
	condEvs = t.do(lucja, "safety.condition.set", map[string]string{"text": "=Opvoedondersteuning binnen vier weken gestart", "plain": "Jullie krijgen snel hulp bij de opvoeding"})
	second := safetyPlanOf(tb, condEvs).Conditions[1].ID
	t.do(lucja, "safety.condition.resolve", map[string]string{"conditionId": second, "status": "waived", "reason": "De hulp is al gestart"})
	t.do(coordinator, "safety.agreement.add", map[string]any{"what": "Ahmed drinkt niet als Kim thuis is", "doerPartyId": father,
		"checkerPartyId": vt, "watcherPartyIds": []string{neighbour, support}, "planB": "Oma haalt Kim op en belt Veilig Thuis",
		"answers": []string{conds[0].ID}})
	t.do(coordinator, "plan.action.add", map[string]any{"worryId": money, "what": "Budgetcoach aanvragen", "ownerPartyId": gi, "due": "2027-01-15"})
	var child string
	for _, c := range t.m.ViewFor(meeting.Viewer{Role: meeting.RoleCoordinator}).Safety.Children {
		child = c.ID
	}
	t.do(coordinator, "child.voice.bring", map[string]string{"childId": child, "bringerId": zoe.ParticipantID, "story": "Kim wil graag thuis blijven wonen."})
	t.do(coordinator, "plan.details.set", map[string]any{"regisseurPartyId": gi, "regisseurRole": "Jeugdbeschermer", "nextEvaluation": "2027-03-01"})
	t.do(coordinator, "plan.contact.set", map[string]string{"role": "Jeugdbeschermer", "organisation": "Jeugdbescherming Voorbeeld",
		"phone": "088 123 4567", "email": "regie@example.org"})
	if closed {
		t.do(coordinator, "meeting.close", nil)
	}
	return t.m, safetyCast{sanne: sanne}
}

func safetyPlanOf(tb testing.TB, evs []meeting.Event) meeting.SafetyPlan {
	tb.Helper()
	var d struct{ Safety meeting.SafetyPlan }
	if err := json.Unmarshal(evs[len(evs)-1].Data, &d); err != nil {
		tb.Fatal(err)
	}
	return d.Safety
}

func TestSafetyGolden(t *testing.T) {
	m, _ := fixtureSafety(t, true)
	doc := func(l Lang) Document { return FromMeeting(m, &m.Versions[0], l, time.Time{}) }
	for _, tc := range []struct {
		name string
		doc  Document
		f    Format
	}{
		{"safety.nl.md", doc(Dutch), Markdown},
		{"safety.en.md", doc(English), Markdown},
		{"safety.ar.md", doc(Arabic), Markdown},
		{"safety.json", doc(Dutch), JSON},
		{"safety.csv", doc(Dutch), CSV},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Render(tc.doc, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(got), "Bakker") {
				t.Fatalf("%s names the reporter", tc.name)
			}
			golden(t, tc.name, got)
		})
	}
}

// TestFamilyPDF is the family's own PDF, made from what a family member sees:
// every part of the safety plan, the condition in plain words, who was there in
// what role, how to reach the regisseur, and never the reporter.
func TestFamilyPDF(t *testing.T) {
	m, c := fixtureSafety(t, true)
	view := m.ViewFor(m.ViewerFor(meeting.RoleParticipant, c.sanne.ParticipantID))
	pdf, err := WritePDF(FromView(view, nil, Dutch, time.Time{}))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(resultsDir(t), "safety.nl.pdf"), pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	raw, _ := pdfText(t, pdf)
	text := strings.Join(strings.Fields(raw), " ")
	for _, want := range []string{"Tolk Arabisch (tolk)", "Layla", "Oom (steunpersoon)", "Karim",
		"Wat houdt het kind nu al veilig", "Oma haalt Kim elke dag van school", "Wat maakt het moeilijker", "Ahmed drinkt in het weekend",
		"Wat zegt het kind zelf", "Verteld door Zoë", "Huis van dromen", "Dat papa en mama rustig praten",
		"Wie maakt zich zorgen", "Veilig Thuis en de school", "Wat kan er met het kind gebeuren als er niets verandert",
		"Wie ziet het anders", "Ahmed zegt dat Kim gevallen is.", "Iedereen ziet dat Kim thuis veilig is en niet bang.", "6 maanden",
		"Hoe veilig is Kim thuis?", "10 betekent: Iedereen weet dat Kim thuis veilig is", "0 betekent: Kim kan vandaag niet thuis blijven",
		"Veiligheidsplan", "Ahmed drinkt niet als Kim thuis is", "Plan B als het niet lukt", "Oma haalt Kim op en belt Veilig Thuis",
		"Voorwaarden", "Papa drinkt geen alcohol als Kim thuis is", "staat nog open", "is vervallen", "De hulp is al gestart",
		"Zo bereikt u de regisseur", "Jeugdbescherming Voorbeeld", "088 123 4567", "regie@example.org"} {
		if !strings.Contains(text, want) {
			t.Errorf("the family PDF lacks %q", want)
		}
	}
	for _, never := range []string{"Bakker", "Vader gebruikt geen alcohol in het bijzijn"} {
		if strings.Contains(text, never) {
			t.Errorf("the family PDF shows %q", never)
		}
	}
}

// The family's PDF in each family language has the Signs of Safety headings
// in that language, and none of the Dutch ones.
func TestFamilyPDFLanguages(t *testing.T) {
	m, c := fixtureSafety(t, true)
	view := m.ViewFor(m.ViewerFor(meeting.RoleParticipant, c.sanne.ParticipantID))
	for _, tc := range []struct {
		lang Lang
		want []string
	}{
		{English, []string{"What already keeps the child safe", "House of dreams", "Safety plan", "Plan B if it fails", "Conditions", "still open", "How to reach the regisseur", "interpreter"}},
		{Arabic, []string{"ما الذي يحمي الطفل الآن", "بيت الأحلام", "خطة الأمان", "الخطة ب إذا لم تنجح", "الشروط", "ما زال مفتوحًا", "كيف تصل إلى المنسق", "مترجم"}},
		{Turkish, []string{"Çocuğu şimdiden ne güvende tutuyor", "Hayaller evi", "Güvenlik planı", "Olmazsa B planı", "Koşullar", "hâlâ açık", "Koordinatöre nasıl ulaşırsınız", "tercüman"}},
		{Polish, []string{"Co już teraz chroni dziecko", "Dom marzeń", "Plan bezpieczeństwa", "Plan B, jeśli się nie uda", "Warunki", "jeszcze otwarty", "Jak skontaktować się z koordynatorem", "tłumacz"}},
		{Ukrainian, []string{"Що вже зараз береже дитину", "Дім мрій", "План безпеки", "План Б, якщо не вийде", "Умови", "ще відкрита", "Як зв'язатися з координатором", "перекладач"}},
		{Somali, []string{"Maxaa hadda ilmaha ammaan ka dhigaya", "Guriga riyooyinka", "Qorshaha badbaadada", "Qorshaha B haddii uu shaqayn waayo", "Shuruudaha", "weli furan", "Sida aad ula xiriirto isku-duwaha", "turjubaan"}},
		{Farsi, []string{"الان چه چیزی کودک را در امان نگه می‌دارد", "خانهٔ آرزوها", "برنامهٔ ایمنی", "برنامهٔ ب اگر نشد", "شرط‌ها", "هنوز باز است", "چطور با هماهنگ‌کننده تماس بگیرید", "مترجم"}},
		{Tigrinya, []string{"ሕጂ ነቲ ቆልዓ እንታይ ይሕልዎ", "ገዛ ሕልምታት", "መደብ ድሕንነት", "እንተዘይሰሊጡ መደብ ለ", "ቅድመ ኩነታት", "ገና ክፉት እዩ", "ነቲ ኣወሃሃዲ ብኸመይ ትረኽብዎ", "ተርጓሚ"}},
	} {
		t.Run(string(tc.lang), func(t *testing.T) {
			pdf, err := WritePDF(FromView(view, nil, tc.lang, time.Time{}))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(resultsDir(t), "safety."+string(tc.lang)+".pdf"), pdf, 0o644); err != nil {
				t.Fatal(err)
			}
			_, folded := pdfText(t, pdf)
			// Right-to-left runs come back between directional controls; they are not text.
			// pdftotext may also give an Arabic vowel sign before its letter, and
			// drops a zero width non-joiner; letters are compared without them.
			plain := func(s string) string {
				return strings.Map(func(r rune) rune {
					if r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069 || r == 0x200C || unicode.Is(unicode.Mn, r) {
						return -1
					}
					return r
				}, norm.NFKC.String(s))
			}
			text := strings.Join(strings.Fields(plain(folded)), " ")
			for _, want := range tc.want {
				if !strings.Contains(text, plain(want)) {
					t.Errorf("the %s family PDF lacks %q", tc.lang, want)
				}
			}
			for _, dutch := range []string{"Wat houdt het kind nu al veilig", "Huis van dromen", "Veiligheidsplan", "Voorwaarden", "Zo bereikt u de regisseur", "(tolk)"} {
				if strings.Contains(text, dutch) {
					t.Errorf("the %s family PDF shows the Dutch %q", tc.lang, dutch)
				}
			}
		})
	}
}

// TestSafetyFollowUpExport shows a follow-up's export says which safety agreements held and how each party's score moved.
func TestSafetyFollowUpExport(t *testing.T) {
	first, _ := fixtureSafety(t, true)
	prev, err := meeting.PreviousOf(first)
	if err != nil {
		t.Fatal(err)
	}
	m, _, err := meeting.New(meeting.Header{ID: "m-0004", FamilyLabel: "Gezin J.", Title: "Vervolggesprek", Date: "2027-03-01",
		Options: meeting.Options{Shape: meeting.ShapeSafety}}).FollowUp(prev)
	if err != nil {
		t.Fatal(err)
	}
	tt := &table{tb: t, m: m}
	party := map[string]string{}
	for _, p := range m.Parties {
		party[p.Name] = p.ID
	}
	prevVT := ""
	for _, p := range prev.Parties {
		if p.Name == "Veilig Thuis" {
			prevVT = p.ID
		}
	}
	sanne := tt.join("Sanne", party["Moeder"])
	tt.do(coordinator, "phase.set", map[string]string{"phase": "review"})
	sp := prev.Version.Safety
	tt.do(coordinator, "safety.review.agreement.set", map[string]string{"agreementId": sp.Agreements[0].ID, "held": "partly", "note": "Eén keer niet"})
	tt.do(coordinator, "safety.review.score.set", map[string]any{"scaleId": sp.Scales[0].ID, "partyId": prevVT, "score": 5})
	tt.do(coordinator, "phase.set", map[string]string{"phase": "worries"})
	w := created(tt.do(coordinator, "worry.carry", map[string]string{"worryId": prev.Worries[0].ID}), "item")
	tt.do(coordinator, "phase.set", map[string]string{"phase": "cluster"})
	tt.do(coordinator, "phase.set", map[string]string{"phase": "rank"})
	tt.do(sanne, "ranking.set", map[string]any{"worryIds": []string{w}})
	tt.do(coordinator, "phase.set", map[string]string{"phase": "agree"})
	tt.do(coordinator, "agree.confirm", map[string]any{"worryIds": []string{w}})
	tt.do(coordinator, "phase.set", map[string]string{"phase": "plan"})
	tt.do(coordinator, "safety.carry", nil)
	scale := tt.m.ViewFor(meeting.Viewer{Role: meeting.RoleCoordinator}).Safety.Plan.Scales[0].ID
	tt.do(sanne, "safety.score.set", map[string]any{"scaleId": scale, "score": 9})
	doc := FromMeeting(tt.m, nil, Dutch, time.Date(2027, 3, 1, 14, 0, 0, 0, time.UTC))
	for _, tc := range []struct {
		name string
		f    Format
	}{{"followup-safety.nl.md", Markdown}, {"followup-safety.json", JSON}} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Render(doc, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, tc.name, got)
		})
	}
}

package export

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/tafel-met/tafel/server/meeting"
)

// Lang is the language of the words an export adds around the family's own text.
type Lang string

// The languages exports are written in: Dutch at B1 level first, English as well.
const (
	Dutch   Lang = "nl"
	English Lang = "en"
)

// ParseLang reads a lang query value; empty means Dutch.
func ParseLang(s string) (Lang, bool) {
	if s == "" {
		return Dutch, true
	}
	if _, ok := catalogue[Lang(s)]; ok {
		return Lang(s), true
	}
	return "", false
}

// LangList names the languages exports are written in, e.g. "ar, en, nl".
func LangList() string {
	langs := make([]string, 0, len(catalogue))
	for l := range catalogue {
		langs = append(langs, string(l))
	}
	sort.Strings(langs)
	return strings.Join(langs, ", ")
}

// catalogue holds every word an export adds. Dutch is written at B1 level: short
// sentences, common words. A new language is one more entry here.
var catalogue = map[Lang]map[string]string{
	Arabic:    textsAR,
	Turkish:   textsTR,
	Polish:    textsPL,
	Ukrainian: textsUK,
	Tigrinya:  textsTI,
	Somali:    textsSO,
	Farsi:     textsFA,
	Dutch: {
		"title":            "Plan van %s",
		"meetingOn":        "%s op %s",
		"version":          "Versie %d. Afgesproken op %s.",
		"live":             "Dit plan is nog niet af. Het gesprek loopt nog.",
		"atTable":          "Wie waren erbij",
		"notPresent":       "niet aanwezig",
		"strengths":        "Wat gaat goed",
		"noStrengths":      "Niets opgeschreven.",
		"top3":             "Onze top 3 zorgen",
		"notAgreed":        "De top 3 is nog niet afgesproken.",
		"override":         "De top 3 is anders dan de uitkomst van de stemming. De reden: %s",
		"raisedBy":         "Genoemd door",
		"alsoSaidAs":       "Ook gezegd als",
		"goal":             "Wat willen we zien",
		"noGoal":           "nog niet ingevuld",
		"score":            "Hoe gaat het nu",
		"scoreOf":          "%d van de 10",
		"noScore":          "nog geen cijfer",
		"actions":          "Wat gaan we doen",
		"noActions":        "Nog geen afspraken.",
		"otherActions":     "Andere afspraken",
		"what":             "Wat",
		"who":              "Wie",
		"due":              "Klaar op",
		"status":           "Stand",
		"noDue":            "geen datum",
		"status:open":      "nog te doen",
		"status:doing":     "bezig",
		"status:done":      "klaar",
		"regisseur":        "Regisseur",
		"regisseurHelp":    "De regisseur houdt het overzicht. Met vragen kunt u bij de regisseur terecht.",
		"noRegisseur":      "Nog niet gekozen.",
		"nextEvaluation":   "Wanneer kijken we weer samen",
		"noDate":           "Nog geen datum.",
		"dissent":          "Wie is het niet eens",
		"noDissent":        "Niemand heeft gezegd dat hij het niet eens is.",
		"akkoord":          "Akkoord van het gezin",
		"akkoordBy":        "Akkoord gegeven door",
		"noAkkoord":        "Het gezin heeft nog geen akkoord gegeven.",
		"page":             "Pagina %d van %s",
		"icsSummary":       "Evaluatie plan %s",
		"icsDescription":   "We kijken samen hoe het gaat met het plan.",
		"icsRegisseur":     "Regisseur: %s",
		"months":           "januari februari maart april mei juni juli augustus september oktober november december",
		"changes":          "Wat is er veranderd",
		"changesSince":     "Vergeleken met het plan van %s (versie %d).",
		"changesOpen":      "De nieuwe top 3 is nog niet afgesproken.",
		"kept":             "Nog steeds een zorg",
		"new":              "Nieuw in de top 3",
		"dropped":          "Niet meer in de top 3",
		"lastTimeAs":       "Vorige keer: %s",
		"scoreThen":        "Cijfer vorige keer: %s.",
		"scoreReview":      "Bij de terugblik: %s.",
		"scoreNowIs":       "Nu: %s.",
		"prevActions":      "Afspraken van vorige keer",
		"noPrevActions":    "Er waren geen afspraken.",
		"outcome:done":     "gedaan",
		"outcome:partly":   "deels gedaan",
		"outcome:not_done": "niet gedaan",
		"outcome:":         "nog niet besproken",
	},
	English: {
		"title":            "Plan of %s",
		"meetingOn":        "%s on %s",
		"version":          "Version %d. Closed on %s.",
		"live":             "This plan is not final yet. The meeting is still going on.",
		"atTable":          "Who was at the table",
		"notPresent":       "not present",
		"strengths":        "What goes well",
		"noStrengths":      "Nothing written down.",
		"top3":             "Our top 3 worries",
		"notAgreed":        "The top 3 has not been agreed yet.",
		"override":         "The top 3 differs from the outcome of the vote. The reason: %s",
		"raisedBy":         "Raised by",
		"alsoSaidAs":       "Also said as",
		"goal":             "What we want to see",
		"noGoal":           "not filled in yet",
		"score":            "Where it stands now",
		"scoreOf":          "%d out of 10",
		"noScore":          "no score yet",
		"actions":          "What we will do",
		"noActions":        "No actions yet.",
		"otherActions":     "Other actions",
		"what":             "What",
		"who":              "Who",
		"due":              "Due",
		"status":           "Status",
		"noDue":            "no date",
		"status:open":      "to do",
		"status:doing":     "in progress",
		"status:done":      "done",
		"regisseur":        "Regisseur",
		"regisseurHelp":    "The regisseur keeps the overview. Ask the regisseur if you have questions.",
		"noRegisseur":      "Not chosen yet.",
		"nextEvaluation":   "When we look at the plan together again",
		"noDate":           "No date yet.",
		"dissent":          "Who disagrees",
		"noDissent":        "Nobody said they disagree.",
		"akkoord":          "Agreement of the family",
		"akkoordBy":        "Agreed by",
		"noAkkoord":        "The family has not agreed yet.",
		"page":             "Page %d of %s",
		"icsSummary":       "Plan review %s",
		"icsDescription":   "Together we look at how the plan is going.",
		"icsRegisseur":     "Regisseur: %s",
		"months":           "January February March April May June July August September October November December",
		"changes":          "What changed",
		"changesSince":     "Compared with the plan of %s (version %d).",
		"changesOpen":      "The new top 3 has not been agreed yet.",
		"kept":             "Still a worry",
		"new":              "New in the top 3",
		"dropped":          "No longer in the top 3",
		"lastTimeAs":       "Last time: %s",
		"scoreThen":        "Score last time: %s.",
		"scoreReview":      "At the review: %s.",
		"scoreNowIs":       "Now: %s.",
		"prevActions":      "Actions from last time",
		"noPrevActions":    "There were no actions.",
		"outcome:done":     "done",
		"outcome:partly":   "partly done",
		"outcome:not_done": "not done",
		"outcome:":         "not discussed yet",
	},
}

// t returns the catalogue text for key, formatted with args. A missing key shows
// itself, so a gap is visible in a golden file rather than silently empty.
func (l Lang) t(key string, args ...any) string {
	s, ok := catalogue[l][key]
	if !ok {
		s, ok = safetyCatalogue[l][key]
	}
	if !ok {
		s, ok = catalogue[Dutch][key]
	}
	if !ok {
		return key
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}

// date writes a YYYY-MM-DD date the way people read it: "1 december 2026".
// Anything else is returned as it is.
func (l Lang) date(iso string) string {
	d, err := time.Parse("2006-01-02", iso)
	if err != nil {
		return iso
	}
	months := strings.Fields(l.t("months"))
	if len(months) != 12 {
		return iso
	}
	return fmt.Sprintf("%d %s %d", d.Day(), months[d.Month()-1], d.Year())
}

// outcome returns the words for what became of a previous action.
func (l Lang) outcome(o meeting.Outcome) string {
	return l.t("outcome:" + string(o))
}

// status returns the words for an action's status.
func (l Lang) status(s meeting.ActionStatus) string {
	return l.t("status:" + string(s))
}

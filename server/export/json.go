package export

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/tafel-met/tafel/server/meeting"
)

// JSONSchema names the shape of the JSON export; docs/export-json.md describes it.
// A change that breaks a reader gets a new name (tafel.plan/v2).
const JSONSchema = "tafel.plan/v1"

// The JSON types are separate from Document so that the published schema changes
// only on purpose.
type (
	jsonPlan struct {
		Schema         string         `json:"schema"`
		Meeting        jsonMeeting    `json:"meeting"`
		Version        jsonVersion    `json:"version"`
		Parties        []jsonParty    `json:"parties"`
		Strengths      []jsonStrength `json:"strengths"`
		Top3           jsonTop3       `json:"top3"`
		Actions        []jsonAction   `json:"actions"`
		Regisseur      *jsonRegisseur `json:"regisseur"`
		NextEvaluation *string        `json:"nextEvaluation"`
		Dissent        []jsonDissent  `json:"dissent"`
		Akkoord        []jsonAkkoord  `json:"akkoord"`
		Changes        *jsonChanges   `json:"changes"`
		Shape          string         `json:"shape,omitempty"`  // tafel.plan/v2 only
		Safety         *jsonSafety    `json:"safety,omitempty"` // tafel.plan/v2 only
	}
	jsonMeeting struct {
		ID          string `json:"id"`
		FamilyLabel string `json:"familyLabel"`
		Title       string `json:"title"`
		Date        string `json:"date"`
	}
	jsonVersion struct {
		Number   int     `json:"number"`
		State    string  `json:"state"`
		ClosedAt *string `json:"closedAt"`
		ReadAt   *string `json:"readAt,omitempty"`
	}
	jsonParty struct {
		ID     string   `json:"id"`
		Name   string   `json:"name"`
		Kind   string   `json:"kind"`
		People []string `json:"people"`
	}
	jsonStrength struct {
		PartyID string `json:"partyId"`
		Party   string `json:"party"`
		Text    string `json:"text"`
	}
	jsonTop3 struct {
		Agreed         bool        `json:"agreed"`
		OverrideReason string      `json:"overrideReason"`
		Worries        []jsonWorry `json:"worries"`
	}
	jsonWorry struct {
		Rank       int      `json:"rank"`
		ID         string   `json:"id"`
		Text       string   `json:"text"`
		Domain     *string  `json:"domain"`
		AlsoSaidAs []string `json:"alsoSaidAs"`
		RaisedBy   []string `json:"raisedBy"`
		Goal       string   `json:"goal"`
		ScoreNow   *int     `json:"scoreNow"`
	}
	jsonAction struct {
		ID           string  `json:"id"`
		WorryID      string  `json:"worryId"`
		WorryRank    *int    `json:"worryRank"`
		What         string  `json:"what"`
		OwnerPartyID string  `json:"ownerPartyId"`
		Owner        string  `json:"owner"`
		Due          *string `json:"due"`
		Status       string  `json:"status"`
	}
	jsonRegisseur struct {
		PartyID string       `json:"partyId"`
		Party   string       `json:"party"`
		Role    string       `json:"role"`
		Contact *jsonContact `json:"contact,omitempty"`
	}
	jsonContact struct {
		Role         string  `json:"role"`
		Organisation string  `json:"organisation"`
		Phone        *string `json:"phone"`
		Email        *string `json:"email"`
	}
	jsonDissent struct {
		PartyID string `json:"partyId"`
		Party   string `json:"party"`
		Text    string `json:"text"`
	}
	jsonAkkoord struct {
		Name    string `json:"name"`
		PartyID string `json:"partyId"`
		Party   string `json:"party"`
	}
)

// WriteJSON writes the plan as a tafel.plan/v1 document: indented UTF-8, with
// lists that are empty rather than null and absent values as null. It does not
// depend on the language.
func WriteJSON(d Document) ([]byte, error) {
	out := jsonPlan{Schema: JSONSchema,
		Meeting:   jsonMeeting{ID: d.MeetingID, FamilyLabel: d.FamilyLabel, Title: d.Title, Date: d.Date},
		Version:   jsonVersion{Number: d.Version, State: "closed"},
		Parties:   []jsonParty{},
		Strengths: []jsonStrength{},
		Top3:      jsonTop3{Agreed: d.Agreed, OverrideReason: d.OverrideReason, Worries: []jsonWorry{}},
		Actions:   []jsonAction{}, Dissent: []jsonDissent{}, Akkoord: []jsonAkkoord{},
		NextEvaluation: optional(d.NextEvaluation)}
	stamp := d.Stamp.UTC().Format(time.RFC3339)
	if d.Live {
		out.Version.State, out.Version.ReadAt = "live", &stamp
	} else {
		out.Version.ClosedAt = &stamp
	}
	for _, p := range d.Parties {
		out.Parties = append(out.Parties, jsonParty{ID: p.ID, Name: p.Name, Kind: string(p.Kind), People: append([]string{}, p.People...)})
	}
	for _, s := range d.Strengths {
		out.Strengths = append(out.Strengths, jsonStrength(s))
	}
	for _, w := range d.Top3 {
		out.Top3.Worries = append(out.Top3.Worries, jsonWorry{Rank: w.Rank, ID: w.ID, Text: w.Text, Domain: optional(w.Domain),
			AlsoSaidAs: append([]string{}, w.AlsoSaidAs...), RaisedBy: append([]string{}, w.RaisedBy...), Goal: w.Goal, ScoreNow: w.ScoreNow})
	}
	for _, a := range d.Actions {
		ja := jsonAction{ID: a.ID, WorryID: a.WorryID, What: a.What, OwnerPartyID: a.OwnerPartyID, Owner: a.Owner,
			Due: optional(a.Due), Status: string(a.Status)}
		if a.WorryRank > 0 {
			r := a.WorryRank
			ja.WorryRank = &r
		}
		out.Actions = append(out.Actions, ja)
	}
	if d.Regisseur != nil {
		out.Regisseur = &jsonRegisseur{PartyID: d.Regisseur.PartyID, Party: d.Regisseur.Party, Role: d.Regisseur.Role}
		if c := d.Contact; c != nil {
			out.Regisseur.Contact = &jsonContact{Role: c.Role, Organisation: c.Organisation, Phone: optional(c.Phone), Email: optional(c.Email)}
		}
	}
	for _, x := range d.Dissent {
		out.Dissent = append(out.Dissent, jsonDissent(x))
	}
	for _, k := range d.Akkoord {
		out.Akkoord = append(out.Akkoord, jsonAkkoord(k))
	}
	out.Changes = toJSONChanges(d.Changes)
	if d.Shape == meeting.ShapeSafety {
		out.Schema, out.Shape, out.Safety = JSONSchemaSafety, string(d.Shape), toJSONSafety(d)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

package meeting

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCleanText(t *testing.T) {
	const decomposed = "e\u0301" // e + combining acute accent: one character after NFC
	for _, tc := range []struct {
		name       string
		in         string
		max        int
		multiline  bool
		allowEmpty bool
		want       string // when OK
		ok         bool
	}{
		{"OK/Trimmed", "  Te weinig geld \n", 500, true, false, "Te weinig geld", true},
		{"OK/NFC", "Cr" + decomposed + "che", 500, false, false, "Cr\u00e9che", true},
		{"OK/Max", strings.Repeat("a", 500), 500, true, false, strings.Repeat("a", 500), true},
		{"OK/MaxCountsCharactersNotBytes", strings.Repeat("€", 500), 500, true, false, strings.Repeat("€", 500), true},
		{"OK/MaxAfterNFC", strings.Repeat(decomposed, 500), 500, true, false, strings.Repeat("\u00e9", 500), true},
		{"OK/MaxAfterTrim", "  " + strings.Repeat("a", 80) + "  ", 80, false, false, strings.Repeat("a", 80), true},
		{"OK/NewlinesAndTabsInText", "Regel 1\nRegel 2\tklaar", 500, true, false, "Regel 1\nRegel 2\tklaar", true},
		{"OK/Arabic", "المال لا يكفي", 500, true, false, "المال لا يكفي", true},
		{"OK/EmptyAllowed", "  ", 500, true, true, "", true},
		{"ErrInvalidInput/TooLong", strings.Repeat("a", 501), 500, true, false, "", false},
		{"ErrInvalidInput/NameTooLong", strings.Repeat("a", 81), 80, false, false, "", false},
		{"ErrInvalidInput/TooLongAfterNFC", strings.Repeat(decomposed, 501), 500, true, false, "", false},
		{"ErrInvalidInput/Empty", "", 500, true, false, "", false},
		{"ErrInvalidInput/OnlySpace", " \n\t ", 500, true, false, "", false},
		{"ErrInvalidInput/NUL", "Geld\x00op", 500, true, false, "", false},
		{"ErrInvalidInput/NULAtEnd", "Geld\x00", 500, true, true, "", false},
		{"ErrInvalidInput/Escape", "Geld \x1b[31mop", 500, true, false, "", false},
		{"ErrInvalidInput/Bell", "Geld\a", 500, true, false, "", false},
		{"ErrInvalidInput/DEL", "Geld\x7f", 500, true, false, "", false},
		{"ErrInvalidInput/C1", "Geld\u009bop", 500, true, false, "", false},
		{"OK/WindowsLineEnds", "Regel 1\r\nRegel 2", 500, true, false, "Regel 1\nRegel 2", true},
		{"ErrInvalidInput/LoneCarriageReturn", "Regel 1\rRegel 2", 500, true, false, "", false},
		{"ErrInvalidInput/NewlineInName", "Jan\nPiet", 80, false, false, "", false},
		{"ErrInvalidInput/TabInName", "Jan\tPiet", 80, false, false, "", false},
		{"ErrInvalidInput/BidiOverride", "Geld \u202eop", 500, true, false, "", false},
		{"ErrInvalidInput/BidiIsolate", "Geld \u2066op", 500, true, false, "", false},
		{"ErrInvalidInput/LineSeparator", "Geld\u2028op", 500, true, false, "", false},
		{"ErrInvalidInput/InvalidUTF8", "Geld\xffop", 500, true, false, "", false},
		{"ErrInvalidInput/TruncatedUTF8", "Cr\xc3", 500, true, false, "", false},
		{"ErrInvalidInput/EncodedSurrogate", "a\xed\xa0\x80b", 500, true, false, "", false},
		{"ErrInvalidInput/InvalidUTF8EvenWhenEmptyAllowed", "\xff", 500, true, true, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := CleanText("text", tc.in, tc.max, tc.multiline, tc.allowEmpty)
			if !tc.ok {
				if ErrorCode(err) != ECodeInvalidInput {
					t.Fatalf("CleanText(%q) = %q, %v; want invalid_input", tc.in, got, err)
				}
				if !strings.HasPrefix(ErrorMessage(err), "text:") {
					t.Errorf("message %q does not name the field", ErrorMessage(err))
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("CleanText(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestTextInCommands(t *testing.T) {
	const decomposed = "e\u0301"
	for _, tc := range []struct {
		name string
		data json.RawMessage
		want string // stored text when accepted
	}{
		{"OK/500ComposedAfterNFC", mustRaw(t, map[string]string{"text": strings.Repeat(decomposed, 500)}), strings.Repeat("\u00e9", 500)},
		{"OK/EscapedNewline", json.RawMessage(`{"text":"Regel 1\nRegel 2"}`), "Regel 1\nRegel 2"},
		{"ErrInvalidInput/Missing", json.RawMessage(`{}`), ""},
		{"ErrInvalidInput/Empty", json.RawMessage(`{"text":""}`), ""},
		{"ErrInvalidInput/501", mustRaw(t, map[string]string{"text": strings.Repeat("a", 501)}), ""},
		{"ErrInvalidInput/501AfterNFC", mustRaw(t, map[string]string{"text": strings.Repeat(decomposed, 501)}), ""},
		{"ErrInvalidInput/EscapedNUL", json.RawMessage(`{"text":"Geld\u0000op"}`), ""},
		{"ErrInvalidInput/EscapedESC", json.RawMessage(`{"text":"Geld \u001b[2Jop"}`), ""},
		{"ErrInvalidInput/RawESC", json.RawMessage("{\"text\":\"Geld \x1b[2Jop\"}"), ""},
		{"ErrInvalidInput/InvalidUTF8Bytes", json.RawMessage("{\"text\":\"Geld\xff\xfeop\"}"), ""},
		{"ErrInvalidInput/InvalidUTF8Truncated", json.RawMessage("{\"text\":\"Cr\xc3\"}"), ""},
		{"ErrInvalidInput/InvalidUTF8InDomain", json.RawMessage("{\"text\":\"Geld\",\"domain\":\"financi\xebn\"}"), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tt, c := playTo(t, PhaseWorries, Options{})
			if tc.want == "" {
				tt.fails(participant(c.sanne), "worry.add", tc.data, ECodeInvalidInput)
				return
			}
			it := tt.add(participant(c.sanne), "worry.add", tc.data)
			if it.Text != tc.want {
				t.Fatalf("stored %q, want %q", it.Text, tc.want)
			}
			if n := utf8.RuneCountInString(it.Text); n > MaxTextLen {
				t.Fatalf("stored %d characters", n)
			}
		})
	}
	t.Run("OK/Name80AfterNFC", func(t *testing.T) {
		tt, c := playTo(t, PhaseLobby, Options{})
		id := tt.pending(strings.Repeat(decomposed, 80), c.vt)
		if got := tt.m.Participant(id).Name; got != strings.Repeat("\u00e9", 80) {
			t.Fatalf("name %q", got)
		}
		tt.fails(Actor{Role: RoleJoiner}, "participant.join", map[string]string{"name": strings.Repeat(decomposed, 81), "partyId": c.vt}, ECodeInvalidInput)
	})
}

// TestEveryTextFieldIsChecked sends a control character and an over-long text in
// every free-text field of the protocol.
func TestEveryTextFieldIsChecked(t *testing.T) {
	for _, tc := range []struct {
		phase Phase
		cmd   string
		field string
		max   int
		data  func(c cast) map[string]any
	}{
		{PhaseLobby, "participant.join", "name", MaxNameLen, func(c cast) map[string]any { return map[string]any{"partyId": c.vt} }},
		{PhaseLobby, "party.add", "name", MaxNameLen, func(c cast) map[string]any { return map[string]any{"kind": "network"} }},
		{PhaseStrengths, "strength.add", "text", MaxTextLen, func(c cast) map[string]any { return map[string]any{} }},
		{PhaseStrengths, "strength.edit", "text", MaxTextLen, func(c cast) map[string]any { return map[string]any{"itemId": c.s1} }},
		{PhaseWorries, "worry.add", "text", MaxTextLen, func(c cast) map[string]any { return map[string]any{} }},
		{PhaseWorries, "worry.edit", "text", MaxTextLen, func(c cast) map[string]any { return map[string]any{"itemId": c.w1} }},
		{PhaseRank, "agree.confirm", "reason", MaxTextLen, nil},
		{PhaseAgree, "agree.dissent", "text", MaxTextLen, func(c cast) map[string]any { return map[string]any{} }},
		{PhasePlan, "plan.goal.set", "goal", MaxTextLen, func(c cast) map[string]any { return map[string]any{"worryId": c.w1} }},
		{PhasePlan, "plan.action.add", "what", MaxTextLen, func(c cast) map[string]any { return map[string]any{"worryId": c.w1, "ownerPartyId": c.vt} }},
		{PhasePlan, "plan.details.set", "regisseurRole", MaxNameLen, func(c cast) map[string]any { return map[string]any{"regisseurPartyId": c.vt} }},
		{PhaseReview, "review.action.set", "note", MaxTextLen, func(c cast) map[string]any {
			return map[string]any{"actionId": c.prevActions[0], "outcome": "partly"}
		}},
	} {
		t.Run(tc.cmd+"/"+tc.field+"/ErrInvalidInput", func(t *testing.T) {
			tt, c := playTo(t, tc.phase, Options{StrengthsRound: true})
			if tc.cmd == "agree.confirm" {
				tt.phase(PhaseAgree)
				tc.data = func(c cast) map[string]any { return map[string]any{"worryIds": []string{c.w4}} }
			}
			a := coordinator
			switch {
			case tc.cmd == "participant.join":
				a = Actor{Role: RoleJoiner}
			case commandRules[tc.cmd].roles[len(commandRules[tc.cmd].roles)-1] == RoleParticipant:
				a = participant(c.sanne)
			}
			for _, bad := range []string{"Geld\x00", "\x1b[2J", "a\u202eb", strings.Repeat("x", tc.max+1)} {
				data := tc.data(c)
				data[tc.field] = bad
				tt.fails(a, tc.cmd, data, ECodeInvalidInput)
			}
			data := tc.data(c)
			data[tc.field] = strings.Repeat("x", tc.max)
			tt.do(a, tc.cmd, data)
		})
	}
}

func mustRaw(tb testing.TB, v any) json.RawMessage {
	tb.Helper()
	return json.RawMessage(mustJSON(tb, v))
}

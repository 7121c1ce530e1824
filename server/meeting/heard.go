package meeting

import (
	"encoding/json"
	"sort"
	"time"
)

// "Were you heard?": after the meeting closes, each family and network member
// answers four short questions on a three-point scale, a mark 0-10 and an
// optional sentence. The answers are anonymous: nothing here carries who gave
// them. Who has answered is a separate fact (HeardMarker), kept apart by the
// store, so that a second answer is refused without the answer knowing its author.
// See docs/privacy.md, "Were you heard?".

// HeardQuestions are the four scale questions, in the order the phone asks them.
var HeardQuestions = []string{"heard", "safe", "time", "goals"}

// Scale answers: 1 no, 2 a little, 3 yes.
const (
	HeardNo     = 1
	HeardLittle = 2
	HeardYes    = 3
)

// MinHeardShown is the fewest answers a summary shows: fewer, and one person's
// answer could be read from it (a family of one mother).
const MinHeardShown = 3

// HeardAnswer is one person's anonymous answer. It has no participant id by design.
type HeardAnswer struct {
	Scores   map[string]int `json:"scores"` // question -> 1..3
	Mark     int            `json:"mark"`   // 0-10
	Sentence string         `json:"sentence"`
}

// HeardMarker records that a participant of a meeting has answered; it holds no answer.
type HeardMarker struct {
	MeetingID     string
	ParticipantID string
}

// ParseHeardAnswer reads and checks an answer sent by a phone.
func ParseHeardAnswer(data json.RawMessage) (HeardAnswer, error) {
	var in struct {
		Scores   map[string]int `json:"scores"`
		Mark     *int           `json:"mark"`
		Sentence string         `json:"sentence"`
	}
	if err := (&decision{cmd: Command{Data: data}}).decode(&in); err != nil {
		return HeardAnswer{}, err
	}
	if len(in.Scores) != len(HeardQuestions) {
		return HeardAnswer{}, Fail(ECodeInvalidInput, "heard_scores_required", "scores: every question needs an answer")
	}
	for _, q := range HeardQuestions {
		v, ok := in.Scores[q]
		if !ok {
			return HeardAnswer{}, Fail(ECodeInvalidInput, "heard_score_missing", "a score is missing", "question", q)
		}
		if v < HeardNo || v > HeardYes {
			return HeardAnswer{}, Fail(ECodeInvalidInput, "heard_score_range", "a score must be 1, 2 or 3", "question", q)
		}
	}
	if in.Mark == nil || *in.Mark < 0 || *in.Mark > 10 {
		return HeardAnswer{}, Fail(ECodeInvalidInput, "heard_mark_range", "mark: must be 0-10")
	}
	s, err := CleanText("sentence", in.Sentence, MaxTextLen, true, true)
	if err != nil {
		return HeardAnswer{}, err
	}
	return HeardAnswer{Scores: in.Scores, Mark: *in.Mark, Sentence: s}, nil
}

// MayAnswerHeard says whether a participant may answer the check: an admitted
// member of a family or network party of a closed meeting who has not answered yet.
func (m *Meeting) MayAnswerHeard(participantID string, answered bool) error {
	if m.Phase != PhaseClosed {
		return Fail(ECodeWrongPhase, "heard_after_close", "the check opens when the meeting is closed")
	}
	p := m.Participant(participantID)
	if p == nil || p.Status != StatusAdmitted {
		return Fail(ECodeForbidden, "heard_not_at_table", "not a participant at the table")
	}
	party := m.Party(p.PartyID)
	if party == nil || !familySide(party.Kind) {
		return Fail(ECodeForbidden, "heard_family_only", "the check is for the family and its network")
	}
	if answered {
		return Fail(ECodeConflict, "heard_already", "already answered")
	}
	return nil
}

// HeardSummary is the aggregate of many answers: counts per question and value,
// the mean mark, and the sentences in a fixed (sorted) order that says nothing
// of who wrote them or when.
type HeardSummary struct {
	Answers   int                    `json:"answers"`
	Shown     bool                   `json:"shown"` // false: fewer than MinHeardShown answers, nothing else is filled
	Open      bool                   `json:"open"`  // the check still takes answers (see HeardSettled): nothing else is filled
	Scores    map[string]HeardCounts `json:"scores"`
	MeanMark  float64                `json:"meanMark"`
	Marks     [11]int                `json:"marks"` // how many gave each mark 0-10
	Sentences []string               `json:"sentences"`
}

// HeardCounts counts the answers no, a little and yes to one question.
type HeardCounts struct {
	No     int `json:"no"`
	Little int `json:"little"`
	Yes    int `json:"yes"`
}

// SummariseHeard aggregates answers, showing nothing below MinHeardShown.
func SummariseHeard(answers []HeardAnswer) HeardSummary {
	s := HeardSummary{Answers: len(answers), Scores: map[string]HeardCounts{}, Sentences: []string{}}
	if len(answers) < MinHeardShown {
		return s
	}
	s.Shown = true
	total := 0
	for _, a := range answers {
		for _, q := range HeardQuestions {
			c := s.Scores[q]
			switch a.Scores[q] {
			case HeardNo:
				c.No++
			case HeardLittle:
				c.Little++
			case HeardYes:
				c.Yes++
			}
			s.Scores[q] = c
		}
		if a.Mark >= 0 && a.Mark <= 10 {
			s.Marks[a.Mark]++
			total += a.Mark
		}
		if a.Sentence != "" {
			s.Sentences = append(s.Sentences, a.Sentence)
		}
	}
	s.MeanMark = float64(total) / float64(len(answers))
	sort.Strings(s.Sentences)
	return s
}

// HeardOpenDays is how many days after the close the check takes answers.
const HeardOpenDays = 14

// MaxHeardBody is the most bytes an answer's JSON may have: four scores, a
// mark and a sentence of MaxTextLen characters fit in far less.
const MaxHeardBody = 4 << 10

// HeardClosedAt is when the meeting closed (its last plan version), or zero.
func (m *Meeting) HeardClosedAt() time.Time {
	if m.Phase != PhaseClosed || len(m.Versions) == 0 {
		return time.Time{}
	}
	return m.Versions[len(m.Versions)-1].ClosedAt
}

// HeardEligible counts who may answer the check: the admitted members of a
// family or network party.
func (m *Meeting) HeardEligible() int {
	n := 0
	for _, p := range m.Participants {
		if p.Status != StatusAdmitted {
			continue
		}
		if party := m.Party(p.PartyID); party != nil && familySide(party.Kind) {
			n++
		}
	}
	return n
}

// HeardOpen says whether the check still takes answers at now: from the close
// for HeardOpenDays days.
func (m *Meeting) HeardOpen(now time.Time) error {
	closed := m.HeardClosedAt()
	if closed.IsZero() {
		return Fail(ECodeWrongPhase, "heard_after_close", "the check opens when the meeting is closed")
	}
	if !now.Before(closed.AddDate(0, 0, HeardOpenDays)) {
		return Fail(ECodeWrongPhase, "heard_ended", "the check has ended", "days", HeardOpenDays)
	}
	return nil
}

// HeardSettled says whether a meeting's answers may count in any summary: its
// check is over, because everyone who may answer did (answers is how many
// did) or the days ran out. While answers still come in, two looks at a
// summary would show the newest answer by their difference, and the audit log
// says who gave it; so until then no summary holds them.
func (m *Meeting) HeardSettled(answers int, now time.Time) bool {
	if m.HeardClosedAt().IsZero() {
		return false
	}
	return answers >= m.HeardEligible() || m.HeardOpen(now) != nil
}

// SummariseHeardAt summarises one meeting's answers as every view shows them:
// only their number while its check still takes answers, and below MinHeardShown.
func (m *Meeting) SummariseHeardAt(answers []HeardAnswer, now time.Time) HeardSummary {
	if !m.HeardSettled(len(answers), now) {
		return HeardSummary{Answers: len(answers), Open: true, Scores: map[string]HeardCounts{}, Sentences: []string{}}
	}
	return SummariseHeard(answers)
}

// HeardOverview is the check over an organisation's meetings: one summary of
// the answers of every meeting whose check is over with at least MinHeardShown
// answers. A meeting with fewer is left out altogether: in a sum over
// meetings, its answers would still show as the difference its check made.
type HeardOverview struct {
	Meetings int          `json:"meetings"` // meetings whose answers the summary holds
	Open     int          `json:"open"`     // closed meetings whose check still takes answers
	TooFew   int          `json:"tooFew"`   // meetings whose check is over with too few answers: left out
	Summary  HeardSummary `json:"summary"`
}

// OrganisationHeard sums up the check over meetings; answers are per meeting id.
func OrganisationHeard(families []FamilyMeetings, answers map[string][]HeardAnswer, now time.Time) HeardOverview {
	var out HeardOverview
	var pool []HeardAnswer
	for _, f := range families {
		for _, m := range f.Meetings {
			if m.HeardClosedAt().IsZero() {
				continue
			}
			as := answers[m.ID]
			switch {
			case !m.HeardSettled(len(as), now):
				out.Open++
			case len(as) < MinHeardShown:
				out.TooFew++
			default:
				out.Meetings++
				pool = append(pool, as...)
			}
		}
	}
	out.Summary = SummariseHeard(pool)
	return out
}

package export

import (
	"fmt"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"
)

// WriteICS writes an iCalendar file (RFC 5545) with one all-day VEVENT on the
// evaluation date. Its UID is the same for a meeting and version every time, and
// a live plan gets the UID of the version it will become, so importing the file
// again updates the event instead of adding a second one. DTSTAMP is the close
// time (or, live, the time the plan was read).
//
// The event holds the family label, the regisseur and a plain sentence, never the
// worries: calendars are synced to places a family plan should not go.
func WriteICS(d Document) ([]byte, error) {
	day, err := time.Parse("2006-01-02", d.NextEvaluation)
	if err != nil {
		return nil, ErrNoEvaluation
	}
	l := d.Lang
	cal := ics.NewCalendarFor("Tafel")
	cal.SetProductId("-//Tafel//Plan export//" + strings.ToUpper(string(l)))
	cal.SetCalscale("GREGORIAN")
	cal.SetMethod(ics.MethodPublish)
	ev := cal.AddEvent(fmt.Sprintf("plan-%s-v%d@tafel", d.MeetingID, d.Version))
	ev.SetDtStampTime(d.Stamp)
	ev.SetAllDayStartAt(day)
	ev.SetAllDayEndAt(day.AddDate(0, 0, 1)) // DTEND of an all-day event is the day after
	ev.SetSummary(l.t("icsSummary", d.FamilyLabel))
	desc := l.t("icsDescription")
	if d.Regisseur != nil {
		who := d.Regisseur.Party
		if d.Regisseur.Role != "" {
			who += " (" + d.Regisseur.Role + ")"
		}
		desc += "\n" + l.t("icsRegisseur", who)
	}
	ev.SetDescription(desc)
	ev.SetTimeTransparency(ics.TransparencyTransparent)
	ev.SetClass(ics.ClassificationPrivate)
	return []byte(cal.Serialize(ics.WithNewLineWindows)), nil
}

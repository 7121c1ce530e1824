package httpapi

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tafel-met/tafel/server/export"
	"github.com/tafel-met/tafel/server/meeting"
)

// safetyRoutes adds what the Signs of Safety shape needs beyond the websocket:
// the protected sources of worries, read by a coordinator and written to the audit log.
func (s *Server) safetyRoutes(api fiber.Router) {
	api.Get("/meetings/:id/sources", s.requireUser, s.protectedSources)
}

// protectedSources answers a coordinator with who reported each worry that has a
// protected source. Every source shown is recorded in the meeting's audit chain
// first (object worry_source): no log, no access.
func (s *Server) protectedSources(c *fiber.Ctx) error {
	info, err := s.ownMeeting(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	var sources []meeting.ProtectedSource
	release, err := s.live.Attach(ctx, info.ID, func(_ meeting.Info, m *meeting.Meeting) { sources = m.ProtectedSources() })
	if err != nil {
		return err
	}
	release()
	out := []fiber.Map{}
	var entries []meeting.AuditEntry
	for _, src := range sources {
		if src.Source == "" {
			continue
		}
		entries = append(entries, s.auditEntry(c, meeting.AuditEntry{Action: meeting.AuditRead, ObjectType: "worry_source",
			ObjectID: src.WorryID, Detail: "worry.source"}))
		out = append(out, fiber.Map{"worryId": src.WorryID, "source": src.Source, "wordingChecked": src.CheckedText != ""})
	}
	if len(entries) > 0 {
		if err := s.live.Audit(ctx, info.ID, entries...); err != nil {
			return err
		}
	}
	return c.JSON(out)
}

// userOrFamilyPDF lets a signed-in coordinator on to the exports, and answers a
// participant of the meeting (by the participant cookie or a bearer token) with
// the family's own PDF: the plan as the table sees it, never a draft, a protected
// source or a child's voice that was not brought to the table.
func (s *Server) userOrFamilyPDF(c *fiber.Ctx) error {
	tok, bearer := s.participantToken(c)
	if !bearer {
		u, err := s.authenticate(c)
		if err != nil {
			return err
		}
		if u != nil {
			c.Locals("user", u)
			return c.Next()
		}
	}
	if tok == "" || c.Params("format") != string(export.PDF) {
		return errUnauthorized
	}
	lang, ok := export.ParseLang(c.Query("lang"))
	if !ok {
		return meeting.Fail(meeting.ECodeInvalidInput, "bad_lang", "unknown lang", "langs", export.LangList())
	}
	id := c.Params("id")
	pt, err := s.findParticipant(c, id, tok)
	if err != nil {
		return err
	}
	if pt.Status != meeting.StatusAdmitted {
		return meeting.Fail(meeting.ECodeForbidden, "not_admitted", "not admitted")
	}
	ctx := c.UserContext()
	if err := s.live.Audit(ctx, id, s.auditEntry(c, meeting.AuditEntry{ActorType: "participant", ActorID: pt.ParticipantID,
		ActorRole: "participant", Action: meeting.AuditExport, ObjectType: "plan", ObjectID: id, Detail: "plan.pdf"})); err != nil {
		return err
	}
	view, err := s.live.View(ctx, id, meeting.Viewer{Role: meeting.RoleParticipant, ParticipantID: pt.ParticipantID})
	if err != nil {
		return err
	}
	if err := planToExport(view); err != nil {
		return err
	}
	doc := export.FromView(view, nil, lang, time.Now())
	body, err := export.Render(doc, export.PDF)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, export.PDF.ContentType())
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+export.Filename(doc, export.PDF)+`"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(body)
}

package httpapi

import (
	"errors"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tafel-met/tafel/server/export"
	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/store"
)

// exportRoutes adds the plan exports: GET /api/meetings/:id/export.{pdf,md,csv,json,ics}.
func (s *Server) exportRoutes(api fiber.Router) {
	api.Get("/meetings/:id/export.:format", s.userOrFamilyPDF, s.exportPlan)
}

// planToExport refuses the export of a meeting that ended without a plan: what
// was written of its plan was never agreed, and no file may say it was.
func planToExport(v meeting.View) error {
	if v.EndedWithoutPlan {
		return meeting.Fail(meeting.ECodeConflict, "ended_without_plan", "the meeting ended without a plan")
	}
	return nil
}

// exportPlan answers a coordinator of the meeting's organisation with the plan as
// a file. Without ?version it is the live plan (the latest closed one once the
// meeting is closed); with ?version=N it is that closed version, or 404.
// ?lang=nl|en chooses the words around the family's own text.
func (s *Server) exportPlan(c *fiber.Ctx) error {
	format, ok := export.ParseFormat(c.Params("format"))
	if !ok {
		return errNotFound
	}
	lang, ok := export.ParseLang(c.Query("lang"))
	if !ok {
		return meeting.Fail(meeting.ECodeInvalidInput, "bad_lang", "unknown lang", "langs", export.LangList())
	}
	info, err := s.ownMeeting(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	var version *meeting.PlanVersion
	if q := c.Query("version"); q != "" {
		n, err := strconv.Atoi(q)
		if err != nil || n < 1 {
			return meeting.Fail(meeting.ECodeInvalidInput, "bad_version", "version is a number from 1")
		}
		versions, err := s.store.PlanVersions(ctx, info.ID)
		if err != nil {
			return err
		}
		for i := range versions {
			if versions[i].Number == n {
				version = &versions[i]
			}
		}
		if version == nil {
			return meeting.Fail(meeting.ECodeNotFound, "unknown_version", "no such plan version")
		}
	}
	view, err := s.live.View(ctx, info.ID, meeting.Viewer{Role: meeting.RoleCoordinator})
	if err != nil {
		return err
	}
	if err := planToExport(view); err != nil {
		return err
	}
	doc := export.FromView(view, version, lang, time.Now())
	body, err := export.Render(doc, format)
	if errors.Is(err, export.ErrNoEvaluation) {
		return meeting.Fail(meeting.ECodeConflict, "no_evaluation_date", "no evaluation date yet")
	}
	if err != nil {
		return err
	}
	if err := s.audit(c, store.AuditEntry{Action: store.AuditExport, ObjectType: "plan", ObjectID: info.ID,
		FamilyID: info.FamilyID, Detail: "plan." + string(format)}); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, format.ContentType())
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+export.Filename(doc, format)+`"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(body)
}

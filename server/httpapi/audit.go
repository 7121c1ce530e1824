package httpapi

import (
	"github.com/gofiber/fiber/v2"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/store"
)

// auditEntry completes an audit entry with who made the request and from where.
func (s *Server) auditEntry(c *fiber.Ctx, e meeting.AuditEntry) meeting.AuditEntry {
	if u := currentUser(c); u != nil && e.ActorID == "" {
		e.ActorType, e.ActorID, e.ActorRole = "user", u.ID, u.Role
		if e.OrganisationID == "" {
			e.OrganisationID = u.OrganisationID
		}
	}
	if e.ActorType == "" {
		e.ActorType = "anonymous"
	}
	e.Address, e.UserAgent = c.IP(), c.Get(fiber.HeaderUserAgent)
	return e
}

// audit records an access that belongs to no meeting's live session in the
// organisation's audit chain, with who, from where and when. No log, no
// access: a failure to write it fails the request.
func (s *Server) audit(c *fiber.Ctx, e store.AuditEntry) error {
	e = s.auditEntry(c, e)
	if err := s.store.Audit(c.UserContext(), e); err != nil {
		s.log.Error("audit log write failed", "err", err)
		return err
	}
	return nil
}

// familyAudit shows the organisation's coordinators who accessed a family's data.
func (s *Server) familyAudit(c *fiber.Ctx) error {
	u := currentUser(c)
	id := c.Params("id")
	// An erased family's log stays readable: the log is what is left of it.
	records, err := s.store.FamilyAudit(c.UserContext(), u.OrganisationID, id, 500)
	if err != nil {
		return err
	}
	if _, err := s.store.FindFamily(c.UserContext(), u.OrganisationID, id); err != nil && len(records) == 0 {
		return err
	}
	if err := s.audit(c, store.AuditEntry{Action: store.AuditRead, ObjectType: "audit", ObjectID: id, FamilyID: id}); err != nil {
		return err
	}
	return c.JSON(records)
}

package httpapi

import (
	"github.com/gofiber/fiber/v2"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/store"
)

// exportFamily returns everything stored about one family, for a request under
// the AVG (right of access).
func (s *Server) exportFamily(c *fiber.Ctx) error {
	u := currentUser(c)
	data, err := s.store.ExportFamily(c.UserContext(), u.OrganisationID, c.Params("id"))
	if err != nil {
		return err
	}
	if err := s.audit(c, store.AuditEntry{Action: store.AuditExport, ObjectType: "family", ObjectID: data.Family.ID,
		FamilyID: data.Family.ID, Detail: "avg-export"}); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="family-`+data.Family.ID+`.json"`)
	return c.JSON(data)
}

// eraseFamily deletes a family and all its meetings (right to erasure); only an
// admin may, and the audit log keeps the record that it happened.
func (s *Server) eraseFamily(c *fiber.Ctx) error {
	u := currentUser(c)
	if u.Role != "admin" {
		return meeting.Fail(meeting.ECodeForbidden, "admins_only", "admins only")
	}
	id := c.Params("id")
	erased, err := s.store.EraseFamily(c.UserContext(), u.OrganisationID, id, store.AuditEntry{OrganisationID: u.OrganisationID,
		ActorType: "user", ActorID: u.ID, ActorRole: u.Role, Action: store.AuditDelete, ObjectType: "family", ObjectID: id,
		FamilyID: id, Detail: "erasure", Address: c.IP(), UserAgent: c.Get(fiber.HeaderUserAgent)})
	if err != nil {
		return err
	}
	for _, m := range erased {
		s.live.CloseErased(m)
	}
	return c.JSON(fiber.Map{"erasedMeetings": len(erased)})
}

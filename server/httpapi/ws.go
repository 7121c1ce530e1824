package httpapi

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/contrib/websocket"
	"github.com/gofiber/fiber/v2"

	"github.com/tafel-met/tafel/server/realtime"
)

// upgradeAuthTimeout bounds the session check before a websocket upgrade.
const upgradeAuthTimeout = 3 * time.Second

// websocket upgrades /api/meetings/:id/ws. A signed-in coordinator is recognised
// by the session cookie here; participants identify with the participant cookie
// (browsers) or their token in hello (other clients).
func (s *Server) websocket() fiber.Handler {
	// Write buffers are lent to connections only while they write, so an idle
	// socket holds none.
	writeBuffers := &sync.Pool{}
	upgrade := websocket.New(func(conn *websocket.Conn) {
		ident, _ := conn.Locals("identity").(realtime.Identity)
		id, _ := conn.Locals("requestID").(string)
		started := time.Now()
		session := s.hub.Serve(conn.Conn, conn.Params("id"), ident)
		s.log.Info("websocket session", "request_id", id, "role", session.Role, "close_code", session.CloseCode,
			"duration_ms", time.Since(started).Milliseconds())
	}, websocket.Config{ReadBufferSize: 2048, WriteBufferSize: 4096, WriteBufferPool: writeBuffers})
	return func(c *fiber.Ctx) error {
		if !websocket.IsWebSocketUpgrade(c) {
			return fiber.ErrUpgradeRequired
		}
		// Browsers always send Origin on a websocket: another site's page must not
		// open a socket with the coordinator's cookie.
		if origin := c.Get(fiber.HeaderOrigin); origin != "" && !s.allowedOrigin(c, origin) {
			return errCrossSite
		}
		var ident realtime.Identity
		// The upgrade waits on the session check: a database that does not
		// answer gets a short deadline here, and hello says internal.
		ctx, cancel := context.WithTimeout(c.UserContext(), upgradeAuthTimeout)
		c.SetUserContext(ctx)
		u, err := s.authenticate(c)
		cancel()
		if err != nil {
			// hello answers internal: the screen retries, it does not sign out.
			s.log.Error("session not checked", "err", err)
			ident.SessionUnchecked = true
		}
		if u != nil {
			ident.UserID, ident.OrganisationID, ident.UserName = u.ID, u.OrganisationID, u.Name
		}
		// Checked in hello, like a token sent there; copied, as Fiber reuses the buffer.
		ident.ParticipantToken = strings.Clone(c.Cookies(s.participantCookie()))
		ident.Address, ident.UserAgent = c.IP(), strings.Clone(c.Get(fiber.HeaderUserAgent))
		c.Locals("identity", ident)
		return upgrade(c)
	}
}

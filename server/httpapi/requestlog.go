package httpapi

import (
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

// RequestObserver is told of every answered request; the metrics implement it.
type RequestObserver interface {
	HTTPRequest(method, route string, status int, d time.Duration)
}

// requestIDHeader carries a request's id: taken from a proxy when it is a plain
// token, made here otherwise, and sent back on the response.
const requestIDHeader = "X-Request-Id"

// RequestID is the id of the request c, as logged; empty outside a request.
func RequestID(c *fiber.Ctx) string {
	id, _ := c.Locals("requestID").(string)
	return id
}

// requestLog gives every request an id and writes one log line for it when it is
// answered. The line names the route pattern, never the path or the query: paths
// hold meeting ids and join codes, queries hold one-time tokens. Health checks are
// logged at debug level, as probes call them every few seconds.
func (s *Server) requestLog(c *fiber.Ctx) error {
	start := time.Now()
	id := strings.Clone(c.Get(requestIDHeader)) // fasthttp reuses the header's bytes
	if !plainToken(id) {
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		id = hex.EncodeToString(b)
	}
	c.Locals("requestID", id)
	c.Set(requestIDHeader, id)
	if err := c.Next(); err != nil {
		// Answer the error now, so the line below logs the status the client gets.
		if err := s.app.ErrorHandler(c, err); err != nil {
			_ = c.SendStatus(fiber.StatusInternalServerError)
		}
	}
	route := c.Route().Path
	status := c.Response().StatusCode()
	d := time.Since(start)
	if s.cfg.Requests != nil {
		s.cfg.Requests.HTTPRequest(c.Method(), route, status, d)
	}
	level := slog.LevelInfo
	if route == "/healthz" || route == "/readyz" {
		level = slog.LevelDebug
	}
	s.log.LogAttrs(c.UserContext(), level, "request", slog.String("request_id", id), slog.String("method", c.Method()),
		slog.String("route", route), slog.Int("status", status), slog.Duration("duration", d))
	return nil
}

// plainToken reports whether a proxy's request id is safe to log as it is.
func plainToken(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

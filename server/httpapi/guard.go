package httpapi

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/tafel-met/tafel/server/meeting"
)

var errCrossSite = meeting.Fail(meeting.ECodeForbidden, "cross_site", "cross-site request refused")

// allowedOrigin says whether a browser origin may talk to this server: its own
// public address, the address the request came to, or one configured.
func (s *Server) allowedOrigin(c *fiber.Ctx, origin string) bool {
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false
	}
	o := u.Scheme + "://" + u.Host
	if o == c.Protocol()+"://"+c.Hostname() {
		return true
	}
	for _, a := range s.cfg.AllowedOrigins {
		if strings.EqualFold(o, a) {
			return true
		}
	}
	if b, err := url.Parse(s.cfg.BaseURL); err == nil && strings.EqualFold(o, b.Scheme+"://"+b.Host) {
		return true
	}
	return false
}

// csrfGuard refuses state-changing requests that a browser sent from another site.
// Browsers always send Origin on such requests; a request without Origin and
// without a cross-site Sec-Fetch-Site comes from a non-browser client, which has
// no ambient cookies to abuse. Together with SameSite cookies this stops CSRF.
func (s *Server) csrfGuard(c *fiber.Ctx) error {
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return c.Next()
	}
	if origin := c.Get(fiber.HeaderOrigin); origin != "" {
		if origin == "null" || !s.allowedOrigin(c, origin) {
			return errCrossSite
		}
		return c.Next()
	}
	if site := c.Get("Sec-Fetch-Site"); site == "cross-site" || site == "same-site" {
		return errCrossSite
	}
	return c.Next()
}

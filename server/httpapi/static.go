package httpapi

import (
	"io/fs"
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/filesystem"
)

// frontend serves the built app; every path that is not a file gets index.html,
// so the app's own routes (/join/CODE, /screen/ID) work on reload.
func (s *Server) frontend(dist fs.FS) {
	if dist == nil {
		s.app.Get("/*", func(c *fiber.Ctx) error {
			c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
			return c.SendString(`<!doctype html><html lang="nl"><meta charset="utf-8"><title>Tafel</title>` +
				`<p>Tafel draait, maar deze versie is gebouwd zonder de app. Gebruik <code>make run</code>.</p>` +
				`<p>Tafel is running, but this binary was built without the frontend. Use <code>make run</code>.</p></html>`)
		})
		return
	}
	s.app.Use("/assets", func(c *fiber.Ctx) error {
		// Built assets have content hashes in their names: cache them for a year.
		c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
		return c.Next()
	})
	s.app.Use("/", filesystem.New(filesystem.Config{
		Root:         http.FS(dist),
		Index:        "index.html",
		NotFoundFile: "index.html",
		Next: func(c *fiber.Ctx) bool {
			return strings.HasPrefix(c.Path(), "/api/")
		},
	}))
}

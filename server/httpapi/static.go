package httpapi

import (
	"crypto/sha256"
	"encoding/base64"
	"io/fs"
	"mime"
	"path"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"
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
	st := &staticFiles{dist: dist}
	s.app.Use(func(c *fiber.Ctx) error {
		if strings.HasPrefix(c.Path(), "/api/") || (c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead) {
			return c.Next()
		}
		return st.serve(c)
	})
}

// staticFiles answers with the built files, precompressed at build time (name.br,
// name.gz beside each file, see frontend/vite.config.ts): brotli or gzip as the
// browser accepts, the plain file otherwise.
type staticFiles struct {
	dist  fs.FS
	etags sync.Map // file name -> ETag of its plain bytes
}

// encodings in order of preference: the file suffix and the Content-Encoding.
var encodings = []struct{ suffix, name string }{{".br", "br"}, {".gz", "gzip"}}

func (st *staticFiles) serve(c *fiber.Ctx) error {
	name := strings.TrimPrefix(path.Clean("/"+c.Path()), "/")
	if name == "" || !st.isFile(name) || strings.HasPrefix(name, ".") {
		// The app's own routes, and anything unknown, get the app.
		name = "index.html"
	}
	// Built assets have content hashes in their names: cache them for a year.
	// index.html names the current ones, so it is asked for again every time.
	if strings.HasPrefix(name, "assets/") {
		c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	} else {
		c.Set(fiber.HeaderCacheControl, "no-cache")
	}
	c.Set(fiber.HeaderVary, fiber.HeaderAcceptEncoding)
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = fiber.MIMEOctetStream
	}
	c.Set(fiber.HeaderContentType, ctype)

	// The first encoding the browser accepts that was made at build time.
	suffix, encoding := "", ""
	accept := c.Get(fiber.HeaderAcceptEncoding)
	for _, enc := range encodings {
		if accepts(accept, enc.name) && st.isFile(name+enc.suffix) {
			suffix, encoding = enc.suffix, enc.name
			break
		}
	}
	etag, err := st.etag(name + suffix)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderETag, etag)
	if encoding != "" {
		c.Set(fiber.HeaderContentEncoding, encoding)
	}
	if match := c.Get(fiber.HeaderIfNoneMatch); match != "" && strings.Contains(match, etag) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	body, err := fs.ReadFile(st.dist, name+suffix)
	if err != nil {
		return err
	}
	return c.Send(body)
}

func (st *staticFiles) isFile(name string) bool {
	info, err := fs.Stat(st.dist, name)
	return err == nil && !info.IsDir()
}

// etag is a strong validator of one stored file: each encoding of a file is its
// own file, so its own representation with its own tag.
func (st *staticFiles) etag(name string) (string, error) {
	if v, ok := st.etags.Load(name); ok {
		return v.(string), nil
	}
	body, err := fs.ReadFile(st.dist, name)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(body)
	etag := `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`
	st.etags.Store(name, etag)
	return etag, nil
}

// accepts reports whether an Accept-Encoding header allows the encoding (q=0 refuses it).
func accepts(header, encoding string) bool {
	for _, part := range strings.Split(header, ",") {
		token, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(token), encoding) && strings.TrimSpace(token) != "*" {
			continue
		}
		q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}

package httpapi

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
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
	st := &staticFiles{dist: dist, preload: phonePreloads(dist)}
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
	dist    fs.FS
	etags   sync.Map // file name -> ETag of its plain bytes
	preload preloads
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
	if name == "index.html" {
		if link := st.preload.link(c.Path(), c.Cookies("tafel.lang")); link != "" {
			c.Set(fiber.HeaderLink, link)
		}
	}

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

// preloads are the files a phone needs before its join form works: the entry,
// the phone's code and the catalogue of its language. Named in a Link header on the page, they load beside the entry
// instead of after it, which saves a round trip on a slow link.
type preloads struct {
	phone      []string          // the entry, the phone chunk and its static imports, JS and CSS
	catalogues map[string]string // language -> its family catalogue chunk
}

// manifestChunk is the part of Vite's build manifest (.vite/manifest.json) we read.
type manifestChunk struct {
	File           string   `json:"file"`
	Name           string   `json:"name"`
	IsDynamicEntry bool     `json:"isDynamicEntry"`
	Imports        []string `json:"imports"`
	CSS            []string `json:"css"`
}

// phonePreloads reads the build manifest; without one (a build without it) it preloads nothing.
func phonePreloads(dist fs.FS) preloads {
	var p preloads
	body, err := fs.ReadFile(dist, ".vite/manifest.json")
	if err != nil {
		return p
	}
	var m map[string]manifestChunk
	if json.Unmarshal(body, &m) != nil {
		return p
	}
	p.catalogues = map[string]string{}
	phoneKey := ""
	for key, c := range m {
		if lang, ok := strings.CutPrefix(key, "src/lib/i18n/"); ok && strings.HasSuffix(lang, ".json?family") {
			p.catalogues[strings.TrimSuffix(lang, ".json?family")] = c.File
		}
		// Rollup may fold the phone's entry into a shared chunk; it keeps the name.
		if key == "src/lib/components/phone/PhoneApp.svelte" || (phoneKey == "" && c.IsDynamicEntry && c.Name == "PhoneApp") {
			phoneKey = key
		}
	}
	if phoneKey == "" {
		return p
	}
	seen := map[string]bool{}
	var visit func(string)
	visit = func(key string) {
		c, ok := m[key]
		if !ok || seen[key] || key == "index.html" {
			return
		}
		seen[key] = true
		p.phone = append(p.phone, c.File)
		p.phone = append(p.phone, c.CSS...)
		for _, imp := range c.Imports {
			visit(imp)
		}
	}
	// The entry first: it is what runs first; then the phone's code.
	if entry, ok := m["index.html"]; ok {
		p.phone = append(p.phone, entry.File)
		p.phone = append(p.phone, entry.CSS...)
	}
	visit(phoneKey)
	return p
}

// link is the Link header for a page: on the phone's pages, its code and the
// catalogue of the language remembered in the tafel.lang cookie (Dutch by default).
func (p preloads) link(urlPath, lang string) string {
	if len(p.phone) == 0 || !(urlPath == "/join" || strings.HasPrefix(urlPath, "/join/") || strings.HasPrefix(urlPath, "/m/")) {
		return ""
	}
	links := make([]string, 0, len(p.phone)+1)
	for _, f := range p.phone {
		if strings.HasSuffix(f, ".css") {
			links = append(links, "</"+f+">; rel=preload; as=style; crossorigin")
		} else {
			links = append(links, "</"+f+">; rel=modulepreload")
		}
	}
	cat, ok := p.catalogues[lang]
	if !ok {
		cat = p.catalogues["nl"]
	}
	if cat != "" {
		links = append(links, "</"+cat+">; rel=modulepreload")
	}
	return strings.Join(links, ", ")
}

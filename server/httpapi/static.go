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

// frontend serves the built app; every path that is not a file gets the app's
// page, so its own routes (/join/CODE, /screen/ID) work on reload: phone.html on
// the phone's pages (a build of its own, see frontend/vite.config.ts), index.html
// (the console and the screen) everywhere else.
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
	page := name == "" || !st.isFile(name) || strings.HasPrefix(name, ".")
	if page {
		// The app's own routes, and anything unknown, get the app.
		name = "index.html"
		if isPhonePage(c.Path()) && st.isFile("phone.html") {
			name = "phone.html"
		}
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
	if name == "phone.html" {
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

// isPhonePage reports whether a path is one of the phone's pages: the join page,
// the meeting view and its check, the accessibility statement and the child's
// page. frontend/vite.config.ts (isPhonePath) has the same list for the dev server.
func isPhonePage(p string) bool {
	return p == "/join" || strings.HasPrefix(p, "/join/") || strings.HasPrefix(p, "/m/") || p == "/toegankelijkheid" || p == "/kind"
}

// preloads are the files a phone page needs at once: the entry with its CSS, the
// family catalogue of the phone's language, and the view the page opens (the
// meeting view on /m/{id}, the check on /m/{id}/heard with its texts, ...). Named
// in a Link header on the page, they load beside the entry instead of after it,
// which saves round trips on a slow link.
type preloads struct {
	entry []string                     // the entry and its CSS
	views map[string][]string          // a lazily loaded view (manifest name) -> its file and CSS
	texts map[string]map[string]string // catalogue part (family, heard, child) -> language -> its chunk
}

// manifestChunk is the part of Vite's build manifest we read.
type manifestChunk struct {
	File    string   `json:"file"`
	Name    string   `json:"name"`
	IsEntry bool     `json:"isEntry"`
	CSS     []string `json:"css"`
}

// phonePreloads reads the phone build's manifest (.vite/phone-manifest.json);
// without one it preloads nothing.
func phonePreloads(dist fs.FS) preloads {
	var p preloads
	body, err := fs.ReadFile(dist, ".vite/phone-manifest.json")
	if err != nil {
		return p
	}
	var m map[string]manifestChunk
	if json.Unmarshal(body, &m) != nil {
		return p
	}
	p.views = map[string][]string{}
	p.texts = map[string]map[string]string{}
	for key, c := range m {
		if rest, ok := strings.CutPrefix(key, "src/lib/i18n/"); ok {
			if lang, part, ok := strings.Cut(rest, ".json?"); ok {
				if p.texts[part] == nil {
					p.texts[part] = map[string]string{}
				}
				p.texts[part][lang] = c.File
			}
			continue
		}
		files := append([]string{c.File}, c.CSS...)
		if c.IsEntry {
			p.entry = files
		} else if c.Name != "" {
			p.views[c.Name] = files
		}
	}
	return p
}

// link is the Link header for a phone page, in the language remembered in the
// tafel.lang cookie (Dutch by default).
func (p preloads) link(urlPath, lang string) string {
	if len(p.entry) == 0 {
		return ""
	}
	files := append([]string(nil), p.entry...)
	text := func(part string) {
		cat, ok := p.texts[part][lang]
		if !ok {
			cat = p.texts[part]["nl"]
		}
		if cat != "" {
			files = append(files, cat)
		}
	}
	text("family")
	switch {
	case strings.HasPrefix(urlPath, "/m/") && strings.HasSuffix(urlPath, "/heard"):
		files = append(files, p.views["heard"]...)
		text("heard")
	case strings.HasPrefix(urlPath, "/m/"):
		files = append(files, p.views["meeting"]...)
	case urlPath == "/kind":
		files = append(files, p.views["kind"]...)
		text("child")
	case urlPath == "/toegankelijkheid":
		files = append(files, p.views["a11y"]...)
	}
	links := make([]string, 0, len(files))
	for _, f := range files {
		if strings.HasSuffix(f, ".css") {
			links = append(links, "</"+f+">; rel=preload; as=style; crossorigin")
		} else {
			links = append(links, "</"+f+">; rel=modulepreload")
		}
	}
	return strings.Join(links, ", ")
}

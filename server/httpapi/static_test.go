package httpapi_test

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"testing/fstest"

	"github.com/tafel-met/tafel/server/app"
	"github.com/tafel-met/tafel/server/httpapi"
	"github.com/tafel-met/tafel/server/realtime"
	"github.com/tafel-met/tafel/server/store"
	"github.com/tafel-met/tafel/server/store/storetest"
)

// A phone on a poor link gets the smallest encoding it accepts, never has to ask
// twice for a hashed asset, and always gets the newest index.html.
func TestStaticFiles(t *testing.T) {
	dist := fstest.MapFS{
		"index.html":              {Data: []byte("<!doctype html>plain")},
		"index.html.br":           {Data: []byte("BR-INDEX")},
		"index.html.gz":           {Data: []byte("GZ-INDEX")},
		"assets/app-abc123.js":    {Data: []byte("plain js")},
		"assets/app-abc123.js.br": {Data: []byte("BR-JS")},
		"assets/app-abc123.js.gz": {Data: []byte("GZ-JS")},
		"assets/tiny-def456.css":  {Data: []byte("a{}")},
		"phone.html":              {Data: []byte("<!doctype html>phone")},
		"phone.html.gz":           {Data: []byte("GZ-PHONE")},
		".vite/phone-manifest.json": {Data: []byte(`{
			"phone.html": {"file": "assets/phone-1.js", "name": "phone", "isEntry": true, "css": ["assets/phone-1.css"]},
			"_meeting-2.js": {"file": "assets/meeting-2.js", "name": "meeting", "isDynamicEntry": true, "imports": ["phone.html"], "css": ["assets/meeting-2.css"]},
			"src/lib/components/phone/HeardCheck.svelte": {"file": "assets/heard-3.js", "name": "heard", "isDynamicEntry": true, "imports": ["phone.html"]},
			"src/lib/components/child/Kind.svelte": {"file": "assets/kind-6.js", "name": "kind", "isDynamicEntry": true, "imports": ["phone.html"]},
			"src/lib/i18n/nl.json?family": {"file": "assets/nl-4.js", "isDynamicEntry": true},
			"src/lib/i18n/ar.json?family": {"file": "assets/ar-5.js", "isDynamicEntry": true},
			"src/lib/i18n/nl.json?heard": {"file": "assets/nl-7.js", "isDynamicEntry": true},
			"src/lib/i18n/ar.json?heard": {"file": "assets/ar-8.js", "isDynamicEntry": true},
			"src/lib/i18n/nl.json?child": {"file": "assets/nl-9.js", "isDynamicEntry": true}
		}`)},
	}
	st := storetest.Open(t, store.SQLite)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := app.New(st, app.LocalBroker{}, log)
	srv := httpapi.New(httpapi.Config{BaseURL: "http://tafel.test"}, st, svc, realtime.NewHub(svc, st, log), dist, log)

	for _, c := range []struct {
		name, path, accept, ifNoneMatch string
		status                          int
		body, encoding, cache           string
	}{
		{"Brotli", "/assets/app-abc123.js", "gzip, deflate, br", "", 200, "BR-JS", "br", "public, max-age=31536000, immutable"},
		{"Gzip", "/assets/app-abc123.js", "gzip", "", 200, "GZ-JS", "gzip", "public, max-age=31536000, immutable"},
		{"BrotliRefused", "/assets/app-abc123.js", "br;q=0, gzip", "", 200, "GZ-JS", "gzip", "public, max-age=31536000, immutable"},
		{"Plain", "/assets/app-abc123.js", "", "", 200, "plain js", "", "public, max-age=31536000, immutable"},
		{"NotPrecompressed", "/assets/tiny-def456.css", "br, gzip", "", 200, "a{}", "", "public, max-age=31536000, immutable"},
		{"Index", "/", "br", "", 200, "BR-INDEX", "br", "no-cache"},
		{"ConsoleRoute", "/meetings/abc", "gzip", "", 200, "GZ-INDEX", "gzip", "no-cache"},
		{"ScreenRoute", "/screen/abc", "gzip", "", 200, "GZ-INDEX", "gzip", "no-cache"},
		{"PhoneRoute", "/join/ABCD1234", "gzip", "", 200, "GZ-PHONE", "gzip", "no-cache"},
		{"PhoneMeeting", "/m/abc", "", "", 200, "<!doctype html>phone", "", "no-cache"},
		{"ChildPage", "/kind", "", "", 200, "<!doctype html>phone", "", "no-cache"},
		{"Statement", "/toegankelijkheid", "", "", 200, "<!doctype html>phone", "", "no-cache"},
		{"NotAPhonePage", "/joined", "", "", 200, "<!doctype html>plain", "", "no-cache"},
		{"HiddenBuildFile", "/.vite/manifest.json", "", "", 200, "<!doctype html>plain", "", "no-cache"},
		{"Traversal", "/../../etc/passwd", "", "", 200, "<!doctype html>plain", "", "no-cache"},
	} {
		t.Run(c.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", c.path, nil)
			if c.accept != "" {
				req.Header.Set("Accept-Encoding", c.accept)
			}
			resp, err := srv.App().Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != c.status || string(body) != c.body {
				t.Fatalf("got %d %q, want %d %q", resp.StatusCode, body, c.status, c.body)
			}
			if got := resp.Header.Get("Content-Encoding"); got != c.encoding {
				t.Errorf("Content-Encoding = %q, want %q", got, c.encoding)
			}
			if got := resp.Header.Get("Cache-Control"); got != c.cache {
				t.Errorf("Cache-Control = %q, want %q", got, c.cache)
			}
			if got := resp.Header.Get("Vary"); got != "Accept-Encoding" {
				t.Errorf("Vary = %q", got)
			}

			// Asked again with the ETag: 304, nothing sent.
			again := httptest.NewRequest("GET", c.path, nil)
			if c.accept != "" {
				again.Header.Set("Accept-Encoding", c.accept)
			}
			again.Header.Set("If-None-Match", resp.Header.Get("ETag"))
			resp2, err := srv.App().Test(again, -1)
			if err != nil {
				t.Fatal(err)
			}
			if b, _ := io.ReadAll(resp2.Body); resp2.StatusCode != 304 || len(b) != 0 {
				t.Errorf("with If-None-Match: %d %q, want 304 and no body", resp2.StatusCode, b)
			}
		})
	}

	t.Run("ContentType", func(t *testing.T) {
		resp, err := srv.App().Test(httptest.NewRequest("GET", "/assets/app-abc123.js", nil), -1)
		if err != nil {
			t.Fatal(err)
		}
		if got := resp.Header.Get("Content-Type"); got != "text/javascript; charset=utf-8" {
			t.Errorf("Content-Type = %q", got)
		}
	})

	// The phone's pages name its entry, its language's catalogue and the view the
	// page opens, so they load beside the page rather than after it.
	t.Run("PreloadOnPhonePages", func(t *testing.T) {
		const entry = "</assets/phone-1.js>; rel=modulepreload, </assets/phone-1.css>; rel=preload; as=style; crossorigin, "
		for _, c := range []struct{ path, cookie, want string }{
			{"/join", "", entry + "</assets/nl-4.js>; rel=modulepreload"},
			{"/join/ABC", "tafel.lang=xx", entry + "</assets/nl-4.js>; rel=modulepreload"},
			{"/m/abc", "tafel.lang=ar", entry + "</assets/ar-5.js>; rel=modulepreload, </assets/meeting-2.js>; rel=modulepreload, </assets/meeting-2.css>; rel=preload; as=style; crossorigin"},
			{"/m/abc/heard", "tafel.lang=ar", entry + "</assets/ar-5.js>; rel=modulepreload, </assets/heard-3.js>; rel=modulepreload, </assets/ar-8.js>; rel=modulepreload"},
			{"/kind", "tafel.lang=ar", entry + "</assets/ar-5.js>; rel=modulepreload, </assets/kind-6.js>; rel=modulepreload, </assets/nl-9.js>; rel=modulepreload"},
			{"/", "tafel.lang=ar", ""},
			{"/screen/abc", "", ""},
		} {
			req := httptest.NewRequest("GET", c.path, nil)
			if c.cookie != "" {
				req.Header.Set("Cookie", c.cookie)
			}
			resp, err := srv.App().Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			if got := resp.Header.Get("Link"); got != c.want {
				t.Errorf("%s %s: Link = %q, want %q", c.path, c.cookie, got, c.want)
			}
		}
	})

	t.Run("APIIsNotTheApp", func(t *testing.T) {
		resp, err := srv.App().Test(httptest.NewRequest("GET", "/api/no-such-route", nil), -1)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != 404 || resp.Header.Get("Content-Type") != "application/json" {
			t.Errorf("got %d %s, want a JSON 404", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	})
}

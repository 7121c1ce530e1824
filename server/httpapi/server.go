// Package httpapi serves Tafel over HTTP with Fiber: the REST API, the websocket
// upgrade, health checks and the embedded frontend. It maps domain errors to HTTP
// in one place and knows nothing of SQL.
package httpapi

import (
	"context"
	"io/fs"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tafel-met/tafel/server/app"
	"github.com/tafel-met/tafel/server/realtime"
	"github.com/tafel-met/tafel/server/store"
)

// Config is what the HTTP layer needs to know.
type Config struct {
	BaseURL     string        // public address, for join links; https means secure cookies
	IdleTimeout time.Duration // a session ends after this long unused
	// Now is the clock sessions are timed by; nil is the wall clock. Tests set
	// it (with the store's, Store.SetClock) to move time without sleeping.
	Now        func() time.Time
	MaxSession time.Duration // and after this long in any case
	// AllowedOrigins are extra browser origins (scheme://host[:port]) that may
	// call the API and open websockets, besides BaseURL and the server's own.
	AllowedOrigins []string
	// OIDC is the identity provider coordinators may sign in with, if any.
	OIDC OIDCConfig
	// TrustedProxies are the addresses (or CIDR ranges) of reverse proxies whose
	// X-Forwarded-For names the client; throttling and the audit log use it.
	TrustedProxies []string
	// Requests, if set, is told of every answered request (the metrics).
	Requests RequestObserver
}

// Server is Tafel's HTTP server.
type Server struct {
	app   *fiber.App
	store *store.Store
	live  *app.Service  // runs every change of a meeting
	hub   *realtime.Hub // the meetings' sockets
	cfg   Config
	log   *slog.Logger

	logins    *backoff // failed sign-ins per email and per address
	joinCodes *backoff // unknown join codes per address

	joinsPerMeeting *joinLimiter
	childSaves      *keyedLimiter // saves of the houses per child code
	oidc            *oidcClient   // nil without an identity provider
}

// New builds the routes. dist is the built frontend, or nil when none is embedded.
func New(cfg Config, st *store.Store, live *app.Service, hub *realtime.Hub, dist fs.FS, log *slog.Logger) *Server {
	if cfg.IdleTimeout == 0 {
		cfg.IdleTimeout = 30 * time.Minute
	}
	if cfg.MaxSession == 0 {
		cfg.MaxSession = 12 * time.Hour
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{store: st, live: live, hub: hub, cfg: cfg, log: log,
		logins:          newBackoff(5, time.Second, 15*time.Minute, time.Hour),
		joinCodes:       newBackoff(10, 2*time.Second, 10*time.Minute, 30*time.Minute),
		joinsPerMeeting: newJoinLimiter(),
		childSaves:      newKeyedLimiter(childSavesPerMinute, childSavesPerMinute)}
	if cfg.OIDC.Issuer != "" {
		s.oidc = &oidcClient{cfg: cfg.OIDC}
	}
	fcfg := fiber.Config{
		AppName:               "tafel",
		BodyLimit:             64 << 10,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          30 * time.Second,
		IdleTimeout:           120 * time.Second,
		DisableStartupMessage: true,
		ErrorHandler:          s.handleError,
	}
	if len(cfg.TrustedProxies) > 0 {
		fcfg.ProxyHeader = fiber.HeaderXForwardedFor
		fcfg.EnableTrustedProxyCheck = true
		fcfg.TrustedProxies = cfg.TrustedProxies
	}
	s.app = fiber.New(fcfg)
	s.routes(dist)
	return s
}

func (s *Server) routes(dist fs.FS) {
	app := s.app
	app.Use(s.requestLog, s.securityHeaders)
	app.Get("/healthz", func(c *fiber.Ctx) error { return c.JSON(fiber.Map{"status": "ok"}) })
	app.Get("/readyz", s.ready)

	api := app.Group("/api", noStore, withDeadline, s.csrfGuard)
	api.Get("/setup", s.setupNeeded)
	api.Post("/setup", s.setup)
	api.Post("/auth/login", s.login)
	api.Post("/auth/logout", s.requireUser, s.logout)
	api.Get("/auth/me", s.requireUser, s.me)
	api.Get("/auth/oidc/start", s.oidcStart)
	api.Get("/auth/oidc/callback", s.oidcCallback)
	api.Post("/auth/totp/setup", s.requireUser, s.totpSetup)
	api.Post("/auth/totp/enable", s.requireUser, s.totpEnable)
	api.Post("/auth/totp/disable", s.requireUser, s.totpDisable)
	api.Get("/auth/totp/qr.svg", s.requireUser, s.totpQRCode)

	api.Get("/users", s.requireUser, requireAdmin, s.listUsers)
	api.Post("/users", s.requireUser, requireAdmin, s.createUser)
	api.Delete("/users/:id", s.requireUser, requireAdmin, s.deleteUser)

	api.Get("/families", s.requireUser, s.listFamilies)
	api.Post("/families", s.requireUser, s.createFamily)
	api.Get("/families/:id/audit", s.requireUser, s.familyAudit)
	api.Get("/families/:id/export.json", s.requireUser, s.exportFamily)
	api.Delete("/families/:id", s.requireUser, s.eraseFamily)
	api.Get("/meetings", s.requireUser, s.listMeetings)
	api.Post("/meetings", s.requireUser, s.createMeeting)
	api.Post("/meetings/:id/parties", s.requireUser, s.addParty)
	api.Get("/meetings/:id/snapshot", s.snapshot)
	api.Get("/meetings/:id/qr.svg", s.requireUser, s.qrCode)
	api.Get("/meetings/:id/ws", s.websocket())
	api.Post("/meetings/:id/participant-session", s.participantSession)
	s.exportRoutes(api)
	s.followUpRoutes(api)
	s.safetyRoutes(api)
	s.heardRoutes(api)
	s.childRoutes(api)

	api.Get("/join/:code", s.joinInfo)
	api.Post("/join/:code", s.join)
	api.All("/*", func(c *fiber.Ctx) error { return errNotFound })

	s.frontend(dist)
}

// Listener serves on ln until Shutdown.
func (s *Server) Listener(ln net.Listener) error { return s.app.Listener(ln) }

// Shutdown stops accepting requests and waits for those in flight.
func (s *Server) Shutdown() error { return s.app.ShutdownWithTimeout(10 * time.Second) }

// Test sends a request through the app without a network, for handler tests.
func (s *Server) App() *fiber.App { return s.app }

func (s *Server) ready(c *fiber.Ctx) error {
	// A database that does not answer is not ready: say so within the probe's time.
	ctx, cancel := context.WithTimeout(c.UserContext(), readyTimeout)
	defer cancel()
	if err := s.store.Ready(ctx); err != nil {
		s.log.Warn("not ready", "err", err)
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable"})
	}
	return c.JSON(fiber.Map{"status": "ready"})
}

// securityHeaders are sent on every response: no sniffing, no referrer (join
// tokens must not leak), no framing, a strict Content-Security-Policy, and HSTS
// when served over TLS.
func (s *Server) securityHeaders(c *fiber.Ctx) error {
	if s.secureCookies() {
		c.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
	}
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("Referrer-Policy", "no-referrer")
	c.Set("X-Frame-Options", "DENY")
	c.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
	return c.Next()
}

// noStore keeps responses with personal data out of caches.
// Deadlines of requests: every database call of an API request ends by
// requestTimeout (an internal error, 503), and /readyz answers within readyTimeout.
const (
	requestTimeout = 10 * time.Second
	readyTimeout   = 1500 * time.Millisecond
)

// withDeadline gives an API request's context a deadline, so that a database
// that holds connections without answering never holds the request.
func withDeadline(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), requestTimeout)
	defer cancel()
	c.SetUserContext(ctx)
	return c.Next()
}

func noStore(c *fiber.Ctx) error {
	c.Set("Cache-Control", "no-store")
	return c.Next()
}

func (s *Server) secureCookies() bool { return strings.HasPrefix(s.cfg.BaseURL, "https://") }

package main

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config is everything Tafel reads from its environment.
type Config struct {
	Addr        string
	DataDir     string
	DatabaseURL string
	RedisURL    string
	BaseURL     string
	LogLevel    string
	IdleTimeout time.Duration
	MaxSession  time.Duration
	// RetentionDays is how long a closed meeting's personal data is kept, unless
	// its organisation chose otherwise; PurgeEvery is how often purge runs.
	RetentionDays int
	PurgeEvery    time.Duration
	// AllowedOrigins are extra browser origins for the API and websockets.
	AllowedOrigins []string
	// OIDC: the identity provider coordinators may sign in with.
	OIDCIssuer, OIDCClientID, OIDCClientSecret string
	// TrustedProxies are reverse proxies whose X-Forwarded-For is believed.
	TrustedProxies []string
	// LogFormat is json or text; empty picks text on a terminal, JSON otherwise.
	LogFormat string
	// MetricsAddr serves /metrics and /debug/pprof; empty: off.
	MetricsAddr string
	// OTLPEndpoint receives traces over OTLP/HTTP; empty: no tracing.
	OTLPEndpoint string
}

// setting documents one environment variable for --help.
type setting struct {
	env, def, help string
	set            func(*Config, string) error
}

var settings = []setting{
	{"TAFEL_ADDR", ":8080", "address to listen on", func(c *Config, v string) error { c.Addr = v; return nil }},
	{"TAFEL_DATA_DIR", "./data", "directory for the embedded SQLite database", func(c *Config, v string) error { c.DataDir = v; return nil }},
	{"DATABASE_URL", "", "postgres://... selects PostgreSQL; empty selects SQLite in the data dir", func(c *Config, v string) error { c.DatabaseURL = v; return nil }},
	{"REDIS_URL", "", "redis://... to share live meetings between instances behind a load balancer; empty: one instance", func(c *Config, v string) error { c.RedisURL = v; return nil }},
	{"TAFEL_BASE_URL", "http://localhost:8080", "public address, used in join links and QR codes", func(c *Config, v string) error { c.BaseURL = strings.TrimRight(v, "/"); return nil }},
	{"TAFEL_LOG_LEVEL", "info", "debug, info, warn or error", func(c *Config, v string) error { c.LogLevel = v; return nil }},
	{"TAFEL_LOG_FORMAT", "", "json or text; empty: text on a terminal, JSON otherwise", func(c *Config, v string) error {
		if v != "" && v != "json" && v != "text" {
			return fmt.Errorf("must be json or text")
		}
		c.LogFormat = v
		return nil
	}},
	{"TAFEL_METRICS_ADDR", "", "address for /metrics and /debug/pprof, e.g. 127.0.0.1:9090 (keep it off the internet); empty: off", func(c *Config, v string) error { c.MetricsAddr = v; return nil }},
	{"OTEL_EXPORTER_OTLP_ENDPOINT", "", "OpenTelemetry collector (OTLP over HTTP, e.g. http://collector:4318) for traces of commands; empty: off", func(c *Config, v string) error { c.OTLPEndpoint = v; return nil }},
	{"TAFEL_SESSION_IDLE", "30m", "a coordinator's session ends after this long unused", func(c *Config, v string) (err error) { c.IdleTimeout, err = time.ParseDuration(v); return }},
	{"TAFEL_SESSION_MAX", "12h", "and after this long in any case", func(c *Config, v string) (err error) { c.MaxSession, err = time.ParseDuration(v); return }},
	{"TAFEL_RETENTION_DAYS", "365", "days a closed meeting's personal data is kept (an organisation may set its own)", func(c *Config, v string) (err error) {
		c.RetentionDays, err = strconv.Atoi(v)
		if err == nil && c.RetentionDays < 1 {
			err = fmt.Errorf("must be at least 1")
		}
		return
	}},
	{"TAFEL_PURGE_EVERY", "1h", "how often the purge of expired data runs (0 turns it off)", func(c *Config, v string) (err error) { c.PurgeEvery, err = time.ParseDuration(v); return }},
	{"TAFEL_OIDC_ISSUER", "", "OpenID Connect issuer URL for coordinator sign-in; empty: passwords only", func(c *Config, v string) error { c.OIDCIssuer = v; return nil }},
	{"TAFEL_OIDC_CLIENT_ID", "", "client id registered at the issuer", func(c *Config, v string) error { c.OIDCClientID = v; return nil }},
	{"TAFEL_OIDC_CLIENT_SECRET", "", "client secret (use TAFEL_OIDC_CLIENT_SECRET_FILE)", func(c *Config, v string) error { c.OIDCClientSecret = v; return nil }},
	{"TAFEL_TRUSTED_PROXIES", "", "reverse proxies (addresses or CIDR, comma-separated) whose X-Forwarded-For names the client", func(c *Config, v string) error {
		c.TrustedProxies = splitList(v)
		return nil
	}},
	{"TAFEL_ALLOWED_ORIGINS", "", "extra browser origins, comma-separated, for a frontend served elsewhere", func(c *Config, v string) error {
		for _, o := range splitList(v) {
			c.AllowedOrigins = append(c.AllowedOrigins, strings.TrimRight(o, "/"))
		}
		return nil
	}},
}

// LoadConfig reads the defaults, then the environment; NAME_FILE reads a secret from a file.
func LoadConfig(getenv func(string) string) (Config, error) {
	var c Config
	for _, s := range settings {
		v := getenv(s.env)
		if f := getenv(s.env + "_FILE"); f != "" {
			b, err := os.ReadFile(f)
			if err != nil {
				return c, fmt.Errorf("%s_FILE: %w", s.env, err)
			}
			v = strings.TrimSpace(string(b))
		}
		if v == "" {
			v = s.def
		}
		if err := s.set(&c, v); err != nil {
			return c, fmt.Errorf("%s: %w", s.env, err)
		}
	}
	return c, nil
}

func printHelp(w io.Writer) {
	fmt.Fprint(w, `tafel: a realtime facilitator for MET top-3-gesprekken.

Usage:
  tafel [serve]                start the server (the default)
  tafel migrate [up|down|version]
                               apply, revert one, or show database migrations
  tafel user create --organisation NAME --email EMAIL --name NAME [--role admin|coordinator] [--password-stdin]
                               add a coordinator account and print a one-time link to set the password
  tafel purge [--dry-run]      delete closed meetings whose retention has run out (also runs every TAFEL_PURGE_EVERY)
  tafel demo                   serve with a demo organisation and a meeting that simulated phones join and fill
  tafel audit verify           check the audit log's hash chain; exits 1 if a row was changed, inserted or removed
  tafel backup FILE            write a consistent copy of the SQLite database to FILE, also while the server runs
  tafel restore [--force] FILE put a backup in place of the SQLite database (refused while a server uses it, unless --force)
  tafel healthcheck            exit 0 if the server on TAFEL_ADDR is ready (GET /readyz), 1 if not: for container health checks
  tafel --help                 this text

Environment (NAME_FILE reads the value from a file, for secrets):
`)
	for _, s := range settings {
		def := s.def
		if def == "" {
			def = `""`
		}
		fmt.Fprintf(w, "  %-20s %s (default %s)\n", s.env, s.help, def)
	}
}

func splitList(v string) []string {
	var out []string
	for _, x := range strings.Split(v, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

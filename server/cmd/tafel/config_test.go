package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestLoadConfig(t *testing.T) {
	secret := filepath.Join(t.TempDir(), "db")
	if err := os.WriteFile(secret, []byte("postgres://tafel@db/tafel\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		env   map[string]string
		check func(Config) bool
		err   string
	}{
		{"Defaults", nil, func(c Config) bool {
			return c.Addr == ":8080" && c.DataDir == "./data" && c.DatabaseURL == "" && c.IdleTimeout == 30*time.Minute &&
				c.MaxSession == 12*time.Hour && c.RetentionDays == 365 && c.BaseURL == "http://localhost:8080"
		}, ""},
		{"Environment", map[string]string{"TAFEL_ADDR": "127.0.0.1:9000", "TAFEL_BASE_URL": "https://tafel.example.org/",
			"TAFEL_TRUSTED_PROXIES": "10.0.0.1, 10.1.0.0/16", "TAFEL_ALLOWED_ORIGINS": "https://a.example/"}, func(c Config) bool {
			return c.Addr == "127.0.0.1:9000" && c.BaseURL == "https://tafel.example.org" &&
				strings.Join(c.TrustedProxies, "|") == "10.0.0.1|10.1.0.0/16" && strings.Join(c.AllowedOrigins, "|") == "https://a.example"
		}, ""},
		{"SecretFromFile", map[string]string{"DATABASE_URL_FILE": secret}, func(c Config) bool { return c.DatabaseURL == "postgres://tafel@db/tafel" }, ""},
		{"ErrBadDuration", map[string]string{"TAFEL_SESSION_IDLE": "soon"}, nil, "TAFEL_SESSION_IDLE"},
		{"ErrBadRetention", map[string]string{"TAFEL_RETENTION_DAYS": "0"}, nil, "TAFEL_RETENTION_DAYS"},
		{"ErrBadLogFormat", map[string]string{"TAFEL_LOG_FORMAT": "xml"}, nil, "TAFEL_LOG_FORMAT"},
		{"ErrMissingFile", map[string]string{"DATABASE_URL_FILE": "/nonexistent"}, nil, "DATABASE_URL_FILE"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := LoadConfig(func(k string) string { return c.env[k] })
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("err = %v, want one naming %s", err, c.err)
				}
				return
			}
			if err != nil || !c.check(cfg) {
				t.Fatalf("config = %+v, %v", cfg, err)
			}
		})
	}
}

func TestHelpListsEveryVariable(t *testing.T) {
	var b strings.Builder
	printHelp(&b)
	for _, s := range settings {
		if !strings.Contains(b.String(), s.env) {
			t.Errorf("--help does not list %s", s.env)
		}
	}
}

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tafel-met/tafel/server/store"
	"github.com/tafel-met/tafel/server/store/storetest"
)

// syncBuffer collects a server's output; the logger writes from many goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startOpsServer starts the real Main as startServerWith does, with its output in
// out and the configuration changed by mod (metrics address, log format, ...).
func startOpsServer(t *testing.T, databaseURL string, out io.Writer, mod func(*Config)) *testServer {
	t.Helper()
	cfg, err := LoadConfig(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	cfg.Addr = "127.0.0.1:0"
	cfg.DataDir = t.TempDir()
	cfg.DatabaseURL = databaseURL
	cfg.LogLevel = "warn"
	cfg.PurgeEvery = 0
	if mod != nil {
		mod(&cfg)
	}
	m := NewMain(cfg, out)
	m.NoSetupLink = true
	if err := m.Run(context.Background()); err != nil {
		t.Fatalf("start server: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	return &testServer{t: t, main: m, addr: m.Addr()}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// sample is the value of one series (name with its labels, as exposed) in a scrape.
func sample(t *testing.T, scrape, series string) float64 {
	t.Helper()
	for _, line := range strings.Split(scrape, "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("%s: %v", line, err)
			}
			return f
		}
	}
	t.Fatalf("no series %s in the scrape:\n%s", series, scrape)
	return 0
}

// TestMetricsDuringAMeeting scrapes /metrics on its own address while a meeting is
// played to its closed plan, and checks the counters against what was done. It
// also shows /metrics and pprof are not on the public address.
func TestMetricsDuringAMeeting(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			srv := startOpsServer(t, storetest.URL(t, d), io.Discard, func(c *Config) {
				c.MetricsAddr = "127.0.0.1:0"
				c.PurgeEvery = time.Hour // a first purge runs at start
			})
			metricsURL := "http://" + srv.main.MetricsAddr()
			coord := srv.coordinator("Gemeente Voorbeeld")
			closed := closeQuickly(t, srv, coord)
			coord.snapshot(closed.ID)
			coord.snapshot(closed.ID)
			// Paths nobody routes stay out of the labels too.
			srv.request("GET", "/family/zonneveld-4711", "", nil)
			srv.request("DELETE", "/api/nothing/here-4711", "", nil)
			srv.request("BREW", "/koffie-4711", "", nil)

			code, scrape := get(t, metricsURL+"/metrics")
			if code != 200 {
				t.Fatalf("GET /metrics: %d", code)
			}
			for series, want := range map[string]float64{
				`tafel_http_requests_total{method="POST",route="/api/auth/login",status="200"}`:           1,
				`tafel_http_requests_total{method="POST",route="/api/families",status="201"}`:             1,
				`tafel_http_requests_total{method="POST",route="/api/meetings",status="201"}`:             1,
				`tafel_http_requests_total{method="POST",route="/api/join/:code",status="201"}`:           1,
				`tafel_http_requests_total{method="GET",route="/api/meetings/:id/snapshot",status="200"}`: 2,
				`tafel_db_errors_total`: 0,
				// The commands of closeQuickly, each counted once by name, all stored.
				`tafel_commands_total{code="ok",command="participant.join"}`:  1,
				`tafel_commands_total{code="ok",command="participant.admit"}`: 1,
				`tafel_commands_total{code="ok",command="phase.set"}`:         5,
				`tafel_commands_total{code="ok",command="worry.add"}`:         1,
				`tafel_commands_total{code="ok",command="ranking.set"}`:       1,
				`tafel_commands_total{code="ok",command="meeting.close"}`:     1,
				// The coordinator's and Sanne's sockets are still open, on one meeting.
				`tafel_sockets_open{role="coordinator"}`: 1,
				`tafel_sockets_open{role="participant"}`: 1,
				`tafel_live_meetings`:                    1,
			} {
				if got := sample(t, scrape, series); got != want {
					t.Errorf("%s = %v, want %v", series, got, want)
				}
			}
			// Every audit record the meeting left was counted, no more.
			checked, problems, err := srv.main.Store.VerifyAudit(context.Background())
			if err != nil || len(problems) != 0 {
				t.Fatalf("audit: %v %v", problems, err)
			}
			if got := sample(t, scrape, "tafel_audit_writes_total"); got != float64(checked) || checked == 0 {
				t.Errorf("tafel_audit_writes_total = %v, the audit log holds %d records", got, checked)
			}
			if !strings.Contains(scrape, "go_goroutines ") || !strings.Contains(scrape, "process_resident_memory_bytes ") {
				t.Error("no Go runtime or process metrics")
			}
			if strings.Contains(scrape, closed.ID) || strings.Contains(scrape, "Sanne") || strings.Contains(scrape, "4711") {
				t.Error("a meeting id or a name reached /metrics")
			}
			// The purge that runs at start is counted once it is done.
			deadline := time.Now().Add(10 * time.Second)
			for {
				_, scrape = get(t, metricsURL+"/metrics")
				if sample(t, scrape, `tafel_purge_runs_total{outcome="ok"}`) == 1 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatal("the purge at start was not counted")
				}
				time.Sleep(20 * time.Millisecond)
			}
			if got := sample(t, scrape, `tafel_purge_runs_total{outcome="error"}`); got != 0 {
				t.Errorf("purge errors = %v", got)
			}

			if code, body := get(t, metricsURL+"/debug/pprof/goroutine?debug=1"); code != 200 || !strings.Contains(body, "goroutine") {
				t.Errorf("pprof on the metrics address: %d", code)
			}
			for _, path := range []string{"/metrics", "/debug/pprof/goroutine?debug=1"} {
				if code, body := get(t, "http://"+srv.addr+path); code == 200 && (strings.Contains(body, "go_goroutines") || strings.Contains(body, "goroutine profile")) {
					t.Errorf("%s is served on the public address", path)
				}
			}
		})
	}
}

func TestMetricsOffByDefault(t *testing.T) {
	srv := startOpsServer(t, storetest.URL(t, store.SQLite), io.Discard, nil)
	if srv.main.MetricsAddr() != "" {
		t.Fatalf("metrics served on %s without TAFEL_METRICS_ADDR", srv.main.MetricsAddr())
	}
}

// TestLogsKeepPersonalDataOut plays a meeting with every log line on (debug level),
// in both formats, and looks in the whole output for every name, text, password,
// token and cookie the test typed or was given.
func TestLogsKeepPersonalDataOut(t *testing.T) {
	for _, format := range []string{"json", "text"} {
		t.Run(format, func(t *testing.T) {
			var out syncBuffer
			srv := startOpsServer(t, storetest.URL(t, store.SQLite), &out, func(c *Config) {
				c.LogFormat = format
				c.LogLevel = "debug"
			})
			coord := srv.coordinator("Gemeente Voorbeeld")
			// A failed sign-in, with a password typed.
			if resp, _ := srv.request("POST", "/api/auth/login", "", map[string]string{"email": "coordinator@example.org", "password": "geheim-verkeerd-wachtwoord"}); resp.StatusCode != 401 {
				t.Fatalf("wrong password: %d", resp.StatusCode)
			}
			m := coord.meeting("Gezin Zonneveld", "Moeder:family", "Wijkteam Oost:professional")
			cws := coord.connect(m.ID, "")
			ph := srv.join(m.JoinCode, "Fatima Bakkali", "party1")
			must(t, cws, "participant.admit", map[string]string{"participantId": ph.ID})
			must(t, cws, "phase.set", map[string]string{"phase": "worries"})
			must(t, ph.WS, "worry.add", map[string]string{"text": "De huur is drie maanden niet betaald"})
			refused(t, ph.WS, "worry.add", map[string]string{"text": strings.Repeat("Lange zorg over de buren ", 200)}, "invalid_input")
			refused(t, ph.WS, "meeting.lock", map[string]any{"reason": "Sleutel van de buurvrouw"}, "forbidden")
			must(t, cws, "reveal", map[string]string{"kind": "worry"})
			// A resumed phone: its token sent again; it hangs up, and its session is logged.
			srv.connectPhone(m.ID, ph.Token, 0).Close()
			for deadline := time.Now().Add(10 * time.Second); !strings.Contains(out.String(), "websocket session"); time.Sleep(10 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatal("no log line for a websocket session that ended")
				}
			}
			closed := closeQuickly(t, srv, coord)
			_ = closed
			srv.main.Close()

			logs := out.String()
			secrets := []string{"Gezin Zonneveld", "Wijkteam Oost", "Fatima Bakkali", "De huur is drie maanden", "Lange zorg over de buren",
				"Sleutel van de buurvrouw", "geheim-verkeerd-wachtwoord", "een-lang-wachtwoord", "Coördinator", "example.org",
				ph.Token, strings.TrimPrefix(coord.cookie, "tafel_session="), m.JoinCode,
				// closeQuickly's texts
				"Gezin Q.", "Sanne", "Te weinig geld", "Rondkomen van het geld", "Budgetcoach aanvragen", "Gezinscoach"}
			for _, s := range secrets {
				if s != "" && strings.Contains(logs, s) {
					t.Errorf("the logs hold %q", s)
				}
			}
			// The scan means something only if the requests were logged, with ids.
			var requests, joins, sessions int
			sc := bufio.NewScanner(strings.NewReader(logs))
			for sc.Scan() {
				line := sc.Text()
				if format == "json" {
					var rec map[string]any
					if err := json.Unmarshal([]byte(line), &rec); err != nil {
						t.Fatalf("not a JSON line: %s", line)
					}
					if rec["msg"] == "websocket session" {
						sessions++
						if id, _ := rec["request_id"].(string); id == "" || rec["role"] != "participant" && rec["role"] != "coordinator" {
							t.Errorf("websocket session line without an id or role: %s", line)
						}
					}
					if rec["msg"] == "request" {
						requests++
						if id, _ := rec["request_id"].(string); id == "" {
							t.Errorf("request line without an id: %s", line)
						}
						if rec["route"] == "/api/join/:code" {
							joins++
						}
					}
				} else if strings.Contains(line, `msg="websocket session"`) {
					sessions++
					if !strings.Contains(line, "request_id=") {
						t.Errorf("websocket session line without an id: %s", line)
					}
				} else if strings.Contains(line, "msg=request ") {
					requests++
					if !strings.Contains(line, "request_id=") {
						t.Errorf("request line without an id: %s", line)
					}
					if strings.Contains(line, "route=/api/join/:code ") {
						joins++
					}
				}
			}
			if requests < 10 || joins != 2 || sessions < 1 {
				t.Fatalf("%d request lines, %d joins, %d websocket sessions logged; want every request and session:\n%s", requests, joins, sessions, logs)
			}
		})
	}
}

func TestRequestIDFromProxyIsKeptWhenPlain(t *testing.T) {
	srv := startOpsServer(t, storetest.URL(t, store.SQLite), io.Discard, nil)
	for _, c := range []struct{ sent, want string }{{"abc-123.x_y", "abc-123.x_y"}, {"id with spaces", ""}} {
		req, _ := http.NewRequest("GET", "http://"+srv.addr+"/healthz", nil)
		req.Header.Set("X-Request-Id", c.sent)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		got := resp.Header.Get("X-Request-Id")
		if c.want != "" && got != c.want || c.want == "" && (got == "" || got == c.sent) {
			t.Errorf("sent %q, answered %q", c.sent, got)
		}
	}
}

// TestTracesGoToTheCollector points OTEL_EXPORTER_OTLP_ENDPOINT at a stand-in
// collector and shows a span made with Main's tracer arrives there when Main closes.
func TestTracesGoToTheCollector(t *testing.T) {
	var mu sync.Mutex
	var got []string
	collector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, r.URL.Path+" "+string(b))
		mu.Unlock()
		w.WriteHeader(200)
	}))
	defer collector.Close()
	srv := startOpsServer(t, storetest.URL(t, store.SQLite), io.Discard, func(c *Config) { c.OTLPEndpoint = collector.URL })
	_, span := srv.main.Tracer.Start(context.Background(), "command worry.add")
	if !span.IsRecording() {
		t.Fatal("span not recording with an endpoint set")
	}
	span.End()
	if err := srv.main.Close(); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) == 0 || !strings.HasPrefix(got[0], "/v1/traces ") || !strings.Contains(got[0], "command worry.add") || !strings.Contains(got[0], "tafel") {
		t.Fatalf("collector received %q", got)
	}
}

func TestTracingOffByDefault(t *testing.T) {
	srv := startOpsServer(t, storetest.URL(t, store.SQLite), io.Discard, nil)
	if _, span := srv.main.Tracer.Start(context.Background(), "command"); span.IsRecording() {
		t.Fatal("spans recorded without OTEL_EXPORTER_OTLP_ENDPOINT")
	}
}

// TestLogFormatDefault: without TAFEL_LOG_FORMAT, output that is not a terminal
// (a container's log collector) gets JSON.
func TestLogFormatDefault(t *testing.T) {
	var b bytes.Buffer
	newLogger(&b, "", "info").Info("tafel is serving", "addr", ":8080")
	var rec map[string]any
	if err := json.Unmarshal(b.Bytes(), &rec); err != nil || rec["msg"] != "tafel is serving" {
		t.Fatalf("default log line is not JSON: %s", b.String())
	}
	b.Reset()
	newLogger(&b, "text", "info").Info("tafel is serving")
	if !strings.HasPrefix(b.String(), "time=") {
		t.Fatalf("text log line: %s", b.String())
	}
}

// TestOperationsDocListsEveryVariable keeps docs/operations.md's table of variables
// in step with the settings tafel --help prints.
func TestOperationsDocListsEveryVariable(t *testing.T) {
	doc, err := os.ReadFile("../../../docs/operations.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range settings {
		if !strings.Contains(string(doc), "| `"+s.env+"` |") {
			t.Errorf("docs/operations.md has no row for %s", s.env)
		}
	}
}

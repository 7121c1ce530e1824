package metrics_test

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/tafel-met/tafel/server/meeting"
	"github.com/tafel-met/tafel/server/metrics"
)

func TestCountsWhatWasDone(t *testing.T) {
	m := metrics.New()
	m.SocketOpened("coordinator")
	m.SocketOpened("participant")
	m.SocketOpened("participant")
	m.SocketClosed("participant")
	m.SocketOpened("a-meeting-id") // unknown roles are one "other" series
	m.LiveMeetings(2)
	m.CommandDone("worry.add", metrics.CodeOK, time.Millisecond, 2*time.Millisecond, time.Millisecond)
	m.CommandDone("worry.add", "wrong_phase", time.Millisecond, 0, 0)
	m.CommandDone("m-123 worry text", "a new code", time.Millisecond, 0, 0)
	m.EventsSent(5)
	m.SendQueueDrop()
	m.SlowClose()
	m.DBError()
	m.RedisError()
	m.AuditWrites(2)
	m.PurgeRun(metrics.PurgeOK, 3)
	m.PurgeRun("boom", 0)
	m.HTTPRequest("GET", "/api/meetings/:id/snapshot", 200, time.Millisecond)
	m.HTTPRequest("BREW", "/*", 405, time.Millisecond)

	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	for _, want := range []string{
		`tafel_sockets_open{role="coordinator"} 1`,
		`tafel_sockets_open{role="participant"} 1`,
		`tafel_sockets_open{role="screen"} 0`,
		`tafel_sockets_open{role="other"} 1`,
		`tafel_live_meetings 2`,
		`tafel_commands_total{code="ok",command="worry.add"} 1`,
		`tafel_commands_total{code="wrong_phase",command="worry.add"} 1`,
		`tafel_commands_total{code="other",command="other"} 1`,
		`tafel_command_stage_seconds_count{stage="decide"} 3`,
		`tafel_command_stage_seconds_count{stage="store"} 1`,
		`tafel_command_stage_seconds_count{stage="fanout"} 1`,
		`tafel_events_sent_total 5`,
		`tafel_send_queue_drops_total 1`,
		`tafel_slow_client_closes_total 1`,
		`tafel_db_errors_total 1`,
		`tafel_redis_errors_total 1`,
		`tafel_audit_writes_total 2`,
		`tafel_purge_runs_total{outcome="ok"} 1`,
		`tafel_purge_runs_total{outcome="error"} 1`,
		`tafel_purged_meetings_total 3`,
		`tafel_http_requests_total{method="GET",route="/api/meetings/:id/snapshot",status="200"} 1`,
		`tafel_http_requests_total{method="other",route="/*",status="405"} 1`,
		`tafel_http_request_duration_seconds_count 2`,
		"go_goroutines ",
		"process_cpu_seconds_total ",
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if strings.Contains(string(body), "m-123") || strings.Contains(string(body), "a-meeting-id") {
		t.Error("an unknown label value reached /metrics")
	}
	if rec.Header().Get("Content-Type") == "" || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/plain") {
		t.Errorf("content type %q", rec.Header().Get("Content-Type"))
	}
}

func TestEveryKnownCommandHasItsOwnLabel(t *testing.T) {
	m := metrics.New()
	for _, name := range meeting.CommandNames() {
		m.CommandDone(name, metrics.CodeOK, time.Millisecond, 0, 0)
	}
	n, err := testutil.GatherAndCount(m.Registry(), "tafel_commands_total")
	if err != nil || n != len(meeting.CommandNames()) {
		t.Fatalf("%d command series for %d commands (%v)", n, len(meeting.CommandNames()), err)
	}
}

func TestNilMetricsIgnoresCalls(t *testing.T) {
	var m *metrics.Metrics
	m.SocketOpened("coordinator")
	m.CommandDone("worry.add", metrics.CodeOK, 1, 1, 1)
	m.PurgeRun(metrics.PurgeOK, 1)
	m.HTTPRequest("GET", "/", 200, 1)
}

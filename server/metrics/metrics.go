// Package metrics counts what an operator watches on a running Tafel: open sockets,
// live meetings, commands and their latency, events sent, slow clients, database and
// Redis errors, audit writes, purge runs, HTTP requests and the Go runtime. It owns
// its own Prometheus registry (no global state) and serves it as /metrics.
//
// Labels are bounded: a command name outside the known set is counted as "other", a
// role or code outside its set likewise, and no label ever carries a meeting id, a
// name or a path with an id in it.
package metrics

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/tafel-met/tafel/server/meeting"
)

// Other is the label value for anything outside a label's known set.
const Other = "other"

// Command latency stages, the "stage" label of tafel_command_stage_seconds.
const (
	StageDecide = "decide"
	StageStore  = "store"
	StageFanout = "fanout"
)

// Metrics is Tafel's set of metrics in one registry. Every method is safe for
// concurrent use, and a nil *Metrics ignores every call, so a component built
// without metrics (in a unit test) needs no stand-in.
type Metrics struct {
	reg *prometheus.Registry

	// Label sets map a value to the set's own copy of it: a caller's string may
	// alias a buffer that is reused (fasthttp's are), and a label keeps its string.
	commands map[string]string
	codes    map[string]string

	sockets       *prometheus.GaugeVec
	liveMeetings  prometheus.Gauge
	commandsTotal *prometheus.CounterVec
	stage         *prometheus.HistogramVec
	eventsSent    prometheus.Counter
	queueDrops    prometheus.Counter
	slowCloses    prometheus.Counter
	dbErrors      prometheus.Counter
	redisErrors   prometheus.Counter
	auditWrites   prometheus.Counter
	purgeRuns     *prometheus.CounterVec
	purged        prometheus.Counter
	httpRequests  *prometheus.CounterVec
	httpDuration  prometheus.Histogram
}

// Roles are the values of the "role" label of tafel_sockets_open.
var roles = map[string]string{
	string(meeting.RoleCoordinator): string(meeting.RoleCoordinator),
	string(meeting.RoleScreen):      string(meeting.RoleScreen),
	string(meeting.RoleParticipant): string(meeting.RoleParticipant),
}

// httpMethods are the "method" label's set: a client can send any word as a method.
var httpMethods = map[string]string{"GET": "GET", "HEAD": "HEAD", "POST": "POST", "PUT": "PUT", "PATCH": "PATCH", "DELETE": "DELETE", "OPTIONS": "OPTIONS"}

// errorCodes are the domain's stable error codes; with "ok" they are the "code" label's set.
var errorCodes = []string{
	meeting.ECodeInvalidJSON, meeting.ECodeInvalidUTF8, meeting.ECodeTooLarge, meeting.ECodeUnknownCommand,
	meeting.ECodeInvalidInput, meeting.ECodeWrongPhase, meeting.ECodeForbidden, meeting.ECodeNotFound,
	meeting.ECodeConflict, meeting.ECodeLocked, meeting.ECodeRateLimited, meeting.ECodeUnauthorized,
	meeting.ECodeNotHello, meeting.ECodeInternal,
}

// CodeOK is the code of a command that was applied.
const CodeOK = "ok"

// Purge outcomes, the "outcome" label of tafel_purge_runs_total.
const (
	PurgeOK    = "ok"
	PurgeError = "error"
)

// New returns a fresh registry with Tafel's metrics and the Go runtime and process
// collectors.
func New() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry(), commands: map[string]string{}, codes: map[string]string{CodeOK: CodeOK}}
	for _, c := range meeting.CommandNames() {
		m.commands[c] = c
	}
	for _, c := range errorCodes {
		m.codes[c] = c
	}
	m.sockets = prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "tafel_sockets_open",
		Help: "Open websocket connections on this instance, by role."}, []string{"role"})
	m.liveMeetings = prometheus.NewGauge(prometheus.GaugeOpts{Name: "tafel_live_meetings",
		Help: "Meetings with at least one socket open on this instance."})
	m.commandsTotal = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tafel_commands_total",
		Help: "Commands handled, by command name and outcome code (ok or the error code)."}, []string{"command", "code"})
	m.stage = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "tafel_command_stage_seconds",
		Help:    "Time a command spent in each stage: decide (domain rules), store (the transaction), fanout (publishing the events).",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5}}, []string{"stage"})
	m.eventsSent = prometheus.NewCounter(prometheus.CounterOpts{Name: "tafel_events_sent_total",
		Help: "Event frames queued to websocket connections."})
	m.queueDrops = prometheus.NewCounter(prometheus.CounterOpts{Name: "tafel_send_queue_drops_total",
		Help: "Frames that did not fit in a connection's send queue."})
	m.slowCloses = prometheus.NewCounter(prometheus.CounterOpts{Name: "tafel_slow_client_closes_total",
		Help: "Connections closed with 4008 because the client could not keep up."})
	m.dbErrors = prometheus.NewCounter(prometheus.CounterOpts{Name: "tafel_db_errors_total",
		Help: "Database operations that failed for a reason other than a missing row or a constraint."})
	m.redisErrors = prometheus.NewCounter(prometheus.CounterOpts{Name: "tafel_redis_errors_total",
		Help: "Redis publish or subscribe operations that failed."})
	m.auditWrites = prometheus.NewCounter(prometheus.CounterOpts{Name: "tafel_audit_writes_total",
		Help: "Audit log records written."})
	m.purgeRuns = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tafel_purge_runs_total",
		Help: "Runs of the retention purge, by outcome (ok or error)."}, []string{"outcome"})
	m.purged = prometheus.NewCounter(prometheus.CounterOpts{Name: "tafel_purged_meetings_total",
		Help: "Closed meetings deleted by the retention purge."})
	m.httpRequests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tafel_http_requests_total",
		Help: "HTTP requests answered, by method, route pattern (never the path itself) and status."}, []string{"method", "route", "status"})
	m.httpDuration = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "tafel_http_request_duration_seconds",
		Help:    "Time to answer an HTTP request (a websocket upgrade counts until the upgrade).",
		Buckets: prometheus.DefBuckets})
	m.reg.MustRegister(m.sockets, m.liveMeetings, m.commandsTotal, m.stage, m.eventsSent, m.queueDrops, m.slowCloses,
		m.dbErrors, m.redisErrors, m.auditWrites, m.purgeRuns, m.purged, m.httpRequests, m.httpDuration,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	// Series that exist from the start, so rate() and alerts see a zero, not a gap.
	for r := range roles {
		m.sockets.WithLabelValues(r)
	}
	for _, o := range []string{PurgeOK, PurgeError} {
		m.purgeRuns.WithLabelValues(o)
	}
	return m
}

// Registry is the registry behind m, for tests and for adding collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// label is set's own copy of v, or Other when v is not in it.
func label(set map[string]string, v string) string {
	if l, ok := set[v]; ok {
		return l
	}
	return Other
}

// SocketOpened counts a websocket that said hello as role (coordinator, screen or participant).
func (m *Metrics) SocketOpened(role string) {
	if m == nil {
		return
	}
	m.sockets.WithLabelValues(label(roles, role)).Inc()
}

// SocketClosed counts the end of a socket that SocketOpened counted, with the same role.
func (m *Metrics) SocketClosed(role string) {
	if m == nil {
		return
	}
	m.sockets.WithLabelValues(label(roles, role)).Dec()
}

// LiveMeetings sets how many meetings have a socket open on this instance.
func (m *Metrics) LiveMeetings(n int) {
	if m == nil {
		return
	}
	m.liveMeetings.Set(float64(n))
}

// CommandDone counts one command by name and outcome code (CodeOK or a domain error
// code) and observes the time each stage took; a stage that did not run is 0 and
// not observed (a refused command has no store or fan-out time).
func (m *Metrics) CommandDone(name, code string, decide, store, fanout time.Duration) {
	if m == nil {
		return
	}
	m.commandsTotal.WithLabelValues(label(m.commands, name), label(m.codes, code)).Inc()
	for _, s := range []struct {
		stage string
		d     time.Duration
	}{{StageDecide, decide}, {StageStore, store}, {StageFanout, fanout}} {
		if s.d > 0 {
			m.stage.WithLabelValues(s.stage).Observe(s.d.Seconds())
		}
	}
}

// EventsSent counts n event frames queued to connections.
func (m *Metrics) EventsSent(n int) {
	if m == nil {
		return
	}
	m.eventsSent.Add(float64(n))
}

// SendQueueDrop counts a frame that did not fit in a connection's send queue.
func (m *Metrics) SendQueueDrop() {
	if m == nil {
		return
	}
	m.queueDrops.Inc()
}

// SlowClose counts a connection closed with 4008 because it could not keep up.
func (m *Metrics) SlowClose() {
	if m == nil {
		return
	}
	m.slowCloses.Inc()
}

// DBError counts a failed database operation. The store reports its own
// (store.Observe): the command path need not.
func (m *Metrics) DBError() {
	if m == nil {
		return
	}
	m.dbErrors.Inc()
}

// RedisError counts a failed Redis operation.
func (m *Metrics) RedisError() {
	if m == nil {
		return
	}
	m.redisErrors.Inc()
}

// AuditWrites counts n audit records written. The store reports them itself
// (store.Observe): the command path need not.
func (m *Metrics) AuditWrites(n int) {
	if m == nil {
		return
	}
	m.auditWrites.Add(float64(n))
}

// PurgeRun counts one run of the retention purge with its outcome (PurgeOK or
// PurgeError) and the meetings it deleted.
func (m *Metrics) PurgeRun(outcome string, meetings int) {
	if m == nil {
		return
	}
	if outcome != PurgeOK {
		outcome = PurgeError
	}
	m.purgeRuns.WithLabelValues(outcome).Inc()
	m.purged.Add(float64(meetings))
}

// HTTPRequest counts one answered HTTP request. route is the route pattern that
// matched ("/api/meetings/:id/snapshot"), never the path, so ids stay out of labels.
func (m *Metrics) HTTPRequest(method, route string, status int, d time.Duration) {
	if m == nil {
		return
	}
	m.httpRequests.WithLabelValues(label(httpMethods, method), strings.Clone(route), strconv.Itoa(status)).Inc()
	m.httpDuration.Observe(d.Seconds())
}

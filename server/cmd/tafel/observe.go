package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"strings"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace/noop"
)

// newLogger writes to out as JSON or text, as format says; "" picks text on a
// terminal and JSON otherwise (a container's log collector).
func newLogger(out io.Writer, format, level string) *slog.Logger {
	lvl := slog.LevelInfo
	_ = lvl.UnmarshalText([]byte(level))
	opts := &slog.HandlerOptions{Level: lvl}
	if format == "" {
		format = "json"
		if isTerminal(out) {
			format = "text"
		}
	}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(out, opts))
	}
	return slog.New(slog.NewTextHandler(out, opts))
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// metricsMux serves /metrics and net/http/pprof: for the metrics address only,
// never the public one.
func metricsMux(metrics http.Handler) *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", metrics)
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}

// startMetrics listens on the metrics address and serves there until Close.
func (m *Main) startMetrics() error {
	ln, err := net.Listen("tcp", m.Config.MetricsAddr)
	if err != nil {
		return fmt.Errorf("TAFEL_METRICS_ADDR: %w", err)
	}
	m.metricsLn = ln
	// No write timeout: a CPU profile streams for as long as it was asked to run.
	m.metricsSrv = &http.Server{Handler: metricsMux(m.Metrics.Handler()), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := m.metricsSrv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			m.Log.Error("metrics listener stopped", "err", err)
		}
	}()
	return nil
}

// MetricsAddr is the address /metrics is served on, once Run returned; "" when off.
func (m *Main) MetricsAddr() string {
	if m.metricsLn == nil {
		return ""
	}
	return m.metricsLn.Addr().String()
}

func (m *Main) stopMetrics() error {
	if m.metricsSrv == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return m.metricsSrv.Shutdown(ctx)
}

// startTracing sets m.Tracer: with an OTLP endpoint, one whose spans are batched
// to that endpoint over HTTP (the other OTEL_EXPORTER_OTLP_* variables, such as
// headers, are read by the exporter itself); without one, a tracer that records nothing.
func (m *Main) startTracing(ctx context.Context) error {
	if m.Config.OTLPEndpoint == "" {
		m.Tracer = noop.NewTracerProvider().Tracer("tafel")
		return nil
	}
	exp, err := otlptracehttp.New(ctx, otlptracehttp.WithEndpointURL(strings.TrimRight(m.Config.OTLPEndpoint, "/")+"/v1/traces"))
	if err != nil {
		return fmt.Errorf("OTEL_EXPORTER_OTLP_ENDPOINT: %w", err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp),
		sdktrace.WithResource(resource.NewSchemaless(attribute.String("service.name", "tafel"))))
	m.tracerProvider = tp
	m.Tracer = tp.Tracer("github.com/tafel-met/tafel")
	return nil
}

// stopTracing sends the spans still buffered.
func (m *Main) stopTracing() error {
	if m.tracerProvider == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return m.tracerProvider.Shutdown(ctx)
}

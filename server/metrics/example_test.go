package metrics_test

import (
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/tafel-met/tafel/server/metrics"
)

// commandMetrics is what a command path declares where it uses the metrics
// (interfaces where they are used); *metrics.Metrics satisfies it.
type commandMetrics interface {
	CommandDone(name, code string, decide, store, fanout time.Duration)
	EventsSent(n int)
}

var _ commandMetrics = (*metrics.Metrics)(nil)

// A command path times its three stages and reports them once the command is done.
func ExampleMetrics_CommandDone() {
	m := metrics.New()
	var cm commandMetrics = m
	start := time.Now()
	// ... decide with the domain rules
	decided := time.Now()
	// ... store the events and the audit row in one transaction
	stored := time.Now()
	// ... publish the events to the sockets
	cm.EventsSent(4)
	cm.CommandDone("worry.add", metrics.CodeOK, decided.Sub(start), stored.Sub(decided), time.Since(stored))

	n, _ := testutil.GatherAndCount(m.Registry(), "tafel_commands_total")
	fmt.Println(n, "command series")
	// Output: 1 command series
}

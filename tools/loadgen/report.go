package main

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
)

// stepRow is what one step measured.
type stepRow struct {
	rate                 float64 // offered, commands a second
	scheduled, bursts    int
	maxPerSecond         int // most sends of one socket within one second
	sent, acks           int64
	achieved             float64 // acks received within the step's window, a second
	completed            int     // commands whose event reached every other member
	errors               map[string]int
	timeouts             int
	backlog              int64
	quiet                time.Duration // how long the server went on sending after the drain
	lost, dup, reordered int
	unacked              int
	hist                 *hdrhistogram.Histogram
	cpu, selfCPU         float64 // percent of one core
	rss, peakRSS         int64   // KiB
	duration             time.Duration
}

func ms(us int64) string {
	switch {
	case us < 10_000:
		return fmt.Sprintf("%.1f", float64(us)/1000)
	default:
		return fmt.Sprintf("%.0f", float64(us)/1000)
	}
}

func (r stepRow) pct(q float64) string {
	if r.hist.TotalCount() == 0 {
		return "-"
	}
	return ms(r.hist.ValueAtQuantile(q))
}

func (r stepRow) errorText() string {
	if len(r.errors) == 0 {
		return "0"
	}
	var keys []string
	for k := range r.errors {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", k, r.errors[k]))
	}
	return strings.Join(parts, ", ")
}

func (r stepRow) print(w io.Writer) {
	fmt.Fprintf(w, "offered %.0f/s (%d sends, %d in bursts, max %d/s on one socket): achieved %.0f/s, acks %d, complete %d; p50 %s p90 %s p99 %s p99.9 %s max %s ms; errors %s; timeouts %d; client backlog %d; lost %d dup %d reordered %d unacked-events %d; server CPU %.0f%% RSS %.0f MiB (peak %.0f); loadgen CPU %.0f%%\n",
		r.rate, r.scheduled, r.bursts, r.maxPerSecond, r.achieved, r.acks, r.completed,
		r.pct(50), r.pct(90), r.pct(99), r.pct(99.9), r.pct(100), r.errorText(), r.timeouts, r.backlog,
		r.lost, r.dup, r.reordered, r.unacked, r.cpu, float64(r.rss)/1024, float64(r.peakRSS)/1024, r.selfCPU)
}

// report is one run of the generator, as markdown.
type report struct {
	cfg                                 config
	setup                               time.Duration
	load                                string
	idle                                []idleRow
	rows                                []stepRow
	disconnects, snapshots, strayErrors int64
	late                                int64     // answers that came after their step was settled
	skipped                             []float64 // steps not run: an earlier one was overloaded
	closeCodes                          map[int]int
}

func (rep *report) markdown(w io.Writer) {
	c := rep.cfg
	name := c.scenario
	if name == "" {
		name = "custom"
	}
	fmt.Fprintf(w, "\n#### %s: %s, %d meetings x %d sockets, %s\n\n", name, c.label, c.meetings, c.size, commandText(c))
	fmt.Fprintf(w, "`%s` (load average before: %s; setup took %s)\n\n", commandLine(os.Args), rep.load, rep.setup.Round(time.Second))
	if len(rep.idle) > 0 {
		fmt.Fprintln(w, "| idle sockets | server RSS before | RSS with them | KiB a socket |")
		fmt.Fprintln(w, "| ---: | ---: | ---: | ---: |")
		for _, r := range rep.idle {
			fmt.Fprintf(w, "| %d | %.1f MiB | %.1f MiB | %.1f |\n", r.sockets, float64(r.before)/1024, float64(r.with)/1024, r.perSocket())
		}
		fmt.Fprintln(w)
	}
	if len(rep.rows) > 0 {
		fmt.Fprintln(w, "| offered/s (nominal) | achieved/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | acks | errors | timeouts | lost/dup/reordered | server CPU | server RSS (peak) | loadgen CPU |")
		fmt.Fprintln(w, "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |")
		for _, r := range rep.rows {
			offered := fmt.Sprintf("%.0f (%.0f)", float64(r.scheduled)/c.duration.Seconds(), r.rate)
			if r.bursts > 0 {
				offered = fmt.Sprintf("%.0f (%.0f + %d in bursts)", float64(r.scheduled)/c.duration.Seconds(), r.rate, r.bursts)
			}
			errs := r.errorText()
			if r.backlog > 0 {
				errs += fmt.Sprintf(", not sent (client busy) %d", r.backlog)
			}
			fmt.Fprintf(w, "| %s | %.0f | %s | %s | %s | %s | %s | %d | %s | %d | %d/%d/%d | %.0f%% | %.0f MiB (%.0f) | %.0f%% |\n",
				offered, r.achieved, r.pct(50), r.pct(90), r.pct(99), r.pct(99.9), r.pct(100), r.acks, errs, r.timeouts,
				r.lost, r.dup, r.reordered, r.cpu, float64(r.rss)/1024, float64(r.peakRSS)/1024, r.selfCPU)
		}
		for _, r := range rep.skipped {
			fmt.Fprintf(w, "| (%.0f) | skipped: an earlier step achieved less than half its offered rate | | | | | | | | | | | | |\n", r)
		}
		fmt.Fprintln(w)
		if k := knee(rep.rows); k != "" && len(rep.rows)+len(rep.skipped) > 1 {
			fmt.Fprintf(w, "Knee: %s.\n\n", k)
		}
	}
	if rep.disconnects > 0 || rep.snapshots > 0 || rep.strayErrors > 0 || rep.late > 0 {
		fmt.Fprintf(w, "Sockets closed by the server: %d; snapshots received during the load (resyncs): %d; errors for no known command: %d; answers after their step was counted: %d.\n\n",
			rep.disconnects, rep.snapshots, rep.strayErrors, rep.late)
		if len(rep.closeCodes) > 0 {
			var codes []int
			for c := range rep.closeCodes {
				codes = append(codes, c)
			}
			sort.Ints(codes)
			var parts []string
			for _, c := range codes {
				parts = append(parts, fmt.Sprintf("%d: %d", c, rep.closeCodes[c]))
			}
			fmt.Fprintf(w, "Close codes of the closed sockets (0: no close frame): %s.\n\n", strings.Join(parts, ", "))
		}
	}
}

func commandText(c config) string {
	s := "`worry.edit` of one's own revealed worry (worries round)"
	if c.command == "rank" {
		s = "`ranking.set` (ranking round)"
	}
	if c.perPerson > 0 {
		s += fmt.Sprintf(", %.2g commands/s a participant", c.perPerson)
	}
	if c.burstFrac > 0 {
		s += fmt.Sprintf(", every %s a rank burst: every participant of %.0f%% of the meetings within one second", c.burstEvery, c.burstFrac*100)
	}
	return s + fmt.Sprintf(", %s a step", c.duration)
}

// knee says where p99 first passes 100 ms (or commands went unanswered), and
// where the achieved rate first falls 5% short of the offered one.
func knee(rows []stepRow) string {
	return latencyKnee(rows) + "; " + throughputKnee(rows)
}

func throughputKnee(rows []stepRow) string {
	last := ""
	for _, r := range rows {
		offered := float64(r.scheduled) / r.duration.Seconds()
		if r.achieved < 0.95*offered {
			if last == "" {
				return fmt.Sprintf("throughput falls short already at %.0f/s (%.0f/s achieved)", r.rate, r.achieved)
			}
			return fmt.Sprintf("throughput keeps up to %s/s and falls short at %.0f/s (%.0f/s achieved)", last, r.rate, r.achieved)
		}
		last = fmt.Sprintf("%.0f", r.rate)
	}
	return fmt.Sprintf("throughput keeps up to %s/s", last)
}

func latencyKnee(rows []stepRow) string {
	last := ""
	for _, r := range rows {
		bad := r.hist.TotalCount() == 0 || r.hist.ValueAtQuantile(99) > 100_000 || r.timeouts > 0 || r.lost > 0
		if bad {
			if last == "" {
				return fmt.Sprintf("p99 is over 100 ms already at %.0f/s", r.rate)
			}
			return fmt.Sprintf("between %s/s (p99 within 100 ms) and %.0f/s (p99 %s ms)", last, r.rate, r.pct(99))
		}
		last = fmt.Sprintf("%.0f", r.rate)
	}
	return fmt.Sprintf("not reached: p99 within 100 ms up to %s/s", last)
}

// commandLine is the generator's command line as a shell would take it, without
// -md (where this report is being written).
func commandLine(args []string) string {
	var out []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "-md" && i+1 < len(args) {
			i++
			continue
		}
		if strings.HasPrefix(a, "-md=") {
			continue
		}
		if a == "" || strings.ContainsAny(a, " ?&*;'\"$") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		out = append(out, a)
	}
	return strings.Join(out, " ")
}

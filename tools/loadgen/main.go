// Command loadgen plays many meetings against a running Tafel (or the bare
// broadcast baseline) over real websockets and measures how long each change
// takes to reach the last other person of its meeting.
//
// Arrivals are open loop: each step's send times are drawn up front from a
// Poisson process and commands go out at their time whether or not earlier ones
// were answered, so a slow server cannot slow the clock. Latency runs from the
// scheduled send time to the moment the last other member of the meeting
// received the command's event, in an HDR histogram.
//
//	go run ./tools/loadgen -scenario P                   # spawns bin/tafel on SQLite
//	go run ./tools/loadgen -scenario P -target baseline  # spawns bin/loadgen-baseline
//
// tools/bench-load.sh runs every scenario on SQLite, Postgres and the baseline.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
	"github.com/fasthttp/websocket"
)

// config is every flag.
type config struct {
	scenario    string
	target      string // tafel or baseline
	bin         string
	url         string
	pid         int
	databaseURL string
	email       string
	password    string
	label       string
	meetings    int
	size        int
	rates       []float64 // total commands a second, one step each
	perPerson   float64   // when set, the one step's rate is this times every socket
	duration    time.Duration
	drain       time.Duration
	command     string
	burstFrac   float64
	burstEvery  time.Duration
	idle        []int
	workers     int
	seed        uint64
	md          string
	quiet       time.Duration
	keepGoing   bool
	serverLog   string
}

// presets are the scenarios of issue 9; flags given explicitly override them.
var presets = map[string]map[string]string{
	"P":  {"meetings": "100", "size": "10", "rates": "100,200,400,800,1600", "duration": "20s", "command": "edit"},
	"S1": {"meetings": "200", "size": "10", "per-person": "0.2", "duration": "30s", "command": "edit"},
	"S2": {"meetings": "1000", "size": "10", "per-person": "0.1", "duration": "30s", "command": "rank",
		"bursts": "0.1", "burst-every": "10s", "idle": "1000,5000"},
	"idle": {"meetings": "500", "size": "10", "idle": "1000,5000", "rates": "", "command": "rank"},
}

func main() {
	cfg, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

func parseFlags(args []string) (config, error) {
	var c config
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	scenario := fs.String("scenario", "", "P, S1, S2 or idle: sets the flags below to the scenario's values (explicit flags win)")
	fs.StringVar(&c.target, "target", "tafel", "tafel, or baseline (the bare broadcast server, tools/loadgen/baseline)")
	fs.StringVar(&c.bin, "bin", "", "server binary to spawn (default bin/tafel or bin/loadgen-baseline)")
	fs.StringVar(&c.url, "url", "", "a running server's base URL instead of spawning one (then -email/-password, and -pid for CPU and RSS)")
	fs.IntVar(&c.pid, "pid", 0, "with -url: the server's process id, to read its CPU and RSS")
	fs.StringVar(&c.databaseURL, "database-url", os.Getenv("DATABASE_URL"), "DATABASE_URL for the spawned tafel (empty: SQLite in a temporary data dir)")
	fs.StringVar(&c.email, "email", "loadgen@tafel.example", "coordinator account (created with `tafel user create` when spawning)")
	fs.StringVar(&c.password, "password", "loadgen-wachtwoord-2026", "its password")
	fs.StringVar(&c.label, "label", "", "what to call this run in the report (default: target and database)")
	fs.IntVar(&c.meetings, "meetings", 100, "meetings")
	fs.IntVar(&c.size, "size", 10, "participant sockets per meeting (at most 64)")
	rates := fs.String("rates", "100", "total commands a second, comma-separated: one step each")
	fs.Float64Var(&c.perPerson, "per-person", 0, "commands a second per participant (one step; overrides -rates)")
	fs.DurationVar(&c.duration, "duration", 20*time.Second, "length of each step's schedule")
	fs.DurationVar(&c.drain, "drain", 10*time.Second, "after a step, how long to wait for every answer and event before waiting for the server to go quiet (-quiet)")
	fs.StringVar(&c.command, "command", "edit", "edit: worry.edit of one's own revealed worry (worries round); rank: ranking.set (ranking round)")
	fs.Float64Var(&c.burstFrac, "bursts", 0, "rank bursts: the fraction of meetings in which every participant sends once within one second")
	fs.DurationVar(&c.burstEvery, "burst-every", 10*time.Second, "time between rank bursts")
	idle := fs.String("idle", "", "idle socket counts to measure resident memory at, comma-separated, before the load")
	fs.IntVar(&c.workers, "workers", 8, "meetings set up at once")
	fs.Uint64Var(&c.seed, "seed", 1, "random seed of the schedules")
	fs.StringVar(&c.md, "md", "", "append the results as markdown to this file")
	fs.DurationVar(&c.quiet, "quiet", 60*time.Second, "after a step's drain, wait up to this long until the server has sent nothing for 3 s: what is unanswered then is a timeout, what never arrived is lost, and no backlog spills into the next step")
	fs.BoolVar(&c.keepGoing, "keep-going", false, "run every step even after one achieved less than half its offered rate")
	fs.StringVar(&c.serverLog, "server-log", "", "where the spawned server's output goes (default: a temporary file)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	c.scenario = *scenario
	if *scenario != "" {
		p, ok := presets[*scenario]
		if !ok {
			return c, fmt.Errorf("unknown scenario %q", *scenario)
		}
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		for k, v := range p {
			if !set[k] {
				if err := fs.Set(k, v); err != nil {
					return c, err
				}
			}
		}
	}
	var err error
	if c.rates, err = floats(*rates); err != nil {
		return c, fmt.Errorf("-rates: %w", err)
	}
	if c.perPerson > 0 {
		c.rates = []float64{c.perPerson * float64(c.meetings*c.size)}
	}
	fl, err := floats(*idle)
	if err != nil {
		return c, fmt.Errorf("-idle: %w", err)
	}
	for _, n := range fl {
		c.idle = append(c.idle, int(n))
	}
	if c.size < 1 || c.size > 64 {
		return c, fmt.Errorf("-size must be 1-64")
	}
	if c.command != "edit" && c.command != "rank" {
		return c, fmt.Errorf("-command must be edit or rank")
	}
	if c.target != "tafel" && c.target != "baseline" {
		return c, fmt.Errorf("-target must be tafel or baseline")
	}
	if c.bin == "" {
		c.bin = map[string]string{"tafel": "bin/tafel", "baseline": "bin/loadgen-baseline"}[c.target]
	}
	if c.label == "" {
		c.label = c.target
		if c.target == "tafel" {
			c.label = "tafel, SQLite"
			if c.databaseURL != "" {
				c.label = "tafel, Postgres"
			}
		}
	}
	return c, nil
}

func floats(s string) ([]float64, error) {
	var out []float64
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x == "" {
			continue
		}
		f, err := strconv.ParseFloat(x, 64)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// loadgen is one run: the server, its meetings and their sockets.
type loadgen struct {
	cfg       config
	base      string
	pid       int
	server    *exec.Cmd
	recording atomic.Bool

	disconnects, badFrames, strayErrors, snapshots atomic.Int64
	frames                                         atomic.Int64 // every frame the participant sockets received
	late                                           atomic.Int64 // answers after their step was settled
	closeMu                                        sync.Mutex
	closeCodes                                     map[int]int

	meetings []plannedMeeting
	fans     []*Fanout
	socks    []*sock // meeting m's participant j is socks[m*size+j]; nil until connected
	out      io.Writer
}

func run(ctx context.Context, cfg config, out io.Writer) error {
	lg := &loadgen{cfg: cfg, out: out}
	defer lg.stopServer()
	if err := lg.startServer(ctx); err != nil {
		return err
	}
	t0 := time.Now()
	if err := lg.setup(ctx); err != nil {
		return fmt.Errorf("setup: %w", err)
	}
	setupTook := time.Since(t0)
	fmt.Fprintf(out, "setup: %d meetings of %d in %s\n", cfg.meetings, cfg.size, setupTook.Round(time.Second))
	rep := &report{cfg: cfg, setup: setupTook, load: loadAverage()}
	idle, err := lg.measureIdle(ctx)
	if err != nil {
		return err
	}
	rep.idle = idle
	if len(cfg.rates) > 0 {
		if err := lg.connectAll(ctx, len(lg.socks)); err != nil {
			return err
		}
		time.Sleep(2 * time.Second) // presence settles
		for i, r := range cfg.rates {
			if ctx.Err() != nil {
				break
			}
			row := lg.step(ctx, r)
			row.print(out)
			rep.rows = append(rep.rows, row)
			if row.quiet > quietFor+time.Second {
				fmt.Fprintf(out, "the server went on sending for %s after the drain\n", row.quiet.Round(time.Second))
			}
			if !cfg.keepGoing && row.achieved < 0.5*r && i+1 < len(cfg.rates) {
				rep.skipped = cfg.rates[i+1:]
				fmt.Fprintf(out, "achieved under half the offered rate: the steps at %v/s are skipped (-keep-going runs them)\n", rep.skipped)
				break
			}
		}
	}
	lg.closeMu.Lock()
	rep.closeCodes = lg.closeCodes
	lg.closeMu.Unlock()
	rep.disconnects, rep.snapshots, rep.strayErrors, rep.late = lg.disconnects.Load(), lg.snapshots.Load(), lg.strayErrors.Load(), lg.late.Load()
	if cfg.md != "" {
		f, err := os.OpenFile(cfg.md, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			return err
		}
		defer f.Close()
		rep.markdown(f)
	}
	rep.markdown(out)
	return nil
}

func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// startServer spawns the server (or takes -url) and waits until it answers.
func (lg *loadgen) startServer(ctx context.Context) error {
	cfg := lg.cfg
	if cfg.url != "" {
		lg.base, lg.pid = strings.TrimRight(cfg.url, "/"), cfg.pid
		return lg.waitReady(ctx)
	}
	addr, err := freePort()
	if err != nil {
		return err
	}
	lg.base = "http://" + addr
	logPath := cfg.serverLog
	if logPath == "" {
		f, err := os.CreateTemp("", "loadgen-server-*.log")
		if err != nil {
			return err
		}
		f.Close()
		logPath = f.Name()
	}
	logf, err := os.Create(logPath)
	if err != nil {
		return err
	}
	if cfg.target == "baseline" {
		lg.server = exec.Command(cfg.bin, "-addr", addr)
	} else {
		dir, err := os.MkdirTemp("", "loadgen-data-*")
		if err != nil {
			return err
		}
		env := append(os.Environ(), "TAFEL_ADDR="+addr, "TAFEL_DATA_DIR="+dir, "TAFEL_BASE_URL="+lg.base,
			"TAFEL_LOG_LEVEL=warn", "TAFEL_PURGE_EVERY=0", "DATABASE_URL="+cfg.databaseURL)
		user := exec.CommandContext(ctx, cfg.bin, "user", "create", "--organisation", "Gemeente Belasting",
			"--email", cfg.email, "--name", "Coordinator Belasting", "--password-stdin")
		user.Env, user.Stdin = env, strings.NewReader(cfg.password+"\n")
		if b, err := user.CombinedOutput(); err != nil {
			return fmt.Errorf("tafel user create: %v: %s", err, b)
		}
		lg.server = exec.Command(cfg.bin, "serve")
		lg.server.Env = env
	}
	lg.server.Stdout, lg.server.Stderr = logf, logf
	lg.server.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM} // it ends with the generator
	if err := lg.server.Start(); err != nil {
		return err
	}
	lg.pid = lg.server.Process.Pid
	fmt.Fprintf(lg.out, "server: %s pid %d at %s (log %s)\n", cfg.bin, lg.pid, lg.base, logPath)
	return lg.waitReady(ctx)
}

func (lg *loadgen) waitReady(ctx context.Context) error {
	path := "/readyz"
	if lg.cfg.target == "baseline" {
		path = "/healthz"
	}
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		resp, err := http.Get(lg.base + path)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
		}
	}
	return fmt.Errorf("server at %s not ready after 60 s", lg.base)
}

func (lg *loadgen) stopServer() {
	if lg.server == nil || lg.server.Process == nil {
		return
	}
	_ = lg.server.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = lg.server.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		_ = lg.server.Process.Kill()
		<-done
	}
}

// setup makes the meetings: through the REST API and the coordinator's socket on
// Tafel; by name on the baseline, which has no storage and trusts any token.
func (lg *loadgen) setup(ctx context.Context) error {
	cfg := lg.cfg
	lg.meetings = make([]plannedMeeting, cfg.meetings)
	lg.fans = make([]*Fanout, cfg.meetings)
	lg.socks = make([]*sock, cfg.meetings*cfg.size)
	for i := range lg.fans {
		lg.fans[i] = NewFanout(cfg.size)
	}
	if cfg.target == "baseline" {
		for i := range lg.meetings {
			pm := plannedMeeting{id: fmt.Sprintf("m%d", i), worries: []string{"w1", "w2", "w3"}}
			for j := range cfg.size {
				pm.people = append(pm.people, person{meetingID: pm.id, token: fmt.Sprintf("m%d-p%d", i, j), worry: fmt.Sprintf("w%d", j)})
			}
			lg.meetings[i] = pm
		}
		return nil
	}
	// Idle REST connections are dropped before the server's read timeout would
	// answer them with a 400 that net/http logs as unsolicited.
	tr := &http.Transport{MaxIdleConnsPerHost: 64, IdleConnTimeout: 2 * time.Second}
	defer tr.CloseIdleConnections()
	r := &rest{base: lg.base, client: &http.Client{Timeout: 60 * time.Second, Transport: tr}}
	if err := r.login(ctx, cfg.email, cfg.password); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var next atomic.Int64
	var done atomic.Int64
	errc := make(chan error, cfg.workers)
	var wg sync.WaitGroup
	for range cfg.workers {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < cfg.meetings && ctx.Err() == nil; i = int(next.Add(1)) - 1 {
				pm, conns, err := setupTafelMeeting(ctx, r, i, cfg.size, cfg.command)
				if err != nil {
					errc <- fmt.Errorf("meeting %d: %w", i, err)
					cancel()
					return
				}
				lg.meetings[i] = pm
				// Read them from now on: the server closes a socket that answers no
				// ping for a minute, and setting up the rest can take longer.
				for j, c := range conns {
					lg.startSock(i*cfg.size+j, c)
				}
				if n := done.Add(1); n%100 == 0 {
					fmt.Fprintf(lg.out, "  %d meetings ready\n", n)
				}
			}
		})
	}
	wg.Wait()
	close(errc)
	return <-errc
}

// startSock starts reading and writing socket i (participant i%size of meeting i/size).
func (lg *loadgen) startSock(i int, conn *websocket.Conn) {
	m, j := i/lg.cfg.size, i%lg.cfg.size
	pm := lg.meetings[m]
	s := &sock{conn: conn, fan: lg.fans[m], member: j, command: lg.cfg.command, worry: pm.people[j].worry,
		ranks: rankCycle(pm.worries), prefix: fmt.Sprintf("L%d", i), lg: lg}
	s.start()
	lg.socks[i] = s
}

// connectAll connects the first n participant sockets (meeting by meeting).
func (lg *loadgen) connectAll(ctx context.Context, n int) error {
	size := lg.cfg.size
	var next atomic.Int64
	var firstErr error
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range 32 {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < n && ctx.Err() == nil; i = int(next.Add(1)) - 1 {
				if lg.socks[i] != nil {
					continue
				}
				m, j := i/size, i%size
				pm := lg.meetings[m]
				conn, seq, err := dialSock(lg.base, pm.id, pm.people[j].token)
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = fmt.Errorf("socket %d: %w", i, err)
					}
					mu.Unlock()
					continue
				}
				lg.fans[m].Resynced(j, seq)
				lg.startSock(i, conn)
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	return ctx.Err()
}

// countClose counts a socket the server closed, by close code (0: no close frame).
func (lg *loadgen) countClose(code int) {
	lg.closeMu.Lock()
	defer lg.closeMu.Unlock()
	if lg.closeCodes == nil {
		lg.closeCodes = map[int]int{}
	}
	lg.closeCodes[code]++
}

// quietFor is how long the participant sockets must receive nothing before the
// server counts as done: a server starved of CPU on a loaded machine can pause
// for more than a second.
const quietFor = 3 * time.Second

// waitQuiet waits until the participant sockets received nothing for quietFor,
// at most max, and says how long that took.
func (lg *loadgen) waitQuiet(ctx context.Context, max time.Duration) time.Duration {
	start := time.Now()
	n, changed := lg.frames.Load(), time.Now()
	for time.Since(start) < max && ctx.Err() == nil && time.Since(changed) < quietFor {
		time.Sleep(250 * time.Millisecond)
		if m := lg.frames.Load(); m != n {
			n, changed = m, time.Now()
		}
	}
	return time.Since(start)
}

// idleRow is resident memory with n idle sockets open.
type idleRow struct {
	sockets      int
	before, with int64 // KiB
}

// measureIdle opens sockets up to each -idle count and reads the server's
// resident memory, against what it used with none open.
func (lg *loadgen) measureIdle(ctx context.Context) ([]idleRow, error) {
	if len(lg.cfg.idle) == 0 {
		return nil, nil
	}
	settle := func() int64 {
		time.Sleep(3 * time.Second)
		var rs []int64
		for range 3 {
			rs = append(rs, readProc(lg.pid).rssKiB)
			time.Sleep(time.Second)
		}
		sort.Slice(rs, func(i, j int) bool { return rs[i] < rs[j] })
		return rs[1]
	}
	before := settle()
	var rows []idleRow
	for _, n := range lg.cfg.idle {
		if n > len(lg.socks) {
			fmt.Fprintf(lg.out, "idle: only %d sockets planned, not %d\n", len(lg.socks), n)
			continue
		}
		if err := lg.connectAll(ctx, n); err != nil {
			return nil, err
		}
		row := idleRow{sockets: n, before: before, with: settle()}
		fmt.Fprintf(lg.out, "idle: %d sockets: RSS %d -> %d KiB: %.1f KiB a socket\n", n, row.before, row.with, row.perSocket())
		rows = append(rows, row)
	}
	return rows, nil
}

func (r idleRow) perSocket() float64 { return float64(r.with-r.before) / float64(r.sockets) }

// step runs one open-loop step at rate commands a second over every socket.
func (lg *loadgen) step(ctx context.Context, rate float64) stepRow {
	cfg := lg.cfg
	rng := rand.New(rand.NewPCG(cfg.seed, uint64(rate*1000)))
	sched := PoissonSchedule(rng, rate, cfg.duration, len(lg.socks))
	var bursts int
	if cfg.burstFrac > 0 {
		b := BurstSchedule(rng, cfg.duration, cfg.burstEvery, time.Second, cfg.meetings, cfg.size, cfg.burstFrac)
		bursts = len(b)
		sched = MergeSchedules(sched, b)
	}
	st := &step{errors: map[string]int{}}
	st.stats.Latency = hdrhistogram.New(1, 120_000_000, 3)
	st.start = time.Now().Add(200 * time.Millisecond)
	st.end = st.start.Add(cfg.duration)
	row := stepRow{rate: rate, duration: cfg.duration, scheduled: len(sched), bursts: bursts, maxPerSecond: MaxPerWindow(sched, time.Second)}

	cpu0, self0 := readProc(lg.pid), readProc(os.Getpid())
	peak := int64(0)
	stopPeak := make(chan struct{})
	var peakWG sync.WaitGroup
	peakWG.Go(func() {
		t := time.NewTicker(500 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stopPeak:
				return
			case <-t.C:
				peak = max(peak, readProc(lg.pid).rssKiB)
			}
		}
	})
	lg.recording.Store(true)
	for _, s := range sched {
		at := st.start.Add(s.At)
		if d := time.Until(at); d > 0 {
			select {
			case <-ctx.Done():
			case <-time.After(d):
			}
		}
		if ctx.Err() != nil {
			break
		}
		if sk := lg.socks[s.Conn]; sk != nil && sk.closed.Load() == 0 {
			sk.send(pendingCmd{scheduled: at, step: st})
		} else {
			st.countError("socket_closed")
		}
	}
	if d := time.Until(st.end); d > 0 {
		time.Sleep(d)
	}
	wall := time.Since(st.start).Seconds()
	cpu1, self1 := readProc(lg.pid), readProc(os.Getpid())
	row.rss = readProc(lg.pid).rssKiB
	// Drain: wait for answers and the last events, up to cfg.drain.
	for deadline := time.Now().Add(cfg.drain); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		st.mu.Lock()
		nerr := 0
		for _, n := range st.errors {
			nerr += n
		}
		st.mu.Unlock()
		st.stats.mu.Lock()
		completed := st.stats.Completed
		st.stats.mu.Unlock()
		if int64(nerr)+st.acks.Load() >= int64(row.scheduled)-st.backlog.Load() && int64(completed) >= st.acks.Load() {
			break
		}
	}
	// A server behind on its work goes on answering after the drain: wait until it
	// has sent nothing for quietFor, so that what is counted as timed out or lost
	// below was never answered, not merely late (late ones are in the histogram).
	row.quiet = lg.waitQuiet(ctx, cfg.quiet)
	lg.recording.Store(false)
	st.closed.Store(true)
	close(stopPeak)
	peakWG.Wait()
	row.peakRSS = max(peak, row.rss)
	for _, s := range lg.socks {
		if s != nil {
			row.timeouts += s.timeouts(st)
		}
	}
	for _, f := range lg.fans {
		t := f.Settle(&st.stats)
		row.lost += t.Lost
		row.dup += t.Duplicates
		row.reordered += t.Reordered
		row.unacked += t.UnackedSeqs
	}
	row.sent = st.sent.Load()
	row.acks = st.acks.Load()
	row.achieved = float64(st.inTime.Load()) / cfg.duration.Seconds()
	row.backlog = st.backlog.Load()
	row.errors = st.errors
	row.completed = st.stats.Completed
	row.hist = st.stats.Latency.(*hdrhistogram.Histogram)
	if lg.pid > 0 {
		row.cpu = float64(cpu1.ticks-cpu0.ticks) / clockTicks / wall * 100
	}
	row.selfCPU = float64(self1.ticks-self0.ticks) / clockTicks / wall * 100
	return row
}

// procStat is a process's CPU time and resident memory.
type procStat struct {
	ticks  int64 // user + system, in clock ticks
	rssKiB int64
}

// clockTicks is USER_HZ, 100 on every Linux we run on.
const clockTicks = 100

func readProc(pid int) procStat {
	var p procStat
	if pid <= 0 {
		return p
	}
	if b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat")); err == nil {
		// Fields after the command name (which may hold spaces) start after ") ".
		if i := strings.LastIndexByte(string(b), ')'); i >= 0 {
			f := strings.Fields(string(b[i+2:]))
			if len(f) > 13 {
				u, _ := strconv.ParseInt(f[11], 10, 64)
				s, _ := strconv.ParseInt(f[12], 10, 64)
				p.ticks = u + s
			}
		}
	}
	if b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "status")); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
				f := strings.Fields(rest)
				if len(f) > 0 {
					p.rssKiB, _ = strconv.ParseInt(f[0], 10, 64)
				}
			}
		}
	}
	return p
}

// loadAverage is the machine's 1, 5 and 15 minute load, as uptime shows it.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

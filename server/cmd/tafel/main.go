// Command tafel serves Tafel: the API, the live meetings and the embedded app.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/tafel-met/tafel/frontend"
	"github.com/tafel-met/tafel/server/app"
	"github.com/tafel-met/tafel/server/httpapi"
	"github.com/tafel-met/tafel/server/metrics"
	"github.com/tafel-met/tafel/server/realtime"
	"github.com/tafel-met/tafel/server/realtime/redisbroker"
	"github.com/tafel-met/tafel/server/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "tafel:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout io.Writer) error {
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	if cmd == "--help" || cmd == "-h" || cmd == "help" {
		printHelp(stdout)
		return nil
	}
	cfg, err := LoadConfig(getenv)
	if err != nil {
		return err
	}
	switch cmd {
	case "serve":
		m := NewMain(cfg, stdout)
		if err := m.Run(ctx); err != nil {
			return err
		}
		<-ctx.Done()
		return m.Close()
	case "migrate":
		return migrate(ctx, cfg, args, stdout)
	case "user":
		return userCommand(ctx, cfg, args, stdin, stdout)
	case "audit":
		return auditCommand(ctx, cfg, args, stdout)
	case "purge":
		return purgeCommand(ctx, cfg, args, stdout)
	case "demo":
		return demo(ctx, cfg, stdout)
	case "backup":
		return backupCommand(ctx, cfg, args, stdout)
	case "restore":
		return restoreCommand(ctx, cfg, args, stdout)
	case "healthcheck":
		return healthcheckCommand(ctx, cfg, stdout)
	}
	printHelp(stdout)
	return fmt.Errorf("unknown command %q", cmd)
}

// seqCheckEvery is how often, with several instances, each compares its live
// meetings' seqs with the database's: the bound on how late a change reaches
// another instance while Redis is down.
const seqCheckEvery = 2 * time.Second

// Main owns the parts of a running server and their lifetimes.
type Main struct {
	Config Config
	Out    io.Writer
	Log    *slog.Logger
	// NoSetupLink skips printing the first-account link (the demo makes its own account).
	NoSetupLink bool

	Store  *store.Store
	App    *app.Service
	Hub    *realtime.Hub
	HTTP   *httpapi.Server
	Broker app.Broker
	// Metrics is always there (counting costs next to nothing); it is served only
	// when TAFEL_METRICS_ADDR is set.
	Metrics *metrics.Metrics
	// Tracer traces commands; it records nothing unless OTEL_EXPORTER_OTLP_ENDPOINT is set.
	Tracer trace.Tracer
	ln     net.Listener
	served chan error

	metricsLn      net.Listener
	metricsSrv     *http.Server
	tracerProvider *sdktrace.TracerProvider

	unlock               func() // releases the SQLite database's lock
	stopPurge, purgeDone chan struct{}
	stopPresence         context.CancelFunc
	closeOnce            sync.Once
	closeErr             error
}

// NewMain returns an unstarted server.
func NewMain(cfg Config, out io.Writer) *Main {
	return &Main{Config: cfg, Out: out, Log: newLogger(out, cfg.LogFormat, cfg.LogLevel), Metrics: metrics.New()}
}

// Addr is the address the server listens on, once Run returned.
func (m *Main) Addr() string { return m.ln.Addr().String() }

// Run opens the database (migrating it), starts the hub and begins serving.
func (m *Main) Run(ctx context.Context) error {
	if path, ok := store.SQLitePath(m.Config.DatabaseURL, m.Config.DataDir); ok {
		// One server per SQLite file; the lock also tells restore that one runs.
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return fmt.Errorf("data dir: %w", err)
		}
		unlock, err := lockDatabase(path)
		if err != nil {
			m.Log.Error("cannot open the database", "err", err)
			return err
		}
		m.unlock = unlock
	}
	st, err := store.Open(ctx, m.Config.DatabaseURL, m.Config.DataDir)
	if err != nil {
		m.Log.Error("cannot open the database", "err", err)
		return err
	}
	m.Store = st
	st.Observe(m.Metrics)
	if err := m.startTracing(ctx); err != nil {
		return err
	}
	if m.Config.RedisURL != "" {
		if m.Broker, err = redisbroker.New(ctx, m.Config.RedisURL, m.Log); err != nil {
			return err
		}
	} else {
		m.Broker = app.LocalBroker{}
	}
	m.App = app.New(st, m.Broker, m.Log)
	m.App.Observe(m.Metrics, m.Tracer)
	m.Hub = realtime.NewHub(m.App, st, m.Log)
	m.Hub.Observe(m.Metrics)
	if m.Config.RedisURL != "" {
		var pctx context.Context
		pctx, m.stopPresence = context.WithCancel(context.Background())
		go m.Hub.RepeatPresence(pctx)
		// While Redis is down or late, other instances' changes come from the database.
		go m.App.WatchSeqs(pctx, seqCheckEvery)
	}
	dist, _ := frontend.Dist()
	m.HTTP = httpapi.New(httpapi.Config{BaseURL: m.Config.BaseURL, IdleTimeout: m.Config.IdleTimeout, MaxSession: m.Config.MaxSession,
		AllowedOrigins: m.Config.AllowedOrigins,
		TrustedProxies: m.Config.TrustedProxies,
		Requests:       m.Metrics,
		OIDC:           httpapi.OIDCConfig{Issuer: m.Config.OIDCIssuer, ClientID: m.Config.OIDCClientID, ClientSecret: m.Config.OIDCClientSecret},
	}, st, m.App, m.Hub, dist, m.Log)
	if err := m.printSetupLink(ctx); err != nil {
		return err
	}
	m.ln, err = net.Listen("tcp", m.Config.Addr)
	if err != nil {
		return err
	}
	m.served = make(chan error, 1)
	go func() { m.served <- m.HTTP.Listener(m.ln) }()
	if m.Config.MetricsAddr != "" {
		if err := m.startMetrics(); err != nil {
			return err
		}
	}
	if m.Config.PurgeEvery > 0 {
		m.stopPurge = make(chan struct{})
		m.purgeDone = make(chan struct{})
		go m.purgeLoop()
	}
	m.Log.Info("tafel is serving", "addr", m.ln.Addr().String(), "database", st.Dialect(), "url", m.Config.BaseURL, "metrics", m.MetricsAddr())
	return nil
}

// printSetupLink prints a one-time link for the first coordinator when there is no account.
func (m *Main) printSetupLink(ctx context.Context) error {
	n, err := m.Store.CountUsers(ctx)
	if err != nil || n > 0 || m.NoSetupLink {
		return err
	}
	token := store.NewToken()
	if err := m.Store.CreateSetupToken(ctx, store.HashToken(token), "", time.Now().Add(time.Hour)); err != nil {
		return err
	}
	fmt.Fprintf(m.Out, "\nNo account yet. Open this link within one hour to create the first coordinator:\n\n  %s/setup?token=%s\n\n", m.Config.BaseURL, token)
	return nil
}

// Close stops serving, disconnects clients and closes the database. It may be
// called more than once.
func (m *Main) Close() error {
	m.closeOnce.Do(func() { m.closeErr = m.close() })
	return m.closeErr
}

func (m *Main) close() error {
	var errs []error
	if m.stopPurge != nil {
		close(m.stopPurge)
		<-m.purgeDone
	}
	if m.stopPresence != nil {
		m.stopPresence()
	}
	if m.Hub != nil {
		m.Hub.Close()
	}
	if m.App != nil {
		m.App.Close()
	}
	if m.HTTP != nil && m.ln != nil {
		errs = append(errs, m.HTTP.Shutdown())
	}
	errs = append(errs, m.stopMetrics())
	if m.Broker != nil {
		errs = append(errs, m.Broker.Close())
	}
	if m.Store != nil {
		errs = append(errs, m.Store.Close())
	}
	errs = append(errs, m.stopTracing())
	if m.unlock != nil {
		m.unlock()
	}
	return errors.Join(errs...)
}

func migrate(ctx context.Context, cfg Config, args []string, out io.Writer) error {
	sub := "up"
	if len(args) > 0 {
		sub = args[0]
	}
	// Connect, not Open: "version" reads without migrating, "down" reverts the
	// newest applied migration, not the newest known.
	st, err := store.Connect(ctx, cfg.DatabaseURL, cfg.DataDir)
	if err != nil {
		return err
	}
	defer st.Close()
	switch sub {
	case "up":
		if err := st.Migrate(ctx); err != nil {
			return err
		}
	case "down":
		if err := st.MigrateDown(ctx); err != nil {
			return err
		}
	case "version":
	default:
		return fmt.Errorf("migrate: unknown %q (up, down or version)", sub)
	}
	v, err := st.Version(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s schema at version %d\n", st.Dialect(), v)
	return nil
}

func userCommand(ctx context.Context, cfg Config, args []string, stdin io.Reader, out io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return fmt.Errorf("user: use 'tafel user create --help'")
	}
	fs := flag.NewFlagSet("user create", flag.ContinueOnError)
	fs.SetOutput(out)
	org := fs.String("organisation", "", "organisation name (created if new, with this account as its admin)")
	email := fs.String("email", "", "email address to sign in with")
	name := fs.String("name", "", "the person's name")
	role := fs.String("role", "coordinator", "admin or coordinator")
	pwStdin := fs.Bool("password-stdin", false, "read the password from standard input instead of printing a setup link")
	password := fs.String("password", "", "the password (visible to other users of this machine: prefer --password-stdin)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	acc, err := httpapi.CheckAccount(*org, *name, *email)
	if err != nil {
		return err
	}
	if *role != "admin" && *role != "coordinator" {
		return fmt.Errorf("--role must be admin or coordinator")
	}
	pw := *password
	if *pwStdin {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		pw = strings.TrimRight(line, "\r\n")
	}
	hash := ""
	if pw != "" {
		if err := httpapi.CheckPasswordRules(pw); err != nil {
			return err
		}
		if hash, err = httpapi.HashPassword(pw); err != nil {
			return err
		}
	}
	st, err := store.Open(ctx, cfg.DatabaseURL, cfg.DataDir)
	if err != nil {
		return err
	}
	defer st.Close()
	u := store.User{Email: acc.Email, Name: acc.Name, Role: *role, PasswordHash: hash}
	o, err := st.FindOrganisationByName(ctx, acc.Organisation)
	switch {
	case errors.Is(err, store.ErrNotFound):
		u.Role = "admin"
		_, u, err = st.CreateOrganisationWithAdmin(ctx, acc.Organisation, u)
	case err == nil:
		u.OrganisationID = o.ID
		u, err = st.CreateUser(ctx, u)
	}
	if errors.Is(err, store.ErrDuplicate) {
		return fmt.Errorf("an account with email %s exists already", acc.Email)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Created %s %s <%s> in %q.\n", u.Role, u.Name, u.Email, acc.Organisation)
	if hash == "" {
		token := store.NewToken()
		if err := st.CreateSetupToken(ctx, store.HashToken(token), u.ID, time.Now().Add(time.Hour)); err != nil {
			return err
		}
		fmt.Fprintf(out, "Open this link within one hour to choose a password:\n\n  %s/setup?token=%s\n", cfg.BaseURL, token)
	}
	return nil
}

// errAuditBroken makes `tafel audit verify` exit non-zero.
var errAuditBroken = errors.New("the audit log has been tampered with")

func auditCommand(ctx context.Context, cfg Config, args []string, out io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		return fmt.Errorf("audit: use 'tafel audit verify'")
	}
	st, err := store.Open(ctx, cfg.DatabaseURL, cfg.DataDir)
	if err != nil {
		return err
	}
	defer st.Close()
	checked, problems, err := st.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	for _, p := range problems {
		fmt.Fprintln(out, p.String())
	}
	if len(problems) > 0 {
		fmt.Fprintf(out, "%d entries checked, %d problems\n", checked, len(problems))
		return errAuditBroken
	}
	fmt.Fprintf(out, "%d entries checked, the chain is intact\n", checked)
	return nil
}

// purgeLoop deletes expired personal data now and then, until Close.
func (m *Main) purgeLoop() {
	defer close(m.purgeDone)
	t := time.NewTicker(m.Config.PurgeEvery)
	defer t.Stop()
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		n, err := purge(ctx, m.Store, m.Config.RetentionDays, time.Now(), false, io.Discard, m.App.CloseErased)
		cancel()
		if err != nil {
			m.Metrics.PurgeRun(metrics.PurgeError, n)
			m.Log.Error("purge failed", "err", err)
		} else {
			m.Metrics.PurgeRun(metrics.PurgeOK, n)
		}
		if err == nil && n > 0 {
			m.Log.Info("purged closed meetings past their retention", "meetings", n)
		}
		select {
		case <-m.stopPurge:
			return
		case <-t.C:
		}
	}
}

// purge deletes every closed meeting whose retention has run out at now, each with
// an audit record; with dryRun it only lists them.
func purge(ctx context.Context, st *store.Store, defaultDays int, now time.Time, dryRun bool, out io.Writer, closed func(string)) (int, error) {
	due, err := st.DueForPurge(ctx, now, defaultDays)
	if err != nil {
		return 0, err
	}
	for _, p := range due {
		fmt.Fprintf(out, "meeting %s (closed %s)\n", p.MeetingID, p.ClosedAt.Format("2006-01-02"))
		if dryRun {
			continue
		}
		if err := st.PurgeMeeting(ctx, p, store.AuditEntry{OrganisationID: p.OrganisationID, ActorType: "system", ActorID: "purge",
			ActorRole: "system", Action: store.AuditDelete, ObjectType: "meeting", ObjectID: p.MeetingID, FamilyID: p.FamilyID,
			Detail: "retention"}); err != nil {
			return 0, err
		}
		if closed != nil {
			closed(p.MeetingID)
		}
	}
	return len(due), nil
}

func purgeCommand(ctx context.Context, cfg Config, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("purge", flag.ContinueOnError)
	fs.SetOutput(out)
	dry := fs.Bool("dry-run", false, "list what is due without deleting it")
	if err := fs.Parse(args); err != nil {
		return err
	}
	st, err := store.Open(ctx, cfg.DatabaseURL, cfg.DataDir)
	if err != nil {
		return err
	}
	defer st.Close()
	n, err := purge(ctx, st, cfg.RetentionDays, time.Now(), *dry, out, nil)
	if err != nil {
		return err
	}
	verb := "purged"
	if *dry {
		verb = "due"
	}
	fmt.Fprintf(out, "%d closed meetings %s (retention %d days unless the organisation set its own)\n", n, verb, cfg.RetentionDays)
	return nil
}

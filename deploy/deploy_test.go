// Package deploy holds Tafel's container image, compose file, Kubernetes manifests,
// Grafana dashboard and alert rules. Its tests check them without a container
// engine or a cluster: the manifests are decoded strictly into the Kubernetes API
// types, the compose file is loaded with compose-go, the Dockerfile is read line by
// line, and every metric the dashboard and the alerts name must exist.
package deploy

import (
	"context"
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"sigs.k8s.io/yaml"

	"github.com/tafel-met/tafel/server/metrics"
)

// manifests are the Kubernetes objects in kubernetes/tafel.yaml, each decoded
// strictly: an unknown or misspelt field fails the test.
type manifests struct {
	deployments []appsv1.Deployment
	services    []corev1.Service
	secrets     []corev1.Secret
	pdbs        []policyv1.PodDisruptionBudget
	policies    []networkingv1.NetworkPolicy
	ingresses   []networkingv1.Ingress
}

func decodeManifests(t *testing.T, path string) manifests {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m manifests
	for i, doc := range regexp.MustCompile(`(?m)^---\s*$`).Split(string(raw), -1) {
		var tm metav1.TypeMeta
		if err := yaml.Unmarshal([]byte(doc), &tm); err != nil {
			t.Fatalf("document %d: %v", i, err)
		}
		if tm.Kind == "" {
			if strings.TrimSpace(stripComments(doc)) != "" {
				t.Fatalf("document %d has no kind", i)
			}
			continue
		}
		strict := func(into any) {
			if err := yaml.UnmarshalStrict([]byte(doc), into); err != nil {
				t.Fatalf("%s (document %d): %v", tm.Kind, i, err)
			}
		}
		switch tm.APIVersion + " " + tm.Kind {
		case "apps/v1 Deployment":
			var d appsv1.Deployment
			strict(&d)
			m.deployments = append(m.deployments, d)
		case "v1 Service":
			var s corev1.Service
			strict(&s)
			m.services = append(m.services, s)
		case "v1 Secret":
			var s corev1.Secret
			strict(&s)
			m.secrets = append(m.secrets, s)
		case "policy/v1 PodDisruptionBudget":
			var p policyv1.PodDisruptionBudget
			strict(&p)
			m.pdbs = append(m.pdbs, p)
		case "networking.k8s.io/v1 NetworkPolicy":
			var p networkingv1.NetworkPolicy
			strict(&p)
			m.policies = append(m.policies, p)
		case "networking.k8s.io/v1 Ingress":
			var in networkingv1.Ingress
			strict(&in)
			m.ingresses = append(m.ingresses, in)
		default:
			t.Fatalf("document %d: %s %s is not checked by this test; add it", i, tm.APIVersion, tm.Kind)
		}
	}
	return m
}

func stripComments(doc string) string {
	var out []string
	for _, l := range strings.Split(doc, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "#") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func selects(t *testing.T, sel *metav1.LabelSelector, podLabels map[string]string) bool {
	t.Helper()
	s, err := metav1.LabelSelectorAsSelector(sel)
	if err != nil {
		t.Fatal(err)
	}
	return !s.Empty() && s.Matches(labels.Set(podLabels))
}

func TestKubernetesManifests(t *testing.T) {
	m := decodeManifests(t, "kubernetes/tafel.yaml")
	if len(m.deployments) != 1 || len(m.secrets) != 1 || len(m.pdbs) != 1 || len(m.policies) != 1 || len(m.services) != 1 || len(m.ingresses) != 1 {
		t.Fatalf("want one Deployment, Secret, PodDisruptionBudget, NetworkPolicy, Service and Ingress; got %d %d %d %d %d %d",
			len(m.deployments), len(m.secrets), len(m.pdbs), len(m.policies), len(m.services), len(m.ingresses))
	}
	d := m.deployments[0]
	pod := d.Spec.Template
	if !selects(t, d.Spec.Selector, pod.Labels) {
		t.Fatal("the Deployment's selector does not select its own pods")
	}
	if d.Spec.Replicas == nil || *d.Spec.Replicas < 2 {
		t.Error("fewer than two replicas: a node drain stops Tafel")
	}
	psc := pod.Spec.SecurityContext
	if psc == nil || psc.RunAsNonRoot == nil || !*psc.RunAsNonRoot || psc.RunAsUser == nil || *psc.RunAsUser == 0 {
		t.Error("the pod does not run as a non-root user")
	}
	secret := m.secrets[0]
	for _, c := range pod.Spec.Containers {
		t.Run(c.Name, func(t *testing.T) {
			ports := map[string]int32{}
			for _, p := range c.Ports {
				ports[p.Name] = p.ContainerPort
			}
			for _, p := range []struct {
				name  string
				probe *corev1.Probe
				path  string
			}{{"readiness", c.ReadinessProbe, "/readyz"}, {"liveness", c.LivenessProbe, "/healthz"}} {
				if p.probe == nil || p.probe.HTTPGet == nil || p.probe.HTTPGet.Path != p.path {
					t.Errorf("%s probe: want GET %s", p.name, p.path)
					continue
				}
				if _, ok := ports[p.probe.HTTPGet.Port.String()]; !ok {
					t.Errorf("%s probe port %s is not a container port", p.name, p.probe.HTTPGet.Port.String())
				}
			}
			if c.Resources.Requests.Cpu().IsZero() || c.Resources.Requests.Memory().IsZero() {
				t.Error("no CPU and memory requests")
			}
			if c.Resources.Limits.Memory().IsZero() {
				t.Error("no memory limit")
			}
			sc := c.SecurityContext
			if sc == nil || sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem {
				t.Error("the root filesystem is writable")
			}
			if sc == nil || sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
				t.Error("privilege escalation is allowed")
			}
			if sc == nil || sc.Capabilities == nil || !slices.Contains(sc.Capabilities.Drop, "ALL") {
				t.Error("capabilities are not dropped")
			}
			if sc != nil && sc.RunAsUser != nil && *sc.RunAsUser == 0 {
				t.Error("the container runs as root")
			}
			env := map[string]corev1.EnvVar{}
			for _, e := range c.Env {
				env[e.Name] = e
			}
			db, ok := env["DATABASE_URL"]
			if !ok || db.Value != "" || db.ValueFrom == nil || db.ValueFrom.SecretKeyRef == nil {
				t.Fatal("DATABASE_URL does not come from a Secret")
			}
			ref := db.ValueFrom.SecretKeyRef
			if _, ok := secret.StringData[ref.Key]; ref.Name != secret.Name || !ok {
				t.Errorf("DATABASE_URL names secret %s key %s, which this file does not hold", ref.Name, ref.Key)
			}
			for _, e := range c.Env {
				if strings.Contains(e.Value, "postgres://") || strings.Contains(e.Value, "redis://") {
					t.Errorf("%s holds a connection string in plain text", e.Name)
				}
			}
			metricsAddr := env["TAFEL_METRICS_ADDR"].Value
			if metricsAddr == "" || ports["metrics"] == 0 || !strings.HasSuffix(metricsAddr, ":9090") || ports["metrics"] != 9090 {
				t.Errorf("TAFEL_METRICS_ADDR %q and the metrics port %d do not agree", metricsAddr, ports["metrics"])
			}
		})
	}
	pdb := m.pdbs[0]
	if !selects(t, pdb.Spec.Selector, pod.Labels) {
		t.Error("the PodDisruptionBudget does not select Tafel's pods")
	}
	if pdb.Spec.MinAvailable == nil && pdb.Spec.MaxUnavailable == nil {
		t.Error("the PodDisruptionBudget sets neither minAvailable nor maxUnavailable")
	}
	if pdb.Spec.MinAvailable != nil && int32(pdb.Spec.MinAvailable.IntValue()) >= *d.Spec.Replicas {
		t.Error("minAvailable leaves no pod to evict: a node drain would hang")
	}
	np := m.policies[0]
	if !selects(t, &np.Spec.PodSelector, pod.Labels) {
		t.Error("the NetworkPolicy does not select Tafel's pods")
	}
	if !slices.Contains(np.Spec.PolicyTypes, networkingv1.PolicyTypeIngress) || !slices.Contains(np.Spec.PolicyTypes, networkingv1.PolicyTypeEgress) {
		t.Error("the NetworkPolicy does not limit both ingress and egress")
	}
	for _, rule := range np.Spec.Ingress {
		if len(rule.From) == 0 {
			t.Error("a NetworkPolicy ingress rule lets everyone in")
		}
	}
	for _, in := range m.ingresses {
		for _, r := range in.Spec.Rules {
			for _, p := range r.HTTP.Paths {
				if p.Backend.Service == nil || p.Backend.Service.Port.Name != "http" {
					t.Errorf("the Ingress routes %s to %+v, not the http port", p.Path, p.Backend)
				}
			}
		}
	}
	for _, s := range m.services {
		if !labels.SelectorFromSet(s.Spec.Selector).Matches(labels.Set(pod.Labels)) {
			t.Errorf("Service %s does not select Tafel's pods", s.Name)
		}
	}
}

func TestComposeFile(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p, err := loader.LoadWithContext(ctx, types.ConfigDetails{WorkingDir: ".", ConfigFiles: []types.ConfigFile{{Filename: "compose.yaml"}},
		Environment: types.Mapping{}}, func(o *loader.Options) { o.SetProjectName("tafel", true) })
	if err != nil {
		t.Fatalf("compose.yaml: %v", err)
	}
	dbSecret, ok := p.Secrets["database_url"]
	if !ok || dbSecret.File == "" {
		t.Fatal("no database_url secret read from a file")
	}
	var tafels int
	for name, s := range p.Services {
		for _, port := range s.Ports {
			if port.Target == 9090 {
				t.Errorf("%s publishes the metrics port", name)
			}
		}
		if s.Build == nil || s.Build.Dockerfile != "deploy/Dockerfile" {
			continue
		}
		tafels++
		t.Run(name, func(t *testing.T) {
			hc := s.HealthCheck
			if hc == nil || !slices.Equal([]string(hc.Test), []string{"CMD", "/usr/local/bin/tafel", "healthcheck"}) {
				t.Errorf("health check %v: want the binary's own check of /readyz", hc)
			}
			if !s.ReadOnly {
				t.Error("the root filesystem is writable")
			}
			if s.User == "" || s.User == "root" || strings.HasPrefix(s.User, "0") {
				t.Errorf("runs as user %q", s.User)
			}
			if !slices.Contains(s.CapDrop, "ALL") {
				t.Error("capabilities are not dropped")
			}
			if !slices.ContainsFunc(s.Secrets, func(sc types.ServiceSecretConfig) bool { return sc.Source == "database_url" }) {
				t.Error("the database_url secret is not given to the service")
			}
			if v := s.Environment["DATABASE_URL_FILE"]; v == nil || *v != "/run/secrets/database_url" {
				t.Error("DATABASE_URL_FILE does not point at the secret")
			}
			if _, plain := s.Environment["DATABASE_URL"]; plain {
				t.Error("DATABASE_URL is set in plain text")
			}
		})
	}
	if tafels < 2 {
		t.Fatalf("%d Tafel services, want two behind the proxy", tafels)
	}
	for _, dep := range p.Services["proxy"].DependsOn {
		if dep.Condition != types.ServiceConditionHealthy {
			t.Errorf("the proxy starts before its backends are healthy (%s)", dep.Condition)
		}
	}
}

// TestDockerfile reads the Dockerfile as text: a parser of its own is not worth it
// for the few properties checked here.
func TestDockerfile(t *testing.T) {
	raw, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	args := map[string]string{}
	var stages []string
	var last []string // the final stage's instructions
	for _, line := range strings.Split(string(raw), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		switch strings.ToUpper(f[0]) {
		case "ARG":
			if k, v, ok := strings.Cut(f[1], "="); ok {
				args[k] = v
			}
		case "FROM":
			img := os.Expand(f[1], func(k string) string { return args[k] })
			stages = append(stages, img)
			last = nil
		}
		last = append(last, strings.TrimSpace(line))
	}
	for _, img := range stages {
		if !regexp.MustCompile(`^[a-z0-9./-]+:[a-z0-9.-]+@sha256:[0-9a-f]{64}$`).MatchString(img) {
			t.Errorf("base image %q is not pinned by digest", img)
		}
	}
	text := string(raw)
	for _, want := range []string{"-trimpath", "-buildid=", "SOURCE_DATE_EPOCH", "CGO_ENABLED=0", "npm ci"} {
		if !strings.Contains(text, want) {
			t.Errorf("the build lacks %s", want)
		}
	}
	var user, health string
	for _, l := range last {
		if v, ok := strings.CutPrefix(l, "USER "); ok {
			user = v
		}
		if v, ok := strings.CutPrefix(l, "HEALTHCHECK "); ok {
			health = v
		}
	}
	if user == "" || user == "root" || strings.HasPrefix(user, "0") {
		t.Errorf("the image runs as %q", user)
	}
	if !strings.Contains(health, `"/usr/local/bin/tafel", "healthcheck"`) {
		t.Errorf("health check %q", health)
	}
}

// knownMetrics is every metric name Tafel exposes (each series touched once, so
// vectors show up), with the histogram and summary series names.
func knownMetrics(t *testing.T) map[string]bool {
	t.Helper()
	m := metrics.New()
	m.SocketOpened("coordinator")
	m.LiveMeetings(1)
	m.CommandDone("worry.add", metrics.CodeOK, 1, 1, 1)
	m.EventsSent(1)
	m.SendQueueDrop()
	m.SlowClose()
	m.DBError()
	m.RedisError()
	m.AuditWrites(1)
	m.PurgeRun(metrics.PurgeOK, 1)
	m.HTTPRequest("GET", "/", 200, 1)
	mfs, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{"up": true}
	for _, mf := range mfs {
		n := mf.GetName()
		names[n] = true
		for _, suffix := range []string{"_bucket", "_sum", "_count"} {
			names[n+suffix] = true
		}
	}
	return names
}

// metricNames are the identifiers in a PromQL expression that name metrics: the
// words before a '{' or standing alone, less functions, keywords and labels.
func metricNames(expr string) []string {
	expr = regexp.MustCompile(`\{[^}]*\}`).ReplaceAllString(expr, "{}")
	expr = regexp.MustCompile(`\[[^\]]*\]`).ReplaceAllString(expr, "")
	expr = regexp.MustCompile(`(by|without) \([^)]*\)`).ReplaceAllString(expr, "")
	expr = regexp.MustCompile(`\b[0-9][0-9.]*(e[0-9]+)?\b`).ReplaceAllString(expr, "")
	var out []string
	for _, m := range regexp.MustCompile(`[a-zA-Z_:][a-zA-Z0-9_:]*(\s*[({])?`).FindAllString(expr, -1) {
		if strings.HasSuffix(m, "(") || m == "and" || m == "or" || m == "unless" {
			continue
		}
		out = append(out, strings.TrimRight(m, "{ "))
	}
	return out
}

func TestGrafanaDashboard(t *testing.T) {
	raw, err := os.ReadFile("grafana/tafel-dashboard.json")
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		UID    string `json:"uid"`
		Title  string `json:"title"`
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(raw, &dash); err != nil {
		t.Fatal(err)
	}
	if dash.UID == "" || len(dash.Panels) < 8 {
		t.Fatalf("dashboard %q has %d panels", dash.UID, len(dash.Panels))
	}
	known := knownMetrics(t)
	for _, p := range dash.Panels {
		if len(p.Targets) == 0 {
			t.Errorf("panel %q has no query", p.Title)
		}
		for _, q := range p.Targets {
			names := metricNames(q.Expr)
			if len(names) == 0 {
				t.Errorf("panel %q: no metric in %s", p.Title, q.Expr)
			}
			for _, n := range names {
				if !known[n] {
					t.Errorf("panel %q: Tafel has no metric %s", p.Title, n)
				}
			}
		}
	}
}

func TestAlertRules(t *testing.T) {
	raw, err := os.ReadFile("prometheus/tafel-alerts.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var rules struct {
		Groups []struct {
			Name  string `json:"name"`
			Rules []struct {
				Alert       string            `json:"alert"`
				Expr        string            `json:"expr"`
				For         string            `json:"for"`
				Labels      map[string]string `json:"labels"`
				Annotations map[string]string `json:"annotations"`
			} `json:"rules"`
		} `json:"groups"`
	}
	if err := yaml.UnmarshalStrict(raw, &rules); err != nil {
		t.Fatal(err)
	}
	known := knownMetrics(t)
	var n int
	for _, g := range rules.Groups {
		for _, r := range g.Rules {
			n++
			if r.Alert == "" || r.Annotations["summary"] == "" || r.Labels["severity"] == "" {
				t.Errorf("rule %+v lacks a name, summary or severity", r)
			}
			if _, err := time.ParseDuration(r.For); err != nil {
				t.Errorf("%s: for %q: %v", r.Alert, r.For, err)
			}
			for _, m := range metricNames(r.Expr) {
				if !known[m] {
					t.Errorf("%s: Tafel has no metric %s", r.Alert, m)
				}
			}
		}
	}
	if n < 5 {
		t.Fatalf("%d alert rules", n)
	}
}

package e2e

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// fixture is one config file of a rule.
type fixture struct {
	rule, name string // name: "bad.conf" or "good.conf"
	dir        string // its directory: sibling files are copied next to the config
	src        string
	site       *site
}

func (f *fixture) String() string { return f.rule + "/" + f.name }

func loadFixture(dir, rule, name string) (*fixture, error) {
	path := filepath.Join(dir, name)
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	f := &fixture{rule: rule, name: name, dir: dir, src: string(b)}
	f.site, err = prepareSite(f.src)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

// targets are the locations whose behaviour the fixture is about: those
// holding a `# want` comment, or every proxying location if none does.
func (f *fixture) targets() (ts []target, wanted bool) {
	for _, t := range f.site.targets {
		if t.wanted {
			ts = append(ts, t)
		}
	}
	if len(ts) > 0 {
		return ts, true
	}
	return f.site.targets, false
}

// deployment is one nginx running a fixture in front of one backend.
type deployment struct {
	fx      *fixture
	backend *backend
	ports   map[string]int
	nginx   *nginxProc
	notes   []string // what the e2e changed beyond ports and targets
}

func (d *deployment) port(t target) int { return d.ports[t.listen] }

// deploy starts a fresh backend (so its log is this fixture's alone) and
// an nginx running the fixture in front of it. A *configError means
// nginx -t refused the config.
func deploy(t *testing.T, bin *nginxBin, fx *fixture, newBackend func(*testing.T) *backend, scale func(time.Duration) time.Duration, extraHTTP string) (*deployment, error) {
	t.Helper()
	be := newBackend(t)
	for attempt := 0; ; attempt++ {
		dir := t.TempDir()
		if err := copySiblings(fx.dir, dir); err != nil {
			return nil, err
		}
		ps, err := freePorts(len(fx.site.listens))
		if err != nil {
			return nil, err
		}
		ports := map[string]int{}
		var portList []int
		for i, l := range fx.site.listens {
			ports[l] = ps[i]
			portList = append(portList, ps[i])
		}
		conf, notes, err := fx.site.render(ports, be.addr, scale, bin.prelude(dir, extraHTTP))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", fx, err)
		}
		for _, n := range notes {
			t.Logf("%s: %s", fx, n)
		}
		p, err := bin.start(t, dir, conf, portList)
		if errors.Is(err, errAddrInUse) && attempt < 3 {
			continue // another process took a port between reserve and bind
		}
		if err != nil {
			return nil, err
		}
		return &deployment{fx: fx, backend: be, ports: ports, nginx: p, notes: notes}, nil
	}
}

// copySiblings copies the fixture directory's other files (included
// snippets) next to the generated config, where nginx resolves relative
// includes.
func copySiblings(from, to string) error {
	if from == "" {
		return nil
	}
	return filepath.WalkDir(from, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, path)
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		if rel == "bad.conf" || rel == "good.conf" {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o644)
	})
}

// observations collect what each run saw, for the summary table the
// rule documentation and the README quote.
type observations struct {
	mu   sync.Mutex
	rows []observation
}

type observation struct {
	rule, fixture, backend, client, result, saw string
}

func (o *observations) add(r observation) {
	if o == nil {
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.rows = append(o.rows, r)
}

// table renders the rows as Markdown, sorted by rule, fixture, backend.
func (o *observations) table() string {
	o.mu.Lock()
	rows := append([]observation(nil), o.rows...)
	o.mu.Unlock()
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if a.rule != b.rule {
			return a.rule < b.rule
		}
		if a.fixture != b.fixture {
			return a.fixture < b.fixture
		}
		if a.backend != b.backend {
			return a.backend > b.backend // gorilla before coder
		}
		return a.client < b.client
	})
	var b strings.Builder
	b.WriteString("| rule | fixture | backend | client | observed | backend received |\n|---|---|---|---|---|---|\n")
	esc := strings.NewReplacer("|", `\|`, "\n", " ")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", r.rule, r.fixture, r.backend, r.client, esc.Replace(r.result), esc.Replace(r.saw))
	}
	return b.String()
}

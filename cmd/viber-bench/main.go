// Command viber-bench measures the provider as its users feel it: wall time
// of terraform apply, a no-change plan and destroy for N bots, side by side
// with Terraform core's own cost, any plugin's cost, and the curl-in-
// local-exec approach people use without a provider, all against the local
// Viber; and terraform query over N bots against looking them up one after
// another. It writes a Markdown table and an SVG plot.
package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/viberops/terraform-provider-viber/internal/clitest"
)

type options struct {
	cli       string
	ns        []int
	reps      int
	latencies []time.Duration
	only      string // comma-separated: run only the scenarios whose name contains one
	out       string
}

func main() {
	var opts options
	var ns, latencies string
	flag.StringVar(&opts.cli, "terraform", "terraform", "path of the Terraform CLI")
	flag.StringVar(&ns, "n", "10,100,1000", "bot counts, comma-separated")
	flag.IntVar(&opts.reps, "reps", 3, "repetitions of each measurement (the median is reported)")
	flag.StringVar(&latencies, "latency", "0s,50ms", "emulator latencies per request, comma-separated")
	flag.StringVar(&opts.only, "only", "", "run only the scenarios whose name contains one of these, comma-separated (e.g. viber,plugin; "+lookupName+" for terraform query against sequential look-ups)")
	flag.StringVar(&opts.out, "out", "out/bench", "folder for results.md and results.svg")
	flag.Parse()
	for _, s := range strings.Split(ns, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			log.Fatalf("bad -n %q", s)
		}
		opts.ns = append(opts.ns, n)
	}
	for _, s := range strings.Split(latencies, ",") {
		d, err := time.ParseDuration(strings.TrimSpace(s))
		if err != nil {
			log.Fatalf("bad -latency %q", s)
		}
		opts.latencies = append(opts.latencies, d)
	}
	results, lookups, err := run(context.Background(), opts, os.Stderr)
	if err != nil {
		log.Fatal(err)
	}
	if err := write(opts.out, results, lookups); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("results in %s\n", filepath.Join(opts.out, "results.md"))
}

// result is the median cost of one scenario at one N and latency.
type result struct {
	scenario string
	n        int
	latency  time.Duration
	apply    phase
	plan     phase
	// localPlan is the no-change plan without refresh (-refresh=false):
	// what Terraform and the plugin cost without asking Viber anything.
	localPlan phase
	update    phase // every bot's URL changed
	destroy   phase
}

// phaseNames name the phases in the order measure runs them.
var phaseNames = []string{"apply", "plan", "plan, no refresh", "update", "destroy"}

// phases returns pointers to r's phases, in phaseNames' order.
func (r *result) phases() []*phase {
	return []*phase{&r.apply, &r.plan, &r.localPlan, &r.update, &r.destroy}
}

// program is what the benchmarks' fake *testing.T needs: a temp dir and a
// way to fail.
type program struct{ dirs []string }

func (p *program) Helper()                           {}
func (p *program) Fatal(args ...any)                 { log.Fatal(args...) }
func (p *program) Fatalf(format string, args ...any) { log.Fatalf(format, args...) }
func (p *program) TempDir() string {
	d, err := os.MkdirTemp("", "viber-bench-")
	if err != nil {
		log.Fatal(err)
	}
	p.dirs = append(p.dirs, d)
	return d
}

func (p *program) cleanup() {
	for _, d := range p.dirs {
		_ = os.RemoveAll(d)
	}
}

// run measures the selected scenarios, and terraform query against
// sequential look-ups when selected and the CLI has it, at every N and
// latency.
func run(ctx context.Context, opts options, progress *os.File) ([]result, []lookup, error) {
	viberDir, err := clitest.Build(".", "terraform-provider-viber")
	if err != nil {
		return nil, nil, err
	}
	defer os.RemoveAll(viberDir)
	noopDir, err := clitest.Build("./cmd/bench-noop-provider", "terraform-provider-noop")
	if err != nil {
		return nil, nil, err
	}
	defer os.RemoveAll(noopDir)
	providers := map[string]string{"viberops/viber": viberDir, "viberops/noop": noopDir}
	prog := &program{}
	defer prog.cleanup()

	queries := selected(lookupName, opts.only)
	if queries {
		if why := canQuery(opts.cli); why != "" {
			fmt.Fprintf(progress, "skipping %s: %s\n", lookupName, why)
			queries = false
		}
	}

	var results []result
	var lookups []lookup
	for _, latency := range opts.latencies {
		for _, n := range opts.ns {
			for _, sc := range scenarios {
				if !selected(sc.name, opts.only) {
					continue
				}
				if sc.needs != "" {
					if _, err := exec.LookPath(sc.needs); err != nil {
						fmt.Fprintf(progress, "skipping %s: %s is not installed\n", sc.name, sc.needs)
						continue
					}
				}
				var reps []result
				for rep := range opts.reps {
					fmt.Fprintf(progress, "latency %v, N=%d, %s, run %d/%d\n", latency, n, sc.name, rep+1, opts.reps)
					r, err := measure(ctx, prog, opts.cli, providers, sc, n, latency)
					if err != nil {
						return nil, nil, fmt.Errorf("%s, N=%d: %w", sc.name, n, err)
					}
					reps = append(reps, r)
				}
				results = append(results, median(reps))
			}
			if !queries {
				continue
			}
			var reps []lookup
			for rep := range opts.reps {
				fmt.Fprintf(progress, "latency %v, N=%d, %s and sequential look-ups, run %d/%d\n", latency, n, lookupName, rep+1, opts.reps)
				l, err := measureLookup(ctx, prog, opts.cli, providers, n, latency)
				if err != nil {
					return nil, nil, fmt.Errorf("%s, N=%d: %w", lookupName, n, err)
				}
				reps = append(reps, l)
			}
			lookups = append(lookups, medianLookup(reps))
		}
	}
	return results, lookups, nil
}

// selected reports whether a scenario's name contains one of only's
// comma-separated parts; an empty only selects every scenario.
func selected(name, only string) bool {
	for _, part := range strings.Split(only, ",") {
		if strings.Contains(name, part) {
			return true
		}
	}
	return false
}

// measure applies, re-plans (with and without refresh), changes every
// bot's URL and destroys one scenario once.
func measure(ctx context.Context, prog *program, cli string, providers map[string]string, sc scenario, n int, latency time.Duration) (result, error) {
	v, err := startViber(n, latency, prog.TempDir())
	if err != nil {
		return result{}, err
	}
	defer v.close()
	w := clitest.NewWithProviders(prog, cli, providers, v.env()...)
	write := func(endpoint string) error {
		return os.WriteFile(filepath.Join(w.Dir, "main.tf"), []byte(sc.config(n, v.apiURL, endpoint)), 0o600)
	}
	r := result{scenario: sc.name, n: n, latency: latency}
	steps := []struct {
		ph     *phase
		before func() error
		args   []string
		fail   string
	}{
		{&r.apply, func() error { return write(v.endpoint.URL()) }, []string{"apply", "-auto-approve"}, "apply"},
		{&r.plan, nil, []string{"plan", "-detailed-exitcode"}, "the plan after apply is not empty, or failed"},
		{&r.localPlan, nil, []string{"plan", "-refresh=false", "-detailed-exitcode"}, "the plan without refresh is not empty, or failed"},
		{&r.update, func() error { return write(v.endpoint.URL() + "/v2") }, []string{"apply", "-auto-approve"}, "update"},
		{&r.destroy, nil, []string{"destroy", "-auto-approve"}, "destroy"},
	}
	for _, st := range steps {
		if st.before != nil {
			if err := st.before(); err != nil {
				return r, err
			}
		}
		p, err := v.run(ctx, w, sc.rss, st.args...)
		if err != nil {
			return r, fmt.Errorf("%s: %w", st.fail, err)
		}
		*st.ph = p
	}
	return r, nil
}

// median returns the first run, its counts included, with each phase's
// times replaced by that phase's medians and the peak RSS of all runs.
func median(reps []result) result {
	m := reps[0]
	for i, ph := range m.phases() {
		get := func(r result) *phase { return r.phases()[i] }
		ph.wall = medianOf(reps, func(r result) time.Duration { return get(r).wall })
		ph.cliCPU = medianOf(reps, func(r result) float64 { return get(r).cliCPU })
		ph.pluginCPU = medianOf(reps, func(r result) float64 { return get(r).pluginCPU })
		ph.viberCPU = medianOf(reps, func(r result) float64 { return get(r).viberCPU })
	}
	for _, r := range reps {
		for _, ph := range r.phases() {
			m.apply.peakRSS = max(m.apply.peakRSS, ph.peakRSS)
		}
	}
	return m
}

// medianOf returns the median of what get reads from each run.
func medianOf[T cmp.Ordered](reps []result, get func(result) T) T {
	vs := make([]T, len(reps))
	for i, r := range reps {
		vs[i] = get(r)
	}
	slices.Sort(vs)
	return vs[len(vs)/2]
}

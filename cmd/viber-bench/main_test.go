package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/viberops/terraform-provider-viber/internal/clitest"
)

// TestBenchSmoke runs the benchmark once at N = 10, over HTTPS with 50 ms
// answers, so a broken benchmark fails the build; it asserts what the
// benchmark reports, not how fast. Under a CLI with terraform query
// (Terraform 1.14+) that includes the query against sequential look-ups.
func TestBenchSmoke(t *testing.T) {
	cli := clitest.CLIFromEnv(t)
	devNull, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer devNull.Close()
	results, lookups, err := run(context.Background(), options{cli: cli, ns: []int{10}, reps: 1, latencies: []time.Duration{50 * time.Millisecond}}, devNull)
	if err != nil {
		t.Fatal(err)
	}
	if len(results) < len(scenarios)-1 { // curl may be missing
		t.Fatalf("%d results, want one per scenario (%d)", len(results), len(scenarios))
	}
	viber := results[0]
	if viber.apply.requests["set_webhook"] != 10 || viber.apply.requests["get_account_info"] != 10 {
		t.Errorf("creating 10 bots made %v, want 10 set_webhook and 10 identity lookups", viber.apply.requests)
	}
	if viber.plan.requests["set_webhook"] != 0 || viber.plan.requests["get_account_info"] != 10 {
		t.Errorf("a no-change plan of 10 bots made %v, want 10 get_account_info only", viber.plan.requests)
	}
	if len(viber.localPlan.requests) != 0 {
		t.Errorf("a plan without refresh made %v, want no API calls", viber.localPlan.requests)
	}
	if viber.update.requests["set_webhook"] != 10 || viber.update.requests["get_account_info"] != 10 {
		t.Errorf("changing 10 bots' URLs made %v, want 10 set_webhook and the refresh's 10 get_account_info", viber.update.requests)
	}
	if viber.destroy.requests["set_webhook"] != 10 {
		t.Errorf("destroying 10 bots made %v, want 10 set_webhook", viber.destroy.requests)
	}
	// A create's two calls overlap: one round trip per bot. The refresh
	// before an update or a destroy is a round trip of its own.
	for _, c := range []struct {
		name  string
		p     phase
		trips int
	}{{"apply", viber.apply, 1}, {"plan", viber.plan, 1}, {"update", viber.update, 2}, {"destroy", viber.destroy, 2}} {
		if c.p.bots != 10 || c.p.roundTrips != c.trips*10 {
			t.Errorf("%s: %d round trips to %d bots, want %d per bot", c.name, c.p.roundTrips, c.p.bots, c.trips)
		}
	}
	for i, p := range viber.phases() {
		name := phaseNames[i]
		// Terraform runs at most 10 operations at once in each of the two
		// provider processes a command may start (plan walk, apply walk).
		// Tighter bounds depend on machine speed: on a loaded machine Go's
		// transport closes, rather than reuses, a connection whose write it
		// has not seen confirmed within 50 ms, and the close reaches the
		// server late. The benchmark's figures show the usual 10 or 11.
		// A create has two calls in flight (its identity look-up and the set).
		if p.peakOpen > 2*2*10 || (p.peakOpen == 0 && len(p.requests) > 0) {
			t.Errorf("%s made calls of %d methods with %d connections open at once, want 1 to 40 (Terraform's parallelism of 10, two calls per create, in up to two provider processes)",
				name, len(p.requests), p.peakOpen)
		}
	}
	if viber.apply.peakRSS == 0 || viber.apply.pluginCPU == 0 || viber.apply.cliCPU < viber.apply.pluginCPU {
		t.Errorf("the provider's peak RSS (%d) or CPU (%.2fs of the CLI's %.2fs) was not measured",
			viber.apply.peakRSS, viber.apply.pluginCPU, viber.apply.cliCPU)
	}
	checkLookups(t, cli, lookups)
	dir := t.TempDir()
	if err := write(dir, results, lookups); err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(filepath.Join(dir, "results.md"))
	if err != nil || !strings.Contains(string(md), "| 50ms | 10 | viber_webhook |") {
		t.Errorf("results.md lacks the provider's row (%v):\n%s", err, md)
	}
	if svg, err := os.ReadFile(filepath.Join(dir, "results.svg")); err != nil || !strings.Contains(string(svg), "<polyline") {
		t.Errorf("results.svg has no lines (%v)", err)
	}
	if len(lookups) > 0 && !strings.Contains(string(md), "| 10 of 10 |") {
		t.Errorf("results.md lacks the query's row:\n%s", md)
	}
}

// checkLookups checks the smoke run's terraform query over 10 bots and its
// sequential counterpart: exactly one get_account_info per bot each, no
// set_webhook, every webhook listed, the query's calls overlapping (at most
// the provider's 10 at once) and the sequential ones one at a time.
func checkLookups(t *testing.T, cli string, lookups []lookup) {
	t.Helper()
	if why := canQuery(cli); why != "" {
		if len(lookups) != 0 {
			t.Errorf("%s, yet the query was measured", why)
		}
		return
	}
	if len(lookups) != 1 {
		t.Fatalf("%d query measurements, want 1 (N = 10 at 50 ms)", len(lookups))
	}
	l := lookups[0]
	if l.found != 10 {
		t.Errorf("terraform query listed %d webhooks, want all 10", l.found)
	}
	for _, c := range []struct {
		name string
		p    phase
	}{{"terraform query", l.query}, {"the sequential look-ups", l.sequential}} {
		if c.p.requests["get_account_info"] != 10 || len(c.p.requests) != 1 || c.p.bots != 10 || c.p.roundTrips != 10 {
			t.Errorf("%s made %v to %d bots in %d round trips, want exactly one get_account_info per bot and nothing else",
				c.name, c.p.requests, c.p.bots, c.p.roundTrips)
		}
		if c.p.wall <= 0 || c.p.pluginCPU == 0 {
			t.Errorf("%s: wall time %v or the plugin's CPU (%.2fs) was not measured", c.name, c.p.wall, c.p.pluginCPU)
		}
	}
	if l.query.peakCalls < 2 || l.query.peakCalls > 10 {
		t.Errorf("terraform query had %d calls at once, want 2 to 10 (the provider looks 10 bots up at once)", l.query.peakCalls)
	}
	if l.sequential.peakCalls != 1 {
		t.Errorf("the sequential look-ups had %d calls at once, want 1", l.sequential.peakCalls)
	}
}

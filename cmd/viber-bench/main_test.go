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

// TestBenchSmoke runs the benchmark once at N = 10, so a broken benchmark
// fails the build; it asserts what the benchmark reports, not how fast.
func TestBenchSmoke(t *testing.T) {
	cli := clitest.CLIFromEnv(t)
	devNull, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer devNull.Close()
	results, err := run(context.Background(), options{cli: cli, ns: []int{10}, reps: 1, latencies: []time.Duration{0}}, devNull)
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
	for i, p := range viber.phases() {
		name := phaseNames[i]
		// Terraform runs at most 10 operations at once in each of the two
		// provider processes a command may start (plan walk, apply walk).
		// Tighter bounds depend on machine speed: on a loaded machine Go's
		// transport closes, rather than reuses, a connection whose write it
		// has not seen confirmed within 50 ms, and the close reaches the
		// server late. The benchmark's figures show the usual 10 or 11.
		if p.peakOpen > 2*10 || (p.peakOpen == 0 && len(p.requests) > 0) {
			t.Errorf("%s made calls of %d methods with %d connections open at once, want 1 to 20 (Terraform's parallelism of 10, in up to two provider processes)",
				name, len(p.requests), p.peakOpen)
		}
	}
	if viber.apply.peakRSS == 0 || viber.apply.pluginCPU == 0 || viber.apply.cliCPU < viber.apply.pluginCPU {
		t.Errorf("the provider's peak RSS (%d) or CPU (%.2fs of the CLI's %.2fs) was not measured",
			viber.apply.peakRSS, viber.apply.pluginCPU, viber.apply.cliCPU)
	}
	dir := t.TempDir()
	if err := write(dir, results); err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(filepath.Join(dir, "results.md"))
	if err != nil || !strings.Contains(string(md), "| 0s | 10 | viber_webhook |") {
		t.Errorf("results.md lacks the provider's row (%v):\n%s", err, md)
	}
	if svg, err := os.ReadFile(filepath.Join(dir, "results.svg")); err != nil || !strings.Contains(string(svg), "<polyline") {
		t.Errorf("results.svg has no lines (%v)", err)
	}
}

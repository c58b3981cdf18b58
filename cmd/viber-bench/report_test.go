package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The report reads right: every configuration's row, ratios of this
// provider to each other configuration, and one line per configuration in
// each of the plot's four panels.
func TestReport(t *testing.T) {
	var results []result
	for i, sc := range scenarios {
		ph := phase{wall: time.Duration(i+1) * time.Second, requests: map[string]int{}, conns: 3, peakOpen: 2}
		for _, n := range []int{10, 100} {
			results = append(results, result{scenario: sc.name, n: n, apply: ph, plan: ph, localPlan: ph, update: ph, destroy: ph})
		}
	}
	md := markdown(results, nil)
	if !strings.Contains(md, "| 0s | 100 | viber_webhook | 1.00 | 1.00 | 1.00 | 1.00 | 1.00 |") {
		t.Errorf("no row for the provider at N=100:\n%s", md)
	}
	if !strings.Contains(md, "| 0s | 100 | "+scenarios[2].name+" | 0.33× | 0.33× | 0.33× | 0.33× | 0.33× |") {
		t.Errorf("the ratio to the plugin floor (1s / 3s) is missing:\n%s", md)
	}
	if !strings.Contains(md, "3 (2) / 3 (2)") {
		t.Errorf("connections opened (most at once) are missing:\n%s", md)
	}
	svg := plot(results)
	if got, want := strings.Count(svg, "<polyline"), 4*len(scenarios); got != want {
		t.Errorf("the plot has %d lines, want %d (4 panels × %d configurations)", got, want, len(scenarios))
	}
	for _, title := range []string{"apply:", "no-change plan:", "update:", "destroy:"} {
		if !strings.Contains(svg, title) {
			t.Errorf("the plot lacks the %q panel", title)
		}
	}
}

// The look-ups read right: both times side by side with their ratio, the
// webhooks listed and each command's calls, and no plot of them alone.
func TestReportLookups(t *testing.T) {
	query := phase{wall: 800 * time.Millisecond, requests: map[string]int{"get_account_info": 100}, peakCalls: 10, conns: 10, peakOpen: 10}
	seq := phase{wall: 5 * time.Second, requests: map[string]int{"get_account_info": 100}, peakCalls: 1, conns: 1, peakOpen: 1}
	lookups := []lookup{{n: 100, latency: 50 * time.Millisecond, query: query, sequential: seq, found: 100}}
	md := markdown(nil, lookups)
	if !strings.Contains(md, "| 50ms | 100 | 0.80 | 5.00 | 0.16× | 100 of 100 | 100 / 0; 100 / 0 | 10; 1 | 10 (10); 1 (1) |") {
		t.Errorf("no row for the query against the sequential look-ups:\n%s", md)
	}
	if strings.Contains(md, "| configuration |") {
		t.Errorf("the scenario tables are shown with no scenario run:\n%s", md)
	}
	dir := t.TempDir()
	if err := write(dir, nil, lookups); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "results.svg")); !os.IsNotExist(err) {
		t.Errorf("results.svg written with no scenario to plot (%v)", err)
	}
}

// countFound reads terraform query's listing: one line per result, each
// bot once.
func TestCountFound(t *testing.T) {
	out := "\nWarning: Provider development overrides are in effect\n\n" +
		"list.viber_webhook.all   account_id=pa:1000   pa:1000\n" +
		"list.viber_webhook.all   account_id=pa:1001   Sales (pa:1001)\n" +
		"list.viber_webhook.all   account_id=pa:1001   Sales (pa:1001)\n"
	if got := countFound(out); got != 2 {
		t.Errorf("countFound = %d, want 2", got)
	}
}

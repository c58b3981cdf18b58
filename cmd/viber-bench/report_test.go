package main

import (
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
	md := markdown(results)
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

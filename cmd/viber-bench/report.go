package main

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// write puts results.md in dir, and results.svg when a scenario ran (the
// plot has nothing to show of the look-ups alone).
func write(dir string, results []result, lookups []lookup) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "results.md"), []byte(markdown(results, lookups)), 0o644); err != nil {
		return err
	}
	svg := filepath.Join(dir, "results.svg")
	if len(results) == 0 {
		if err := os.Remove(svg); err != nil && !os.IsNotExist(err) {
			return err
		}
		return nil
	}
	return os.WriteFile(svg, []byte(plot(results)), 0o644)
}

func secs(d time.Duration) string { return fmt.Sprintf("%.2f", d.Seconds()) }

func requests(p phase) string {
	if len(p.requests) == 0 {
		return "-"
	}
	return fmt.Sprintf("%d set / %d info", p.requests["set_webhook"], p.requests["get_account_info"])
}

// perBot is a phase's calls and round trips per bot called, "-" for none.
func perBot(p phase) string {
	if p.bots == 0 {
		return "-"
	}
	calls := 0
	for _, n := range p.requests {
		calls += n
	}
	return fmt.Sprintf("%.3g, %.3g", float64(calls)/float64(p.bots), float64(p.roundTrips)/float64(p.bots))
}

func markdown(results []result, lookups []lookup) string {
	var b strings.Builder
	host, _ := os.Hostname()
	fmt.Fprintf(&b, "# viber-bench results\n\n%s, %d CPUs, %s/%s, host %s. Times are medians in seconds.\n\n",
		time.Now().UTC().Format(time.RFC3339), runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, host)
	if len(results) > 0 {
		scenarioTables(&b, results)
	}
	if len(lookups) > 0 {
		lookupTable(&b, lookups)
	}
	return b.String()
}

// lookupTable writes the look-up measurement: terraform query against one
// bot after another, side by side, with their ratio.
func lookupTable(b *strings.Builder, lookups []lookup) {
	b.WriteString("## Finding every bot's webhook: terraform query against one bot after another\n\n" +
		"`terraform query` with one `list \"viber_webhook\"` block over the provider's `bots` map, against a " +
		"`viber_account` data source per bot (`for_each` over the same map) planned with `-parallelism=1`; every bot " +
		"has a webhook. Calls as `get_account_info` / `set_webhook`; at once, the most calls being answered at once; " +
		"connections as opened (most open at once); CPU seconds of the CLI with all it ran, and of the plugin.\n\n")
	row := func(cells ...string) { b.WriteString("| " + strings.Join(cells, " | ") + " |\n") }
	row("latency", "N", "terraform query", "one after another", "query / one after another", "webhooks listed",
		"API calls (query; one after another)", "at once", "TCP connections", "CPU: CLI, plugin")
	row(slices.Repeat([]string{"---"}, 10)...)
	both := func(l lookup, f func(p phase) string) string { return f(l.query) + "; " + f(l.sequential) }
	for _, l := range lookups {
		row(l.latency.String(), strconv.Itoa(l.n), secs(l.query.wall), secs(l.sequential.wall),
			fmt.Sprintf("%.2f×", l.ratio()), fmt.Sprintf("%d of %d", l.found, l.n),
			both(l, func(p phase) string {
				return fmt.Sprintf("%d / %d", p.requests["get_account_info"], p.requests["set_webhook"])
			}),
			both(l, func(p phase) string { return strconv.Itoa(p.peakCalls) }),
			both(l, func(p phase) string { return fmt.Sprintf("%d (%d)", p.conns, p.peakOpen) }),
			both(l, func(p phase) string { return fmt.Sprintf("%.1f, %.1f", p.cliCPU, p.pluginCPU) }))
	}
}

// scenarioTables writes the scenarios' times, calls, CPU and ratios.
func scenarioTables(b *strings.Builder, results []result) {
	all := strings.Join(phaseNames, " / ")
	row := func(cells ...string) { b.WriteString("| " + strings.Join(cells, " | ") + " |\n") }
	header := func(cells ...string) {
		row(cells...)
		row(slices.Repeat([]string{"---"}, len(cells))...)
	}
	each := func(r result, f func(p *phase) string) []string {
		var out []string
		for _, p := range r.phases() {
			out = append(out, f(p))
		}
		return out
	}
	key := func(r result) []string { return []string{r.latency.String(), strconv.Itoa(r.n), r.scenario} }

	header(append(append([]string{"latency", "N", "configuration"}, phaseNames...), "provider peak RSS")...)
	for _, r := range results {
		rss := "-"
		if r.apply.peakRSS > 0 {
			rss = fmt.Sprintf("%.1f MiB", float64(r.apply.peakRSS)/(1<<20))
		}
		row(append(append(key(r), each(r, func(p *phase) string { return secs(p.wall) })...), rss)...)
	}

	b.WriteString("\n## API calls and TCP connections (" + all + ")\n\n" +
		"Calls as `set_webhook` / `get_account_info`; per bot, calls and round trips (calls to one bot that overlap " +
		"in time are one round trip); connections as opened (most open at once).\n\n")
	header("latency", "N", "configuration", "API calls", "per bot: calls, round trips", "TCP connections")
	for _, r := range results {
		row(append(key(r),
			strings.Join(each(r, func(p *phase) string { return requests(*p) }), "; "),
			strings.Join(each(r, func(p *phase) string { return perBot(*p) }), " / "),
			strings.Join(each(r, func(p *phase) string { return fmt.Sprintf("%d (%d)", p.conns, p.peakOpen) }), " / "))...)
	}

	b.WriteString("\n## Where the CPU went (seconds, " + all + ")\n\n" +
		"Wall time cannot fall below CPU time divided by the cores, and every process here shares them.\n\n")
	header("latency", "N", "configuration", "CLI with all it ran", "of which the plugin", "local Viber")
	for _, r := range results {
		cpu := func(get func(p *phase) float64) string {
			return strings.Join(each(r, func(p *phase) string { return fmt.Sprintf("%.1f", get(p)) }), " / ")
		}
		plugin := "-"
		if r.apply.pluginCPU > 0 {
			plugin = cpu(func(p *phase) float64 { return p.pluginCPU })
		}
		row(append(key(r), cpu(func(p *phase) float64 { return p.cliCPU }), plugin, cpu(func(p *phase) float64 { return p.viberCPU }))...)
	}

	b.WriteString("\n## Ratios (this provider / other)\n\n")
	header(append([]string{"latency", "N", "versus"}, phaseNames...)...)
	for _, r := range results {
		if r.scenario != scenarios[0].name {
			continue
		}
		for _, o := range results {
			if o.n != r.n || o.latency != r.latency || o.scenario == r.scenario {
				continue
			}
			ratios := []string{r.latency.String(), strconv.Itoa(r.n), o.scenario}
			for i, p := range r.phases() {
				ratios = append(ratios, fmt.Sprintf("%.2f×", p.wall.Seconds()/o.phases()[i].wall.Seconds()))
			}
			row(ratios...)
		}
	}
}

// plot draws time against N (log-log) for apply, plan and destroy side by
// side, one line per configuration and latency (dashed with latency).
func plot(results []result) string {
	const pw, h = 400, 440 // one panel
	phases := []struct {
		name string
		get  func(result) time.Duration
	}{
		{"apply", func(r result) time.Duration { return r.apply.wall }},
		{"no-change plan", func(r result) time.Duration { return r.plan.wall }},
		{"update", func(r result) time.Duration { return r.update.wall }},
		{"destroy", func(r result) time.Duration { return r.destroy.wall }},
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">`+"\n", pw*len(phases), h+20*len(scenarios)*len(latencies(results)))
	b.WriteString(`<rect width="100%" height="100%" fill="white"/>` + "\n")
	for i, ph := range phases {
		fmt.Fprintf(&b, `<g transform="translate(%d,0)">`+"\n", i*pw)
		panel(&b, results, pw, h, ph.name, ph.get)
		b.WriteString("</g>\n")
	}
	legend := 0
	for li, sc := range scenarios {
		for _, lat := range latencies(results) {
			fmt.Fprintf(&b, `<line x1="20" y1="%d" x2="50" y2="%d" stroke="%s" stroke-width="2"%s/><text x="58" y="%d">%s, latency %v</text>`+"\n",
				h+20*legend, h+20*legend, colors[li%len(colors)], dash(lat), h+20*legend+4, sc.name, lat)
			legend++
		}
	}
	b.WriteString("</svg>\n")
	return b.String()
}

var colors = []string{"#d62728", "#7f7f7f", "#1f77b4", "#2ca02c"}

func dash(latency time.Duration) string {
	if latency > 0 {
		return ` stroke-dasharray="6,4"`
	}
	return ""
}

// panel draws one phase's lines in a w×h box with log scales on both axes.
func panel(b *strings.Builder, results []result, w, h int, title string, get func(result) time.Duration) {
	const pad = 50
	minN, maxN, minT, maxT := math.Inf(1), 0.0, math.Inf(1), 0.01
	for _, r := range results {
		minN, maxN = math.Min(minN, float64(r.n)), math.Max(maxN, float64(r.n))
		t := math.Max(get(r).Seconds(), 0.01)
		minT, maxT = math.Min(minT, t), math.Max(maxT, t)
	}
	if maxN == minN {
		maxN = minN * 10
	}
	if maxT <= minT {
		minT = maxT / 10
	}
	x := func(n int) float64 {
		return pad + (math.Log10(float64(n))-math.Log10(minN))/(math.Log10(maxN)-math.Log10(minN))*float64(w-2*pad)
	}
	y := func(s float64) float64 {
		return float64(h-pad) - (math.Log10(math.Max(s, 0.01))-math.Log10(minT))/(math.Log10(maxT)-math.Log10(minT))*float64(h-2*pad)
	}
	fmt.Fprintf(b, `<text x="%d" y="20">%s: seconds vs bots (N), log-log</text>`+"\n", pad, title)
	fmt.Fprintf(b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/><line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>`+"\n",
		pad, h-pad, w-pad/2, h-pad, pad, pad, pad, h-pad)
	fmt.Fprintf(b, `<text x="4" y="%d">%.2f</text><text x="4" y="%d">%.2f</text>`+"\n", pad, maxT, h-pad, minT)
	labelled := map[int]bool{}
	for li, sc := range scenarios {
		for _, lat := range latencies(results) {
			var pts []string
			for _, r := range results {
				if r.scenario != sc.name || r.latency != lat {
					continue
				}
				pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(r.n), y(get(r).Seconds())))
				if !labelled[r.n] {
					labelled[r.n] = true
					fmt.Fprintf(b, `<text x="%.1f" y="%d" text-anchor="middle">%d</text>`+"\n", x(r.n), h-pad+16, r.n)
				}
			}
			if len(pts) > 0 {
				fmt.Fprintf(b, `<polyline fill="none" stroke="%s" stroke-width="2"%s points="%s"/>`+"\n", colors[li%len(colors)], dash(lat), strings.Join(pts, " "))
			}
		}
	}
}

func latencies(results []result) []time.Duration {
	var out []time.Duration
	for _, r := range results {
		if !containsDuration(out, r.latency) {
			out = append(out, r.latency)
		}
	}
	return out
}

func containsDuration(list []time.Duration, d time.Duration) bool {
	for _, x := range list {
		if x == d {
			return true
		}
	}
	return false
}

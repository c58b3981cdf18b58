package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/go-version"

	"github.com/viberops/terraform-provider-viber/internal/clitest"
	"github.com/viberops/terraform-provider-viber/internal/emulator"
)

// lookupName selects the look-up measurement in -only: finding every bot's
// webhook with terraform query, against looking the bots up one after
// another. It is no scenario: it makes two different commands, not the
// scenarios' apply, plan, update and destroy.
const lookupName = "query"

// lookup is what finding the webhooks of N bots, each of which has one,
// cost: with terraform query (the viber_webhook list resource over the
// provider's bots map), and one bot after another (a viber_account data
// source per bot, planned with -parallelism=1), both by the same CLI and
// provider against the same local Viber.
type lookup struct {
	n          int
	latency    time.Duration
	query      phase
	sequential phase
	found      int // the webhooks terraform query listed
}

// ratio is the query's wall time over the sequential look-ups'.
func (l lookup) ratio() float64 { return l.query.wall.Seconds() / l.sequential.wall.Seconds() }

// queryMinimum is the first Terraform with terraform query and list blocks.
var queryMinimum = version.Must(version.NewVersion("1.14.0"))

// canQuery says why the CLI cannot run terraform query, or "" when it can.
func canQuery(cli string) string {
	if clitest.IsOpenTofu(cli) {
		return "OpenTofu has no terraform query"
	}
	v, err := clitest.Version(cli)
	if err != nil {
		return err.Error()
	}
	if v.LessThan(queryMinimum) {
		return fmt.Sprintf("Terraform %s has no terraform query (1.14+)", v)
	}
	return ""
}

// lookupProvider is the provider configuration both ways share: every
// bot's token in its bots map, none in state.
func lookupProvider(n int, apiURL string) string {
	return viberHeader + botsLocal(n) + fmt.Sprintf(`
provider "viber" {
  api_url = %q
  bots    = local.bots
}
`, apiURL)
}

// lookupQuery is the query: one list block over the provider's bots, with
// a limit that lists them all (Terraform's default is 100).
func lookupQuery(n int) string {
	return fmt.Sprintf(`
list "viber_webhook" "all" {
  provider = viber
  limit    = %d
}
`, n)
}

// lookupSequential reads every bot with a data source, named by its key,
// as the query names it.
const lookupSequential = `
data "viber_account" "bot" {
  for_each = local.bots
  bot      = each.key
}
`

// measureLookup runs terraform query over N bots, then the same look-ups
// one after another, once each.
func measureLookup(ctx context.Context, prog *program, cli string, providers map[string]string, n int, latency time.Duration) (lookup, error) {
	v, err := startViber(n, latency, prog.TempDir())
	if err != nil {
		return lookup{}, err
	}
	defer v.close()
	for i := range n {
		v.emu.SetWebhook(botToken(i), &emulator.Webhook{URL: fmt.Sprintf("%s/bots/%s", v.endpoint.URL(), botKey(i))})
	}
	l := lookup{n: n, latency: latency}

	q := clitest.NewWithProviders(prog, cli, providers, v.env()...)
	q.WriteFile("main.tf", lookupProvider(n, v.apiURL))
	q.WriteFile("all.tfquery.hcl", lookupQuery(n))
	var out string
	l.query, out, err = v.runOutput(ctx, q, true, "query")
	if err != nil {
		return l, fmt.Errorf("terraform query: %w", err)
	}
	l.found = countFound(out)

	s := clitest.NewWithProviders(prog, cli, providers, v.env()...)
	s.WriteFile("main.tf", lookupProvider(n, v.apiURL)+lookupSequential)
	if l.sequential, _, err = v.runOutput(ctx, s, true, "plan", "-parallelism=1"); err != nil {
		return l, fmt.Errorf("plan of the data sources: %w", err)
	}
	return l, nil
}

// countFound counts the bots terraform query listed: distinct account IDs
// on lines such as "list.viber_webhook.all   account_id=pa:1000   pa:1000".
func countFound(out string) int {
	ids := map[string]bool{}
	for _, line := range strings.Split(out, "\n") {
		if !strings.HasPrefix(line, "list.viber_webhook.all ") {
			continue
		}
		for _, field := range strings.Fields(line) {
			if id, ok := strings.CutPrefix(field, "account_id="); ok {
				ids[id] = true
			}
		}
	}
	return len(ids)
}

// medianLookup returns the first run, its counts included, with the times
// of both commands replaced by their medians over reps.
func medianLookup(reps []lookup) lookup {
	m := reps[0]
	for _, get := range []func(*lookup) *phase{
		func(l *lookup) *phase { return &l.query },
		func(l *lookup) *phase { return &l.sequential },
	} {
		ph := get(&m)
		var walls []time.Duration
		var cli, plugin, viber []float64
		for i := range reps {
			p := get(&reps[i])
			walls = append(walls, p.wall)
			cli, plugin, viber = append(cli, p.cliCPU), append(plugin, p.pluginCPU), append(viber, p.viberCPU)
			ph.peakRSS = max(ph.peakRSS, p.peakRSS)
		}
		ph.wall, ph.cliCPU, ph.pluginCPU, ph.viberCPU = middle(walls), middle(cli), middle(plugin), middle(viber)
	}
	return m
}

// middle returns the median of vs (the upper one of an even count), as
// medianOf does.
func middle[T int64 | float64 | time.Duration](vs []T) T {
	vs = slices.Clone(vs)
	slices.Sort(vs)
	return vs[len(vs)/2]
}

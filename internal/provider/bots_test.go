package provider_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/viberops/terraform-provider-viber/internal/clitest"
	"github.com/viberops/terraform-provider-viber/internal/emulator"
)

// botTokens is TF_VAR_bot_tokens for the fleet, with some tokens replaced.
func botTokens(override map[string]string) string {
	m := map[string]string{}
	for name, b := range fleet {
		m[name] = b.token
		if o, ok := override[name]; ok {
			m[name] = o
		}
	}
	b, _ := json.Marshal(m)
	return "TF_VAR_bot_tokens=" + string(b)
}

// botsConfig manages every bot of the fleet through the provider's bots
// map, with for_each over bot keys that are configuration, not secrets;
// extra is appended. ephemeral keeps the tokens out of saved plans too
// (Terraform 1.10+, OpenTofu 1.11+).
func botsConfig(v *testViber, ephemeral bool, extra string) string {
	eph := ""
	if ephemeral {
		eph = "  ephemeral = true\n"
	}
	return fmt.Sprintf(`
variable "bot_tokens" {
  type      = map(string)
  sensitive = true
%s}

provider "viber" {
  api_url = %q
  bots    = var.bot_tokens
%s}

resource "viber_webhook" "bots" {
  for_each = toset(["alerts", "sales", "support"])
  bot      = each.key
  url      = "%s/bots/${each.key}"
}
%s`, eph, v.apiURL, fastRetry, v.endpoint.URL(), extra)
}

// callsBy counts the calls made since the last reset, by method and bot.
func callsBy(v *testViber) map[string]int {
	calls := map[string]int{}
	for _, r := range v.emu.Requests() {
		calls[r.Method]++
		calls[r.Method+" "+r.AccountID]++
	}
	return calls
}

func fleetTokens() []string {
	var tokens []string
	for _, b := range fleet {
		tokens = append(tokens, b.token)
	}
	return tokens
}

// for_each over bot keys applies, plans nothing more and destroys, with
// no token in state or in a trace log, on every CLI.
func TestAccBots_forEach(t *testing.T) {
	ctx := context.Background()
	logFile := filepath.Join(t.TempDir(), "trace.log")
	v, w := newFleet(t, botTokens(nil), "TF_LOG=trace", "TF_LOG_PATH="+logFile)
	w.Write(botsConfig(v, false, `
data "viber_account" "sales" {
  bot = "sales"
}

output "sales_id" {
  value = data.viber_account.sales.id
}
`))
	res := w.Apply(ctx)
	v.fleetHolds(t, fleetNames...)
	if !strings.Contains(res.Stdout, `sales_id = "pa:100"`) {
		t.Errorf("data source with bot = \"sales\" did not read sales' account:\n%s", res.Stdout)
	}
	calls := callsBy(v)
	for _, b := range fleet {
		if calls["set_webhook "+b.id] != 1 {
			t.Errorf("bot %s got %d set_webhook calls, want 1 (%v)", b.id, calls["set_webhook "+b.id], calls)
		}
	}
	requireNoSecret(t, filepath.Join(w.Dir, "terraform.tfstate"), fleetTokens()...)
	st := w.State(ctx)
	for name, b := range fleet {
		if attrs := clitest.Resource(st, bot(name)); attrs["id"] != b.id || attrs["bot"] != name {
			t.Errorf("%s in state: %v, want id %s and bot %q", bot(name), attrs, b.id, name)
		}
	}
	requireEmptyPlan(ctx, t, w)
	w.Destroy(ctx)
	v.fleetHolds(t)
	logs, err := os.ReadFile(logFile)
	if err != nil || !strings.Contains(string(logs), "Viber API call") {
		t.Fatalf("the trace log lacks the provider's calls (%v): the check below would prove nothing", err)
	}
	requireNoSecret(t, logFile, fleetTokens()...)
}

// With an ephemeral variable, a saved plan holds no token either.
func TestAccBots_ephemeralSavedPlan(t *testing.T) {
	ctx := context.Background()
	cli := clitest.CLIFromEnv(t)
	skipBelow(t, cli, "1.10.0") // ephemeral variables: Terraform 1.10, OpenTofu 1.11
	v, w := newFleet(t, botTokens(nil))
	w.Write(botsConfig(v, true, ""))
	applySavedPlan(ctx, t, w, fleetTokens()...)
	v.fleetHolds(t, fleetNames...)
	requireEmptyPlan(ctx, t, w)
	w.Destroy(ctx)
	v.fleetHolds(t)
}

// Viber replaces a compromised token on request and the old one fails at
// once: the new one in the map plans nothing, and destroy works with it.
func TestAccBots_tokenReplacedInMap(t *testing.T) {
	ctx := context.Background()
	v, w := newFleet(t, botTokens(nil))
	w.Write(botsConfig(v, false, ""))
	w.Apply(ctx)

	const newSales = "5a1e0000000000ff-5a1e0000000000ff-5a1e0000000000ff"
	v.emu.ReplaceToken(fleet["sales"].token, newSales)
	v.endpoint.AddToken(newSales)
	w.Setenv(botTokens(map[string]string{"sales": newSales}))
	v.emu.ResetRequests()
	requireEmptyPlan(ctx, t, w)
	if n := len(v.emu.RequestsTo("set_webhook")); n != 0 {
		t.Errorf("planning made %d set_webhook calls", n)
	}
	if hook, ok := v.emu.Webhook(newSales); !ok || hook.URL != v.endpoint.URL()+"/bots/sales" {
		t.Errorf("sales holds %+v after the token change, want its webhook untouched", hook)
	}
	w.Destroy(ctx)
	if _, ok := v.emu.Webhook(newSales); ok {
		t.Error("sales still holds a webhook after destroy")
	}
}

// A key the map lacks, and bot beside auth_token, fail the plan before
// any call to Viber, naming what is wrong and never a token.
func TestAccBots_refusedAtPlan(t *testing.T) {
	ctx := context.Background()
	v, w := newFleet(t, botTokens(nil))
	for _, c := range []struct {
		name, config string
		want         *regexp.Regexp
	}{
		{"missing key", botsConfig(v, false, `
resource "viber_webhook" "typo" {
  bot = "salse"
  url = "https://example.com/x"
}
`), regexp.MustCompile(`(?s)Unknown bot key.*bot = "salse" names no entry.*Its keys are: alerts, sales, support`)},
		{"missing key in data source", botsConfig(v, false, `
data "viber_account" "typo" {
  bot = "salse"
}
`), regexp.MustCompile(`(?s)Unknown bot key.*"salse".*alerts, sales, support`)},
		{"bot beside auth_token", botsConfig(v, false, fmt.Sprintf(`
resource "viber_webhook" "both" {
  bot        = "sales"
  auth_token = %q
  url        = "https://example.com/x"
}
`, fleet["support"].token)), regexp.MustCompile(`(?s)Invalid Attribute Combination.*Attribute "auth_token" cannot be specified when "bot" is specified`)},
	} {
		t.Run(c.name, func(t *testing.T) {
			w.Write(c.config)
			v.emu.ResetRequests()
			res := w.Run(ctx, "plan")
			if res.ExitCode == 0 || !c.want.MatchString(res.Output()) {
				t.Fatalf("plan exited %d, want an error matching %s:\n%s", res.ExitCode, c.want, res.Output())
			}
			if n := len(v.emu.Requests()); n != 0 {
				t.Errorf("the plan made %d calls to Viber, want none", n)
			}
			for _, token := range fleetTokens() {
				if strings.Contains(res.Output(), token) {
					t.Error("the error shows a token")
				}
			}
		})
	}
}

// Changing bot: to another bot's key replaces the webhook; to another key
// of the same bot, and from auth_token to the same bot's key, it is an
// in-place change that calls Viber for nothing but the refresh.
func TestAccBots_changingBot(t *testing.T) {
	ctx := context.Background()
	v, w := newFleet(t)
	tokens := map[string]string{"a": fleet["sales"].token, "b": fleet["support"].token, "sales-too": fleet["sales"].token}
	raw, _ := json.Marshal(tokens)
	w.Setenv("TF_VAR_bot_tokens=" + string(raw))
	config := func(who string) string {
		return fmt.Sprintf(`
variable "bot_tokens" {
  type      = map(string)
  sensitive = true
}

provider "viber" {
  api_url = %q
  bots    = var.bot_tokens
}

resource "viber_webhook" "hook" {
  %s
  url = "%s/bots/sales"
}
`, v.apiURL, who, v.endpoint.URL())
	}
	// Start on a resource-level token, as configurations written before bots did.
	w.Write(config(fmt.Sprintf("auth_token = %q", fleet["sales"].token)))
	w.Apply(ctx)

	onlyRefresh := func(step string) {
		t.Helper()
		if calls := callsBy(v); calls["set_webhook"] != 0 || calls["get_account_info"] != 1 {
			t.Errorf("%s: calls %v, want the refresh's one get_account_info and nothing else", step, calls)
		}
	}
	v.emu.ResetRequests()
	w.Write(config(`bot = "a"`))
	if res := w.Apply(ctx); !strings.Contains(res.Stdout, "0 added, 1 changed, 0 destroyed") {
		t.Errorf("auth_token to the same bot's key did not update in place:\n%s", res.Stdout)
	}
	onlyRefresh("auth_token to bot")
	requireNoSecret(t, filepath.Join(w.Dir, "terraform.tfstate"), fleet["sales"].token)

	v.emu.ResetRequests()
	w.Write(config(`bot = "sales-too"`))
	if res := w.Apply(ctx); !strings.Contains(res.Stdout, "0 added, 1 changed, 0 destroyed") {
		t.Errorf("a key of the same bot did not update in place:\n%s", res.Stdout)
	}
	onlyRefresh("another key of the same bot")
	requireEmptyPlan(ctx, t, w)

	w.Write(config(`bot = "b"`))
	_, res := w.PlanIsEmpty(ctx)
	if !strings.Contains(res.Stdout, "must be replaced") {
		t.Errorf("another bot's key does not replace the webhook:\n%s", res.Stdout)
	}
	w.Apply(ctx)
	if _, ok := v.emu.Webhook(fleet["sales"].token); ok {
		t.Error("sales still holds a webhook after its resource moved to support")
	}
	if _, ok := v.emu.Webhook(fleet["support"].token); !ok {
		t.Error("support holds no webhook after the replacement")
	}
	requireEmptyPlan(ctx, t, w)
	w.Destroy(ctx)
}

// A resource-level token that Viber replaced: the new one in the
// configuration applies in one run without touching the webhook; with
// the old one still configured, the plan says what is wrong.
func TestAccWebhook_replacedResourceToken(t *testing.T) {
	ctx := context.Background()
	v, w := newFleet(t)
	config := func(token string) string {
		return fmt.Sprintf(`
provider "viber" {
  api_url = %q
}

resource "viber_webhook" "hook" {
  auth_token = %q
  url        = "%s/bots/sales"
}
`, v.apiURL, token, v.endpoint.URL())
	}
	w.Write(config(fleet["sales"].token))
	w.Apply(ctx)

	const newSales = "5a1e0000000000ff-5a1e0000000000ff-5a1e0000000000ff"
	v.emu.ReplaceToken(fleet["sales"].token, newSales)
	v.endpoint.AddToken(newSales)

	res := w.Run(ctx, "plan")
	if res.ExitCode == 0 || !strings.Contains(res.Output(), "invalidAuthToken (2)") {
		t.Errorf("with the replaced token still configured, plan exited %d, want invalidAuthToken:\n%s", res.ExitCode, res.Output())
	}

	w.Write(config(newSales))
	v.emu.ResetRequests()
	res = w.Apply(ctx)
	if !strings.Contains(res.Stdout, "0 added, 1 changed, 0 destroyed") {
		t.Errorf("the new token did not apply in place:\n%s", res.Output())
	}
	if n := len(v.emu.RequestsTo("set_webhook")); n != 0 {
		t.Errorf("applying the new token made %d set_webhook calls, want none", n)
	}
	if hook, ok := v.emu.Webhook(newSales); !ok || hook.URL != v.endpoint.URL()+"/bots/sales" {
		t.Errorf("sales holds %+v, want its webhook untouched", hook)
	}
	requireEmptyPlan(ctx, t, w)
	w.Destroy(ctx)
	if _, ok := v.emu.Webhook(newSales); ok {
		t.Error("sales still holds a webhook after destroy")
	}
}

// A token unknown at plan time that turns out to be another bot's: the
// plan warns that it cannot check it, and the apply fails with the
// provider's own error naming both bots, nothing sent. The next plan, with
// the token known, refuses the same way (a token outside bots never moves
// a webhook); the remedy its error gives, a new resource address, moves it.
func TestAccWebhook_unknownTokenOfAnotherBot(t *testing.T) {
	ctx := context.Background()
	v, w := newFleet(t)
	config := func(name string) string {
		return fmt.Sprintf(`
provider "viber" {
  api_url = %q
}

variable "token" {
  type      = string
  sensitive = true
}

# Stands for a secret updated in the same apply: its value is known only then.
resource "terraform_data" "secret" {
  input = var.token
}

resource "viber_webhook" %q {
  auth_token = terraform_data.secret.output
  url        = "%s/bots/sales"
}
`, v.apiURL, name, v.endpoint.URL())
	}
	w.Write(config("hook"))
	w.Setenv("TF_VAR_token=" + fleet["sales"].token)
	w.Apply(ctx)

	crossed := regexp.MustCompile(`(?s)The auth token belongs to another bot.*"` + fleet["sales"].id + `".*"` + fleet["support"].id + `"`)
	w.Setenv("TF_VAR_token=" + fleet["support"].token)
	v.emu.ResetRequests()
	res := w.Run(ctx, "apply", "-auto-approve")
	requireOwnError(t, res, crossed)
	if !strings.Contains(res.Output(), "Token known only at apply") {
		t.Errorf("the plan did not warn that it could not check the token:\n%s", res.Output())
	}
	requireNoWrites(t, v)
	holdsURL(t, v, "sales", v.endpoint.URL()+"/bots/sales")
	holdsURL(t, v, "support", "")

	// Known at plan time now (the secret holds it): refused by the plan.
	requireOwnError(t, w.Run(ctx, "plan"), crossed)
	requireNoWrites(t, v)

	w.Write(config("support_hook"))
	res = w.Apply(ctx)
	if !strings.Contains(res.Stdout, "1 added, 0 changed, 1 destroyed") {
		t.Errorf("a new address did not move the webhook:\n%s", res.Stdout)
	}
	holdsURL(t, v, "sales", "")
	holdsURL(t, v, "support", v.endpoint.URL()+"/bots/sales")
	requireEmptyPlan(ctx, t, w)
	w.Destroy(ctx)
}

// A bot with its own token imports beside a provider-level token of
// another bot, without set_webhook; so does one named by its bots key.
func TestAccWebhook_importBesideProviderToken(t *testing.T) {
	ctx := context.Background()
	v, w := newFleet(t, botTokens(nil))
	v.giveWebhooks("sales", "support")
	w.Write(fmt.Sprintf(`
variable "bot_tokens" {
  type      = map(string)
  sensitive = true
}

provider "viber" {
  api_url    = %q
  auth_token = %q
  bots       = { support = var.bot_tokens["support"] }
}

import {
  to = viber_webhook.own_token
  id = %q
}

resource "viber_webhook" "own_token" {
  auth_token = %q
  url        = "%s/bots/sales"
}

import {
  to = viber_webhook.by_key
  id = %q
}

resource "viber_webhook" "by_key" {
  bot = "support"
  url = "%s/bots/support"
}
`, v.apiURL, testToken, fleet["sales"].id, fleet["sales"].token, v.endpoint.URL(), fleet["support"].id, v.endpoint.URL()))
	v.emu.ResetRequests()
	res := w.Apply(ctx)
	if !strings.Contains(res.Stdout, "2 imported, 0 added") {
		t.Errorf("apply did not import both:\n%s", res.Output())
	}
	if n := len(v.emu.RequestsTo("set_webhook")); n != 0 {
		t.Errorf("importing made %d set_webhook calls, want none", n)
	}
	requireEmptyPlan(ctx, t, w)
	st := w.State(ctx)
	if attrs := clitest.Resource(st, "viber_webhook.own_token"); attrs["id"] != fleet["sales"].id {
		t.Errorf("own_token imported as %v", attrs)
	}
	if _, ok := v.emu.Webhook(testToken); ok {
		t.Error("the provider-level token's bot got a webhook")
	}
	w.Destroy(ctx)
	v.fleetHolds(t)
}

// A timeouts-only change records the new timeouts without calling Viber,
// so it applies even while the endpoint is down.
func TestAccWebhook_timeoutsOnlyChangeMakesNoCall(t *testing.T) {
	ctx := context.Background()
	v := newTestViber(t)
	w := clitest.New(t, clitest.CLIFromEnv(t), clitest.ProviderDir(t))
	config := func(update string) string {
		return v.providerBlock(testToken) + fmt.Sprintf(`
resource "viber_webhook" "hook" {
  url = %q
  timeouts {
    update = %q
  }
}
`, v.hookURL("/hook"), update)
	}
	w.Write(config("1m"))
	w.Apply(ctx)
	v.endpoint.ForceStatus(500) // Viber's availability check would now fail
	w.Write(config("3m"))
	v.emu.ResetRequests()
	if res := w.Apply(ctx); !strings.Contains(res.Stdout, "0 added, 1 changed, 0 destroyed") {
		t.Errorf("the timeouts change did not apply in place:\n%s", res.Stdout)
	}
	if calls := callsBy(v); calls["set_webhook"] != 0 || calls["get_account_info"] != 1 {
		t.Errorf("calls %v, want the refresh's one get_account_info and nothing else", calls)
	}
	v.endpoint.ForceStatus(0)
	requireEmptyPlan(ctx, t, w)
	w.Destroy(ctx)
}

// One list block with no config finds the provider token's bot and every
// bot in bots; config { bot = ... } narrows it to one. Applying what
// terraform query generates imports each webhook by its key, with no
// set_webhook and nothing to plan afterwards.
func TestAccWebhookList_everyBot(t *testing.T) {
	ctx := context.Background()
	skipWithoutQuery(t)
	v, w := newFleet(t, botTokens(nil))
	v.giveWebhooks(fleetNames...)
	v.emu.SetWebhook(testToken, &emulator.Webhook{URL: v.hookURL("/default")})
	w.Write(fmt.Sprintf(`
variable "bot_tokens" {
  type      = map(string)
  sensitive = true
}

provider "viber" {
  api_url    = %q
  auth_token = %q
  bots       = var.bot_tokens
}
`, v.apiURL, testToken))

	w.WriteFile("one.tfquery.hcl", "list \"viber_webhook\" \"sales\" {\n  provider = viber\n  config {\n    bot = \"sales\"\n  }\n}\n")
	if out := w.MustRun(ctx, "query").Stdout; !strings.Contains(out, "sales (pa:100)") || strings.Contains(out, "pa:200") {
		t.Errorf("config { bot = \"sales\" } did not narrow the query to sales:\n%s", out)
	}
	if err := os.Remove(filepath.Join(w.Dir, "one.tfquery.hcl")); err != nil {
		t.Fatal(err)
	}

	w.WriteFile("all.tfquery.hcl", "list \"viber_webhook\" \"all\" {\n  provider = viber\n}\n")
	out := w.MustRun(ctx, "query", "-generate-config-out=generated.tf")
	for _, want := range []string{"Test Bot (" + testID + ")", "alerts (pa:300)", "sales (pa:100)", "support (pa:200)"} {
		if !strings.Contains(out.Stdout, want) {
			t.Errorf("terraform query does not list %s:\n%s", want, out.Output())
		}
	}
	generated, err := os.ReadFile(filepath.Join(w.Dir, "generated.tf"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range fleetNames {
		if !regexp.MustCompile(`bot\s+=\s+"` + name + `"`).Match(generated) {
			t.Errorf("generated.tf does not name the bot %q:\n%s", name, generated)
		}
	}
	for _, token := range append(fleetTokens(), testToken) {
		if strings.Contains(string(generated), token) {
			t.Errorf("generated.tf holds a token:\n%s", generated)
		}
	}
	v.emu.ResetRequests()
	if res := w.Apply(ctx); !strings.Contains(res.Stdout, "4 imported, 0 added, 0 changed, 0 destroyed") {
		t.Errorf("applying the generated configuration did not just import:\n%s", res.Output())
	}
	if n := len(v.emu.RequestsTo("set_webhook")); n != 0 {
		t.Errorf("the import made %d set_webhook calls, want none", n)
	}
	requireEmptyPlan(ctx, t, w)
	requireNoSecret(t, filepath.Join(w.Dir, "terraform.tfstate"), fleetTokens()...)
}

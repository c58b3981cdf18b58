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

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/viberops/terraform-provider-viber/internal/clitest"
)

// The paths the plan does not see: a saved plan applied in another process
// with other credentials, -refresh=false, an import followed by a move, an
// apply after a failed one. Every command is a process of its own, as in a
// pipeline; the provider proves each token at the write.

// crossedBots matches the provider's error naming the webhook's bot and
// the bot of the token it was given, and saying nothing was sent.
func crossedBots(stateBot, tokenBot string) *regexp.Regexp {
	return regexp.MustCompile(fmt.Sprintf(`(?s)The auth token belongs to another bot.*%q.*%q.*No\s+change\s+was\s+sent\s+to\s+Viber`,
		stateBot, tokenBot))
}

// requireNoWrites fails t when Viber received any set_webhook call since
// the last reset.
func requireNoWrites(t *testing.T, v *testViber) {
	t.Helper()
	if reqs := v.emu.RequestsTo("set_webhook"); len(reqs) != 0 {
		var to []string
		for _, r := range reqs {
			to = append(to, r.AccountID)
		}
		t.Errorf("%d set_webhook calls (to %v), want none", len(reqs), to)
	}
}

// holdsURL fails t unless the named fleet bot holds exactly url ("" for
// no webhook).
func holdsURL(t *testing.T, v *testViber, name, url string) {
	t.Helper()
	hook, ok := v.emu.Webhook(fleet[name].token)
	switch {
	case url == "" && ok:
		t.Errorf("%s holds %q, want no webhook", name, hook.URL)
	case url != "" && (!ok || hook.URL != url):
		t.Errorf("%s holds %+v (set: %v), want %q", name, hook, ok, url)
	}
}

// plannedActions reads a saved plan's actions by resource address.
func plannedActions(ctx context.Context, t *testing.T, w *clitest.Workdir, planFile string) map[string]tfjson.Actions {
	t.Helper()
	res := w.MustRun(ctx, "show", "-json", planFile)
	var plan tfjson.Plan
	if err := json.Unmarshal([]byte(res.Stdout), &plan); err != nil {
		t.Fatalf("decoding plan: %v", err)
	}
	actions := map[string]tfjson.Actions{}
	for _, rc := range plan.ResourceChanges {
		actions[rc.Address] = rc.Change.Actions
	}
	return actions
}

// stateURL is the url the state records for address, "" when absent.
func stateURL(ctx context.Context, t *testing.T, w *clitest.Workdir, address string) (id, url string) {
	t.Helper()
	attrs := clitest.Resource(w.State(ctx), address)
	if attrs == nil {
		return "", ""
	}
	id, _ = attrs["id"].(string)
	url, _ = attrs["url"].(string)
	return id, url
}

// providerTokenConfig is one webhook whose token is the provider's, from
// VIBER_AUTH_TOKEN, as a pipeline secret supplies it.
func providerTokenConfig(v *testViber, path string) string {
	return fmt.Sprintf(`
provider "viber" {
  api_url = %q
%s}

resource "viber_webhook" "hook" {
  url = "%s%s"
}
`, v.apiURL, fastRetry, v.endpoint.URL(), path)
}

// A plan saved with bot A's token and applied in another job whose secret
// is bot B's: the apply refuses, naming both bots; neither webhook moves
// and the state still records A's. The same plan then applies with A's.
func TestAccTokenSafety_savedPlanAppliedWithAnotherBotsToken(t *testing.T) {
	ctx := context.Background()
	v, w := newFleet(t, "VIBER_AUTH_TOKEN="+fleet["sales"].token)
	w.Write(providerTokenConfig(v, "/v1"))
	w.Apply(ctx)
	w.Write(providerTokenConfig(v, "/v2"))
	w.MustRun(ctx, "plan", "-out=tfplan")

	w.Setenv("VIBER_AUTH_TOKEN=" + fleet["support"].token)
	v.emu.ResetRequests()
	res := w.Run(ctx, "apply", "tfplan")
	if res.ExitCode == 0 || !crossedBots("pa:100", "pa:200").MatchString(res.Output()) {
		t.Fatalf("apply exited %d, want the provider's error naming both bots:\n%s", res.ExitCode, res.Output())
	}
	requireNoWrites(t, v)
	if n := len(v.emu.RequestsTo("get_account_info")); n != 1 {
		t.Errorf("%d get_account_info calls, want the one that proves the token", n)
	}
	holdsURL(t, v, "sales", v.endpoint.URL()+"/v1")
	holdsURL(t, v, "support", "")
	if id, url := stateURL(ctx, t, w, "viber_webhook.hook"); id != "pa:100" || url != v.endpoint.URL()+"/v1" {
		t.Errorf("state records %s at %q, want pa:100 at /v1", id, url)
	}

	w.Setenv("VIBER_AUTH_TOKEN=" + fleet["sales"].token)
	v.emu.ResetRequests()
	w.MustRun(ctx, "apply", "tfplan")
	holdsURL(t, v, "sales", v.endpoint.URL()+"/v2")
	calls := callsBy(v)
	if calls["set_webhook"] != 1 || calls["get_account_info"] != 0 {
		t.Errorf("the saved plan applied with the token its refresh proved made %v, want one set_webhook and no look-up", calls)
	}
	requireEmptyPlan(ctx, t, w)
}

// viberBotsConfig manages every bot of the fleet through VIBER_BOTS, which
// a pipeline sets from one secret in the plan job and again in the apply
// job; path is appended to each webhook URL.
func viberBotsConfig(v *testViber, path string) string {
	return fmt.Sprintf(`
provider "viber" {
  api_url = %q
%s}

resource "viber_webhook" "bots" {
  for_each = toset(["alerts", "sales", "support"])
  bot      = each.key
  url      = "%s/bots/${each.key}%s"
}
`, v.apiURL, fastRetry, v.endpoint.URL(), path)
}

// viberBots is VIBER_BOTS for the fleet, with some keys' tokens replaced.
func viberBots(override map[string]string) string {
	return "VIBER_BOTS=" + strings.TrimPrefix(botTokens(override), "TF_VAR_bot_tokens=")
}

// requireSwapRefused checks the apply of a saved plan with sales' and
// support's tokens swapped: both refused by name, neither webhook moved,
// and no removal or change sent to either.
func requireSwapRefused(t *testing.T, v *testViber, res clitest.Result) {
	t.Helper()
	out := res.Output()
	if res.ExitCode == 0 || !crossedBots("pa:100", "pa:200").MatchString(out) || !crossedBots("pa:200", "pa:100").MatchString(out) {
		t.Fatalf("apply exited %d, want the provider's error for both swapped bots:\n%s", res.ExitCode, out)
	}
	for _, r := range v.emu.RequestsTo("set_webhook") {
		if r.AccountID != "pa:300" {
			t.Errorf("set_webhook was sent to %s; only alerts (pa:300) has its own token", r.AccountID)
		}
	}
	holdsURL(t, v, "sales", v.endpoint.URL()+"/bots/sales")
	holdsURL(t, v, "support", v.endpoint.URL()+"/bots/support")
}

// The bots map supplied again at apply with two keys' tokens swapped: the
// two bots are refused by name, the third is applied, and no webhook moves
// to another bot.
func TestAccTokenSafety_savedPlanAppliedWithSwappedBots(t *testing.T) {
	ctx := context.Background()
	v, w := newFleet(t, viberBots(nil))
	w.Write(viberBotsConfig(v, ""))
	w.Apply(ctx)
	w.Write(viberBotsConfig(v, "/v2"))
	w.MustRun(ctx, "plan", "-out=tfplan")

	w.Setenv(viberBots(map[string]string{"sales": fleet["support"].token, "support": fleet["sales"].token}))
	v.emu.ResetRequests()
	requireSwapRefused(t, v, w.Run(ctx, "apply", "tfplan"))
	holdsURL(t, v, "alerts", v.endpoint.URL()+"/bots/alerts/v2")

	w.Setenv(viberBots(nil))
	w.Apply(ctx)
	for _, name := range fleetNames {
		holdsURL(t, v, name, v.endpoint.URL()+"/bots/"+name+"/v2")
	}
	requireEmptyPlan(ctx, t, w)
}

// The same with the bots map in an ephemeral variable, which must be
// supplied again when the saved plan is applied (Terraform 1.10+,
// OpenTofu 1.11+).
func TestAccTokenSafety_savedPlanWithSwappedEphemeralBots(t *testing.T) {
	ctx := context.Background()
	skipBelow(t, clitest.CLIFromEnv(t), "1.10.0")
	v, w := newFleet(t, botTokens(nil))
	w.Write(botsConfig(v, true, ""))
	w.Apply(ctx)
	w.Write(strings.Replace(botsConfig(v, true, ""), `/bots/${each.key}"`, `/bots/${each.key}/v2"`, 1))
	w.MustRun(ctx, "plan", "-out=tfplan")

	w.Setenv(botTokens(map[string]string{"sales": fleet["support"].token, "support": fleet["sales"].token}))
	v.emu.ResetRequests()
	requireSwapRefused(t, v, w.Run(ctx, "apply", "tfplan"))
}

// destroy -refresh=false with another bot's token removes nothing and
// keeps the webhook in state; with the bot's own token it removes it in
// one call, the token proven by the fingerprint the last apply recorded.
func TestAccTokenSafety_destroyWithoutRefresh(t *testing.T) {
	ctx := context.Background()
	v, w := newFleet(t, "VIBER_AUTH_TOKEN="+fleet["sales"].token)
	v.giveWebhooks("support")
	w.Write(providerTokenConfig(v, "/v1"))
	w.Apply(ctx)

	w.Setenv("VIBER_AUTH_TOKEN=" + fleet["support"].token)
	v.emu.ResetRequests()
	res := w.Run(ctx, "destroy", "-auto-approve", "-refresh=false")
	if res.ExitCode == 0 || !crossedBots("pa:100", "pa:200").MatchString(res.Output()) {
		t.Fatalf("destroy exited %d, want the provider's error naming both bots:\n%s", res.ExitCode, res.Output())
	}
	requireNoWrites(t, v)
	holdsURL(t, v, "sales", v.endpoint.URL()+"/v1")
	holdsURL(t, v, "support", v.endpoint.URL()+"/bots/support")
	if id, _ := stateURL(ctx, t, w, "viber_webhook.hook"); id != "pa:100" {
		t.Errorf("state holds %q after the refused destroy, want the webhook pa:100 still there", id)
	}

	// Another configured token of the same bot stands in, as before.
	w.Setenv(viberBots(nil))
	v.emu.ResetRequests()
	w.MustRun(ctx, "destroy", "-auto-approve", "-refresh=false")
	holdsURL(t, v, "sales", "")
	holdsURL(t, v, "support", v.endpoint.URL()+"/bots/support")
	for _, r := range v.emu.RequestsTo("set_webhook") {
		if r.AccountID != "pa:100" {
			t.Errorf("a removal was sent to %s, want only pa:100's", r.AccountID)
		}
	}
}

// -refresh=false with a known token of another bot, under the same token
// source: the apply's check says what is true (no "not known when the plan
// was made"), and nothing is sent.
func TestAccTokenSafety_applyWithoutRefresh(t *testing.T) {
	ctx := context.Background()
	v, w := newFleet(t, "VIBER_AUTH_TOKEN="+fleet["sales"].token)
	w.Write(providerTokenConfig(v, "/v1"))
	w.Apply(ctx)

	w.Write(providerTokenConfig(v, "/v2"))
	w.Setenv("VIBER_AUTH_TOKEN=" + fleet["support"].token)
	v.emu.ResetRequests()
	res := w.Run(ctx, "apply", "-auto-approve", "-refresh=false")
	if res.ExitCode == 0 || !crossedBots("pa:100", "pa:200").MatchString(res.Output()) || strings.Contains(res.Output(), "not known") {
		t.Fatalf("apply exited %d, want the provider's error naming both bots, and only what is true:\n%s", res.ExitCode, res.Output())
	}
	requireNoWrites(t, v)
	holdsURL(t, v, "sales", v.endpoint.URL()+"/v1")
	holdsURL(t, v, "support", "")

	// The bot's own token, without refresh: proven by the fingerprint, so
	// the update is its one set_webhook.
	w.Setenv("VIBER_AUTH_TOKEN=" + fleet["sales"].token)
	v.emu.ResetRequests()
	w.Apply(ctx, "-refresh=false")
	holdsURL(t, v, "sales", v.endpoint.URL()+"/v2")
	if calls := callsBy(v); calls["set_webhook"] != 1 || calls["get_account_info"] != 0 {
		t.Errorf("the update made %v, want one set_webhook and no look-up", calls)
	}
}

// importConfig imports sales' webhook by its account ID and manages it
// with the bots entry key.
func importConfig(v *testViber, key string, withImport bool) string {
	imp := ""
	if withImport {
		imp = "import {\n  to = viber_webhook.hook\n  id = \"pa:100\"\n}\n"
	}
	return keyedConfig(v, key, "", "") + imp
}

// An imported webhook moves to another bot like any other: after the
// import's no-op apply, pointing bot at another bot's key plans a
// replacement, with or without a refresh, and applies it.
func TestAccTokenSafety_importThenMoveToAnotherBot(t *testing.T) {
	ctx := context.Background()
	v, w := newFleet(t, viberBots(nil))
	v.giveWebhooks("sales")
	w.Write(importConfig(v, "sales", true))
	w.Apply(ctx)
	requireNoWrites(t, v)
	requireEmptyPlan(ctx, t, w)

	w.Write(importConfig(v, "support", false))
	for _, refresh := range []string{"-refresh=true", "-refresh=false"} {
		w.MustRun(ctx, "plan", refresh, "-out=tfplan")
		if got := plannedActions(ctx, t, w, "tfplan")["viber_webhook.hook"]; !got.DestroyBeforeCreate() {
			t.Errorf("plan %s: actions %v, want the webhook replaced", refresh, got)
		}
	}
	v.emu.ResetRequests()
	w.MustRun(ctx, "apply", "tfplan")
	holdsURL(t, v, "sales", "")
	holdsURL(t, v, "support", v.endpoint.URL()+"/bots/sales")
	if id, _ := stateURL(ctx, t, w, "viber_webhook.hook"); id != "pa:200" {
		t.Errorf("state records %q, want pa:200", id)
	}
	requireEmptyPlan(ctx, t, w)
}

// The same after terraform import, the command.
func TestAccTokenSafety_importCommandThenMove(t *testing.T) {
	ctx := context.Background()
	v, w := newFleet(t, viberBots(nil))
	v.giveWebhooks("sales")
	w.Write(importConfig(v, "sales", false))
	w.MustRun(ctx, "import", "viber_webhook.hook", "pa:100")
	w.Apply(ctx) // records the configuration; Viber already holds it
	requireNoWrites(t, v)

	w.Write(importConfig(v, "support", false))
	v.emu.ResetRequests()
	res := w.Apply(ctx)
	if !strings.Contains(res.Stdout, "1 added, 0 changed, 1 destroyed") {
		t.Errorf("the apply did not replace the webhook:\n%s", res.Stdout)
	}
	holdsURL(t, v, "sales", "")
	holdsURL(t, v, "support", v.endpoint.URL()+"/bots/sales")
}

// A failed apply leaves nothing that skips a later write: a bots key
// renamed so the refresh cannot read, send_name changed, the endpoint
// down; then the key restored and url changed: the change reaches Viber.
func TestAccTokenSafety_changeAfterFailedApplyReachesViber(t *testing.T) {
	ctx := context.Background()
	v, w := newFleet(t, viberBots(nil))
	cfg := func(key, path, extra string) string {
		return fmt.Sprintf(`
provider "viber" {
  api_url = %q
%s}

resource "viber_webhook" "hook" {
  bot = %q
  url = "%s%s"
%s
  timeouts {
    update = "2s"
  }
}
`, v.apiURL, fastRetry, key, v.endpoint.URL(), path, extra)
	}
	w.Write(cfg("sales", "/v1", ""))
	w.Apply(ctx)

	b, _ := json.Marshal(map[string]string{"shop": fleet["sales"].token, "alerts": fleet["alerts"].token, "support": fleet["support"].token})
	w.Setenv("VIBER_BOTS=" + string(b))
	w.Write(cfg("shop", "/v1", "  send_name = true"))
	v.endpoint.ForceStatus(503)
	if res := w.Run(ctx, "apply", "-auto-approve"); res.ExitCode == 0 {
		t.Fatalf("the apply with the endpoint down succeeded:\n%s", res.Output())
	}
	v.endpoint.ForceStatus(0)

	w.Setenv(viberBots(nil))
	w.Write(cfg("sales", "/v2", "  send_name = true"))
	v.emu.ResetRequests()
	w.Apply(ctx)
	holdsURL(t, v, "sales", v.endpoint.URL()+"/v2")
	if hook, _ := v.emu.Webhook(fleet["sales"].token); !hook.SendName {
		t.Errorf("sales holds %+v, want send_name on", hook)
	}
	requireEmptyPlan(ctx, t, w)
}

// A mistyped import ID whose bot one of the provider's tokens can read is
// still the import's error, not an import that replaces (and so removes)
// a webhook another resource manages.
func TestAccTokenSafety_mistypedImportIDRefused(t *testing.T) {
	ctx := context.Background()
	v, w := newFleet(t, viberBots(nil))
	v.giveWebhooks("support")
	cfg := func(keys, imp string) string {
		return fmt.Sprintf(`
provider "viber" {
  api_url = %q
%s}
%s
resource "viber_webhook" "bots" {
  for_each = toset([%s])
  bot      = each.key
  url      = "%s/bots/${each.key}"
}
`, v.apiURL, fastRetry, imp, keys, v.endpoint.URL())
	}
	w.Write(cfg(`"sales"`, ""))
	w.Apply(ctx)

	w.Write(cfg(`"sales", "support"`, "import {\n  to = viber_webhook.bots[\"support\"]\n  id = \"pa:100\"\n}\n"))
	v.emu.ResetRequests()
	res := w.Run(ctx, "apply", "-auto-approve")
	if res.ExitCode == 0 || !regexp.MustCompile(`(?s)Import ID is not this bot's account ID.*"pa:100".*"pa:200"`).MatchString(res.Output()) {
		t.Fatalf("apply exited %d, want the import refused:\n%s", res.ExitCode, res.Output())
	}
	requireNoWrites(t, v)
	holdsURL(t, v, "sales", v.endpoint.URL()+"/bots/sales")
	holdsURL(t, v, "support", v.endpoint.URL()+"/bots/support")

	w.Write(cfg(`"sales", "support"`, "import {\n  to = viber_webhook.bots[\"support\"]\n  id = \"pa:200\"\n}\n"))
	w.Apply(ctx)
	requireNoWrites(t, v)
	requireEmptyPlan(ctx, t, w)
}

// A token pasted as the import ID is refused without echoing it, and no
// file in the working directory holds it afterwards; so is one in the
// shape of Viber's own documentation examples (letters, not hex).
func TestAccTokenSafety_tokenAsImportIDRefused(t *testing.T) {
	ctx := context.Background()
	v, w := newFleet(t, viberBots(nil))
	v.giveWebhooks("sales")
	token := fleet["sales"].token
	const docToken = "445da6az1s345z78-dazcczb2542zv51a-e0vc5fva17480im9"
	w.Write(importConfig(v, "sales", false))
	res := w.Run(ctx, "import", "viber_webhook.hook", docToken)
	if res.ExitCode == 0 || !strings.Contains(res.Output(), "The import ID looks like an auth token") {
		t.Fatalf("import of a documentation-shaped token exited %d, want it refused:\n%s", res.ExitCode, res.Output())
	}
	res = w.Run(ctx, "import", "viber_webhook.hook", token)
	if res.ExitCode == 0 || !strings.Contains(res.Output(), "The import ID looks like an auth token") {
		t.Fatalf("import exited %d, want the token refused:\n%s", res.ExitCode, res.Output())
	}
	if strings.Contains(diagnosticsOf(res.Output()), token) {
		t.Errorf("the provider's error repeats the token:\n%s", res.Output())
	}

	w.Write(strings.Replace(importConfig(v, "sales", true), `"pa:100"`, fmt.Sprintf("%q", token), 1))
	res = w.Run(ctx, "plan") // a saved plan would hold the configuration, and so the token the user wrote there
	if res.ExitCode == 0 || !strings.Contains(res.Output(), "The import ID looks like an auth token") {
		t.Fatalf("plan exited %d, want the token refused:\n%s", res.ExitCode, res.Output())
	}
	requireNoWrites(t, v)
	err := filepath.Walk(w.Dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || strings.HasSuffix(path, ".tf") {
			return err // the configuration holds it: the user wrote it there
		}
		requireNoSecret(t, path, token, docToken)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// diagnosticsOf is the part of the CLI's output from the first "Error:"
// on: what the provider said, not the CLI's own progress lines.
func diagnosticsOf(out string) string {
	if i := strings.Index(out, "Error:"); i >= 0 {
		return out[i:]
	}
	return out
}

// A webhook imported with the resource's own auth_token (no provider
// token is its bot's) is read by the first plan; another bot's token there
// is the import's error, not a replacement.
func TestAccTokenSafety_unreadImportWithAnotherBotsToken(t *testing.T) {
	ctx := context.Background()
	v, w := newFleet(t)
	v.giveWebhooks("sales", "support")
	cfg := func(token string) string {
		return fmt.Sprintf(`
provider "viber" {
  api_url = %q
}

import {
  to = viber_webhook.hook
  id = "pa:100"
}

resource "viber_webhook" "hook" {
  auth_token = %q
  url        = "%s/bots/sales"
}
`, v.apiURL, token, v.endpoint.URL())
	}
	w.Write(cfg(fleet["support"].token))
	res := w.Run(ctx, "plan")
	if res.ExitCode == 0 || !strings.Contains(res.Output(), "Import ID is not this bot's account ID") {
		t.Fatalf("plan exited %d, want the import refused:\n%s", res.ExitCode, res.Output())
	}
	w.Write(cfg(fleet["sales"].token))
	v.emu.ResetRequests()
	w.Apply(ctx)
	holdsURL(t, v, "sales", v.endpoint.URL()+"/bots/sales")
	holdsURL(t, v, "support", v.endpoint.URL()+"/bots/support")
	requireEmptyPlan(ctx, t, w)
}

package provider_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/viberops/terraform-provider-viber/internal/clitest"
	"github.com/viberops/terraform-provider-viber/internal/emulator"
)

// fleet is three bots, each with its own token, on one local Viber.
var fleet = map[string]struct{ token, id string }{
	"sales":   {"5a1e5a1e5a1e5a1e-5a1e5a1e5a1e5a1e-5a1e5a1e5a1e5a1e", "pa:100"},
	"support": {"50dd50dd50dd50dd-50dd50dd50dd50dd-50dd50dd50dd50dd", "pa:200"},
	"alerts":  {"a1e7a1e7a1e7a1e7-a1e7a1e7a1e7a1e7-a1e7a1e7a1e7a1e7", "pa:300"},
}

var fleetNames = []string{"alerts", "sales", "support"}

// newFleet starts a local Viber with the fleet's bots and a working
// directory for the real CLI, with no provider-level token anywhere.
func newFleet(t *testing.T, env ...string) (*testViber, *clitest.Workdir) {
	cli := clitest.CLIFromEnv(t)
	v := newTestViber(t)
	for name, bot := range fleet {
		v.emu.AddAccount(bot.token, emulator.Account{ID: bot.id, Name: name})
		v.endpoint.AddToken(bot.token)
	}
	t.Setenv("VIBER_AUTH_TOKEN", "")
	return v, clitest.New(t, cli, clitest.ProviderDir(t), env...)
}

// fleetConfig manages every bot with for_each over a map of tokens;
// override replaces some bots' tokens; extra is appended.
func fleetConfig(v *testViber, override map[string]string, extra string) string {
	var entries []string
	for _, name := range fleetNames {
		token := fleet[name].token
		if o, ok := override[name]; ok {
			token = o
		}
		entries = append(entries, fmt.Sprintf("    %s = %q", name, token))
	}
	return fmt.Sprintf(`
provider "viber" {
  api_url = %q
%s}

variable "bot_tokens" {
  type      = map(string)
  sensitive = true
  default = {
%s
  }
}

resource "viber_webhook" "bots" {
  for_each   = nonsensitive(toset(keys(var.bot_tokens)))
  auth_token = var.bot_tokens[each.key]
  url        = "%s/bots/${each.key}"
}
%s`, v.apiURL, fastRetry, strings.Join(entries, "\n"), v.endpoint.URL(), extra)
}

// giveWebhooks gives the named bots their own webhook behind Terraform's
// back, the one fleetHolds expects.
func (v *testViber) giveWebhooks(names ...string) {
	for _, name := range names {
		v.emu.SetWebhook(fleet[name].token, &emulator.Webhook{URL: v.endpoint.URL() + "/bots/" + name})
	}
}

// fleetHolds fails t unless exactly the named bots hold their own webhook.
func (v *testViber) fleetHolds(t *testing.T, names ...string) {
	t.Helper()
	for name, bot := range fleet {
		hook, ok := v.emu.Webhook(bot.token)
		want := contains(names, name)
		switch {
		case want && (!ok || hook.URL != v.endpoint.URL()+"/bots/"+name):
			t.Errorf("bot %s holds %+v (set: %v), want its own URL", name, hook, ok)
		case !want && ok:
			t.Errorf("bot %s holds %+v, want no webhook", name, hook)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func bot(name string) string { return fmt.Sprintf("viber_webhook.bots[%q]", name) }

// requireEmptyPlan fails t when a plan finds anything to do.
func requireEmptyPlan(ctx context.Context, t *testing.T, w *clitest.Workdir) {
	t.Helper()
	if empty, res := w.PlanIsEmpty(ctx); !empty {
		t.Fatalf("plan is not empty:\n%s", res.Output())
	}
}

func TestAccMultiBot_forEachWithOwnTokens(t *testing.T) {
	ctx := context.Background()
	v, w := newFleet(t)
	w.Write(fleetConfig(v, nil, ""))

	w.Apply(ctx)
	v.fleetHolds(t, fleetNames...)
	st := w.State(ctx)
	for name, b := range fleet {
		if got := clitest.Resource(st, bot(name))["id"]; got != b.id {
			t.Errorf("%s id = %v, want %s", bot(name), got, b.id)
		}
	}
	// One identity lookup and one set_webhook per bot, nothing else.
	calls := map[string]int{}
	for _, r := range v.emu.Requests() {
		calls[r.Method+" "+r.AccountID]++
	}
	for _, b := range fleet {
		if calls["get_account_info "+b.id] != 1 || calls["set_webhook "+b.id] != 1 {
			t.Errorf("creating bot %s made calls %v, want one get_account_info and one set_webhook", b.id, calls)
		}
	}
	requireEmptyPlan(ctx, t, w)

	// Drift on one bot is repaired on that bot alone.
	v.emu.SetWebhook(fleet["support"].token, &emulator.Webhook{URL: "https://elsewhere.example/x"})
	empty, res := w.PlanIsEmpty(ctx)
	if empty || !strings.Contains(res.Stdout, bot("support")+" will be updated in-place") ||
		strings.Contains(res.Stdout, bot("sales")+" will") || strings.Contains(res.Stdout, bot("alerts")+" will") {
		t.Fatalf("after drift on support, the plan should update it alone:\n%s", res.Stdout)
	}
	w.Apply(ctx)
	v.fleetHolds(t, fleetNames...)

	// A webhook removed behind Terraform's back is recreated, alone.
	v.emu.SetWebhook(fleet["alerts"].token, nil)
	empty, res = w.PlanIsEmpty(ctx)
	if empty || !strings.Contains(res.Stdout, bot("alerts")+" will be created") || !strings.Contains(res.Stdout, "1 to add, 0 to change, 0 to destroy") {
		t.Fatalf("after removing alerts, the plan should create it alone:\n%s", res.Stdout)
	}
	w.Apply(ctx)
	v.fleetHolds(t, fleetNames...)
	requireEmptyPlan(ctx, t, w)

	// Each bot is destroyed with its own token.
	w.Destroy(ctx)
	v.fleetHolds(t)
}

// A wrong token fails its own bot only: the others are still applied.
func TestAccMultiBot_wrongTokenFailsOnlyItsBot(t *testing.T) {
	ctx := context.Background()
	v, w := newFleet(t)
	w.Write(fleetConfig(v, map[string]string{"alerts": "badbadbadbadbadb-adbadbadbadbadba-dbadbadbadbadbad"}, ""))
	res := w.Run(ctx, "apply", "-auto-approve")
	out := res.Output()
	if res.ExitCode == 0 || !regexp.MustCompile(`(?s)invalidAuthToken \(2\).*with viber_webhook.bots\["alerts"\]`).MatchString(out) {
		t.Fatalf("apply with a bad token for alerts: exit %d, want a failure naming that bot:\n%s", res.ExitCode, out)
	}
	if strings.Count(out, "invalidAuthToken (2)") != 1 {
		t.Errorf("want the bad token reported once, for alerts:\n%s", out)
	}
	v.fleetHolds(t, "sales", "support")

	w.Write(fleetConfig(v, nil, ""))
	w.Apply(ctx)
	v.fleetHolds(t, fleetNames...)
	requireEmptyPlan(ctx, t, w)
	w.Destroy(ctx)
	v.fleetHolds(t)
}

// Bots with their own tokens import by account ID; the first plan checks
// each ID against its resource's token.
func TestAccMultiBot_import(t *testing.T) {
	ctx := context.Background()
	v, w := newFleet(t)
	var imports strings.Builder
	v.giveWebhooks(fleetNames...)
	for _, name := range fleetNames {
		fmt.Fprintf(&imports, "import {\n  to = %s\n  id = %q\n}\n", bot(name), fleet[name].id)
	}

	w.Write(fleetConfig(v, nil, fmt.Sprintf("import {\n  to = %s\n  id = %q\n}\n", bot("sales"), fleet["support"].id)))
	res := w.Run(ctx, "plan")
	if res.ExitCode == 0 || !regexp.MustCompile(`(?s)Import ID is not this bot's account ID.*"pa:200".*"pa:100"`).MatchString(res.Output()) {
		t.Fatalf("importing support's ID as sales: exit %d, want a mismatch error:\n%s", res.ExitCode, res.Output())
	}

	w.Write(fleetConfig(v, nil, imports.String()))
	res = w.Apply(ctx)
	if !strings.Contains(res.Stdout, "3 imported") {
		t.Errorf("apply did not import the three bots:\n%s", res.Stdout)
	}
	v.fleetHolds(t, fleetNames...)
	st := w.State(ctx)
	for name, b := range fleet {
		attrs := clitest.Resource(st, bot(name))
		if attrs["id"] != b.id || attrs["url"] != v.endpoint.URL()+"/bots/"+name {
			t.Errorf("%s imported as %v", bot(name), attrs)
		}
	}
	requireEmptyPlan(ctx, t, w)
	w.Destroy(ctx)
	v.fleetHolds(t)
}

// Neither token path leaks: not in trace logs, not on screen, and the
// provider-level token not in state either (resource-level tokens are
// stored there, marked sensitive, as documented).
func TestAccMultiBot_tokensStaySecret(t *testing.T) {
	ctx := context.Background()
	logFile := filepath.Join(t.TempDir(), "trace.log")
	v, w := newFleet(t, "TF_LOG=trace", "TF_LOG_PATH="+logFile)
	config := func(path string) string {
		return fleetConfig(v, nil, fmt.Sprintf(`
provider "viber" {
  alias      = "default_bot"
  api_url    = %q
  auth_token = %q
}

resource "viber_webhook" "default_bot" {
  provider = viber.default_bot
  url      = "%s%s"
%s}

data "viber_account" "default_bot" {
  provider = viber.default_bot
}
`, v.apiURL, testToken, v.endpoint.URL(), path, shortTimeouts))
	}

	var screen strings.Builder
	w.Write(config("/default"))
	screen.WriteString(w.Apply(ctx).Output())
	screen.WriteString(w.Run(ctx, "plan").Output())
	v.endpoint.ForceStatus(500) // an error path: Viber refuses the new URL
	w.Write(config("/moved"))
	if res := w.Run(ctx, "apply", "-auto-approve"); res.ExitCode == 0 {
		t.Fatal("apply succeeded although the endpoint answers 500")
	} else {
		screen.WriteString(res.Output())
	}
	v.endpoint.ForceStatus(0)

	state, err := os.ReadFile(filepath.Join(w.Dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(state), testToken) {
		t.Error("the provider-level token is in the state")
	}
	if !strings.Contains(string(state), fleet["sales"].token) {
		t.Error("a resource-level token is not in the state: update the docs that say it is")
	}
	screen.WriteString(w.Destroy(ctx).Output())

	logs, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(logs), "Viber API call") || !strings.Contains(screen.String(), "invalidUrl (1)") {
		t.Fatal("the log or the screen lacks the provider's calls or the error: the checks below would prove nothing")
	}
	secrets := map[string]string{"provider-level": testToken}
	for name, b := range fleet {
		secrets[name] = b.token
	}
	for what, token := range secrets {
		if strings.Contains(string(logs), token) {
			t.Errorf("the %s token appears in the trace log", what)
		}
		if strings.Contains(screen.String(), token) {
			t.Errorf("the %s token appears in the CLI's output", what)
		}
	}
}

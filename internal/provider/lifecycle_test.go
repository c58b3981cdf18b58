package provider_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/viberops/terraform-provider-viber/internal/clitest"
)

// The lifecycle examples of the guide Operating a fleet, each applied with the real
// CLI to the webhook it starts from, and the failure-timing table's rows
// that no other test walks phase by phase.

// startLifecycle applies lifecycle-start.tf, as orders.tf, and returns
// the URL the sales bot then holds, with the request log emptied.
func startLifecycle(ctx context.Context, t *testing.T) (*testViber, *clitest.Workdir, string) {
	t.Helper()
	v, w := applyToFleet(ctx, t, "lifecycle-start.tf", "orders.tf")
	orders := v.endpoint.URL() + "/viber/orders"
	holdsURL(t, v, "sales", orders)
	v.emu.ResetRequests()
	return v, w, orders
}

// applyToFleet applies the named viber_webhook example, as the file name,
// for the fleet on a local Viber (tokens in VIBER_BOTS, as the page
// suggests).
func applyToFleet(ctx context.Context, t *testing.T, example, name string) (*testViber, *clitest.Workdir) {
	t.Helper()
	v, w := newFleet(t, viberBots(nil))
	w.Setenv("VIBER_API_URL=" + v.apiURL)
	w.Write("") // the terraform block, for dev_overrides
	copyExample(t, v, w, "resources/viber_webhook/"+example, name)
	w.Apply(ctx)
	return v, w
}

// useLifecycleExample replaces orders.tf with the named lifecycle example.
func useLifecycleExample(t *testing.T, v *testViber, w *clitest.Workdir, name string) {
	t.Helper()
	copyExample(t, v, w, "resources/viber_webhook/"+name, "orders.tf")
}

// Changing bot to another bot's key replaces the webhook: the old bot's
// is removed first, then the new bot's is set.
func TestAccLifecycle_moveToAnotherBot(t *testing.T) {
	ctx := context.Background()
	v, w, orders := startLifecycle(ctx, t)
	useLifecycleExample(t, v, w, "lifecycle-move-to-another-bot.tf")
	w.MustRun(ctx, "plan", "-out=tfplan")
	if a := plannedActions(ctx, t, w, "tfplan")["viber_webhook.orders"]; !a.DestroyBeforeCreate() {
		t.Fatalf("the plan's actions are %v, want a replacement that removes first", a)
	}
	w.MustRun(ctx, "apply", "tfplan")
	holdsURL(t, v, "sales", "")
	holdsURL(t, v, "support", orders)
	if order := setWebhookOrder(v); order != "pa:100 pa:200" {
		t.Errorf("set_webhook went to %v, want sales' removal (pa:100), then support's webhook (pa:200)", order)
	}
	requireEmptyPlan(ctx, t, w)
}

// setWebhookOrder is the account IDs of the set_webhook calls, in order.
func setWebhookOrder(v *testViber) string {
	var order []string
	for _, r := range v.emu.RequestsTo("set_webhook") {
		order = append(order, r.AccountID)
	}
	return strings.Join(order, " ")
}

// With create_before_destroy, as the fleet guide recommends for moves, the
// new bot's webhook is set first: when Viber refuses it, the old bot keeps
// its webhook; once the endpoint answers, the new webhook is set and only
// then is the old one removed.
func TestAccLifecycle_moveCreateBeforeDestroy(t *testing.T) {
	ctx := context.Background()
	v, w, orders := startLifecycle(ctx, t)
	w.WriteFile("provider.tf", "provider \"viber\" {\n  retry {\n    max_attempts = 1\n  }\n}\n")
	useLifecycleExample(t, v, w, "lifecycle-move-create-before-destroy.tf")
	v.endpoint.ForceStatus(http.StatusServiceUnavailable)
	if res := w.Run(ctx, "apply", "-auto-approve"); res.ExitCode == 0 {
		t.Fatalf("the move applied while the new bot's endpoint was down:\n%s", res.Output())
	}
	holdsURL(t, v, "sales", orders)
	holdsURL(t, v, "support", "")

	v.endpoint.ForceStatus(0)
	v.emu.ResetRequests()
	w.Apply(ctx)
	holdsURL(t, v, "sales", "")
	holdsURL(t, v, "support", orders)
	if order := setWebhookOrder(v); order != "pa:200 pa:100" {
		t.Errorf("set_webhook went to %v, want support's webhook (pa:200), then sales' removal (pa:100)", order)
	}
	requireEmptyPlan(ctx, t, w)
}

// A moved block renames the resource: nothing is sent to Viber, and the
// plan is empty afterwards.
func TestAccLifecycle_renameWithMoved(t *testing.T) {
	ctx := context.Background()
	v, w, orders := startLifecycle(ctx, t)
	useLifecycleExample(t, v, w, "lifecycle-rename.tf")
	w.MustRun(ctx, "plan", "-out=tfplan")
	for address, a := range plannedActions(ctx, t, w, "tfplan") {
		if !a.NoOp() {
			t.Errorf("the plan has %v for %s, want no change", a, address)
		}
	}
	w.MustRun(ctx, "apply", "tfplan")
	requireNoWrites(t, v)
	if id, url := stateURL(ctx, t, w, "viber_webhook.sales_orders"); id != "pa:100" || url != orders {
		t.Errorf("viber_webhook.sales_orders records %q at %q, want pa:100 at %q", id, url, orders)
	}
	holdsURL(t, v, "sales", orders)
	requireEmptyPlan(ctx, t, w)
}

// A removed block with destroy = false forgets the webhook and leaves it
// at Viber (Terraform 1.7+; OpenTofu 1.12 has it too).
func TestAccLifecycle_stopManagingWithRemoved(t *testing.T) {
	ctx := context.Background()
	skipBelow(t, clitest.CLIFromEnv(t), "1.7.0")
	v, w, orders := startLifecycle(ctx, t)
	useLifecycleExample(t, v, w, "lifecycle-stop-managing.tf")
	w.Apply(ctx)
	requireForgotten(ctx, t, v, w, orders)
}

// terraform state rm, then deleting the block, forgets the webhook on
// every CLI and leaves it at Viber.
func TestAccLifecycle_stopManagingWithStateRm(t *testing.T) {
	ctx := context.Background()
	address := stateRmAddress(t, "lifecycle-stop-managing.sh")
	v, w, orders := startLifecycle(ctx, t)
	w.MustRun(ctx, "state", "rm", address)
	w.WriteFile("orders.tf", "") // the resource block deleted, as the script says
	requireForgotten(ctx, t, v, w, orders)
}

// stateRmAddress is the address the terraform state rm command of the
// named lifecycle script removes, unquoted as the shell passes it.
func stateRmAddress(t *testing.T, name string) string {
	t.Helper()
	script, err := os.ReadFile(filepath.Join(examplesDir, "resources/viber_webhook", name))
	if err != nil {
		t.Fatal(err)
	}
	cmd := regexp.MustCompile(`(?m)^terraform state rm (?:'([^']+)'|(\S+))$`).FindStringSubmatch(string(script))
	if cmd == nil {
		t.Fatalf("%s has no terraform state rm command:\n%s", name, script)
	}
	return cmd[1] + cmd[2]
}

// startFleetLifecycle applies the page's fleet example (resource-many-bots.tf,
// as bots.tf) for the sales and support bots, and returns a function that
// drops the sales key from its for_each, with the request log emptied.
func startFleetLifecycle(ctx context.Context, t *testing.T) (v *testViber, w *clitest.Workdir, dropSales func()) {
	t.Helper()
	v, w = applyToFleet(ctx, t, "resource-many-bots.tf", "bots.tf")
	holdsURL(t, v, "sales", v.endpoint.URL()+"/viber/sales")
	holdsURL(t, v, "support", v.endpoint.URL()+"/viber/support")
	v.emu.ResetRequests()
	return v, w, func() {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(w.Dir, "bots.tf"))
		if err != nil {
			t.Fatal(err)
		}
		const keys = `toset(["sales", "support"])`
		if !strings.Contains(string(b), keys) {
			t.Fatalf("resource-many-bots.tf has no for_each = %s:\n%s", keys, b)
		}
		w.WriteFile("bots.tf", strings.Replace(string(b), keys, `toset(["support"])`, 1))
	}
}

// One bot of a for_each fleet: terraform state rm on its instance, then
// dropping its key, forgets its webhook on every CLI and leaves it at
// Viber. A removed block cannot name one instance (Terraform 1.7+ and
// OpenTofu refuse it before asking Viber anything).
func TestAccLifecycle_stopManagingOneBotOfAFleet(t *testing.T) {
	ctx := context.Background()
	address := stateRmAddress(t, "lifecycle-stop-managing-one-bot.sh")
	if address != bot("sales") {
		t.Fatalf("lifecycle-stop-managing-one-bot.sh removes %s, want %s", address, bot("sales"))
	}
	t.Run("state rm", func(t *testing.T) {
		v, w, dropSales := startFleetLifecycle(ctx, t)
		w.MustRun(ctx, "state", "rm", address)
		dropSales()
		w.Apply(ctx)
		requireNoWrites(t, v)
		if id, _ := stateURL(ctx, t, w, address); id != "" {
			t.Errorf("the state still records %s for %s", id, address)
		}
		holdsURL(t, v, "sales", v.endpoint.URL()+"/viber/sales")
		holdsURL(t, v, "support", v.endpoint.URL()+"/viber/support")
		requireEmptyPlan(ctx, t, w)
	})
	t.Run("removed block", func(t *testing.T) {
		skipBelow(t, clitest.CLIFromEnv(t), "1.7.0")
		v, w, dropSales := startFleetLifecycle(ctx, t)
		dropSales()
		w.WriteFile("removed.tf", fmt.Sprintf("removed {\n  from = %s\n\n  lifecycle {\n    destroy = false\n  }\n}\n", address))
		if res := w.Run(ctx, "plan"); res.ExitCode == 0 {
			t.Errorf("a removed block naming %s planned, want it refused:\n%s", address, res.Output())
		}
		if n := len(v.emu.Requests()); n != 0 {
			t.Errorf("the refused plan made %d calls to Viber, want none", n)
		}
	})
}

// Dropping one bot's key from a for_each fleet removes that bot's webhook,
// with one set_webhook, while its token stays in bots. Without the token,
// the apply fails and sends nothing, and it succeeds once the token is back.
func TestAccLifecycle_removeOneBotOfAFleet(t *testing.T) {
	ctx := context.Background()
	t.Run("token kept", func(t *testing.T) {
		v, w, dropSales := startFleetLifecycle(ctx, t)
		dropSales()
		w.Apply(ctx)
		requireRemovedSalesOnly(t, v)
		requireEmptyPlan(ctx, t, w)
	})
	t.Run("token dropped too", func(t *testing.T) {
		v, w, dropSales := startFleetLifecycle(ctx, t)
		dropSales()
		w.Setenv(`VIBER_BOTS={"support":"` + fleet["support"].token + `"}`)
		requireOutcome(t, "the apply", w.Run(ctx, "apply", "-auto-approve"), "", "Cannot remove the webhook: no working token for its bot")
		requireNoWrites(t, v)
		holdsURL(t, v, "sales", v.endpoint.URL()+"/viber/sales")
		w.Setenv(viberBots(nil))
		v.emu.ResetRequests()
		w.Apply(ctx)
		requireRemovedSalesOnly(t, v)
	})
}

// requireRemovedSalesOnly fails t unless exactly one set_webhook was made,
// to the sales bot, which then holds no webhook while support keeps its own.
func requireRemovedSalesOnly(t *testing.T, v *testViber) {
	t.Helper()
	if calls := callsBy(v); calls["set_webhook"] != 1 || calls["set_webhook pa:100"] != 1 {
		t.Errorf("the apply made %v, want one set_webhook, to sales (pa:100)", calls)
	}
	holdsURL(t, v, "sales", "")
	holdsURL(t, v, "support", v.endpoint.URL()+"/viber/support")
}

// requireForgotten checks that no resource is left in state, that the
// sales bot still holds orders, and that nothing was sent to change it.
func requireForgotten(ctx context.Context, t *testing.T, v *testViber, w *clitest.Workdir, orders string) {
	t.Helper()
	if st := w.State(ctx); st.Values != nil && st.Values.RootModule != nil && len(st.Values.RootModule.Resources) != 0 {
		t.Errorf("the state still holds %d resources, want none", len(st.Values.RootModule.Resources))
	}
	requireNoWrites(t, v)
	holdsURL(t, v, "sales", orders)
	requireEmptyPlan(ctx, t, w)
	holdsURL(t, v, "sales", orders)
}

// Deleting the resource block removes the webhook at Viber.
func TestAccLifecycle_remove(t *testing.T) {
	ctx := context.Background()
	v, w, _ := startLifecycle(ctx, t)
	w.WriteFile("orders.tf", "")
	if res := w.Apply(ctx); !strings.Contains(res.Stdout, "0 added, 0 changed, 1 destroyed") {
		t.Errorf("deleting the block did not destroy the webhook:\n%s", res.Stdout)
	}
	holdsURL(t, v, "sales", "")
	if calls := callsBy(v); calls["set_webhook pa:100"] != 1 || calls["set_webhook"] != 1 {
		t.Errorf("the destroy made %v, want one set_webhook, to sales", calls)
	}
	requireEmptyPlan(ctx, t, w)
}

// When each failure shows up, as the resource page's table says. validate
// never calls Viber, and a create's plan asks Viber nothing.
func TestAccLifecycle_whenFailuresShowUp(t *testing.T) {
	ctx := context.Background()
	const wrong = "badbadbadbadbadb-adbadbadbadbadba-dbadbadbadbadbad"
	retried := `(?s)Tried \d+ times over \d+s.*503 Service`
	for _, c := range []struct {
		name     string
		existing bool   // the webhook is applied first, with the right token
		own      bool   // the token is the resource's auth_token (var.token), not bots' "sales"
		env      string // what goes wrong: the environment of the later runs
		down     bool   // the endpoint answers 503
		// What each phase reports, as patterns: a warning it shows or an
		// error it fails with; neither means it passes with no warning.
		refreshWarn, refreshErr, planWarn, planErr, applyErr string
	}{
		{name: "wrong token, new bot", env: viberBots(map[string]string{"sales": wrong}),
			applyErr: `invalidAuthToken \(2\)`},
		{name: "wrong token, existing bot", existing: true, env: viberBots(map[string]string{"sales": wrong}),
			refreshWarn: "Cannot refresh the webhook with its token", planErr: `Error: Viber refused get_account_info: invalidAuthToken \(2\)`},
		{name: "own auth_token changed to a wrong one", existing: true, own: true, env: "TF_VAR_token=" + wrong,
			planWarn: `Warning: Viber refused get_account_info: invalidAuthToken \(2\)`,
			applyErr: `(?s)invalidAuthToken \(2\).*Nothing was sent to change the webhook`},
		{name: "another bot's token under the same key", existing: true, env: viberBots(map[string]string{"sales": fleet["support"].token}),
			refreshWarn: `(?s)Cannot refresh the webhook with its token.*belongs to the bot "pa:200" now`,
			planErr:     `(?s)The auth token belongs to another bot.*"pa:100".*"pa:200"`},
		{name: "missing bots key, new bot", env: "VIBER_BOTS={}", planErr: `Unknown bot key`},
		{name: "missing bots key, existing bot", existing: true, env: "VIBER_BOTS={}",
			refreshWarn: "Cannot refresh the webhook with its token", planErr: `Unknown bot key`},
		{name: "endpoint down, new bot", env: viberBots(nil), down: true, applyErr: retried},
		{name: "endpoint down, existing bot", existing: true, env: viberBots(nil), down: true, applyErr: retried},
	} {
		t.Run(c.name, func(t *testing.T) {
			v, w := newFleet(t, viberBots(nil), "TF_VAR_token="+fleet["sales"].token)
			w.Setenv("VIBER_API_URL=" + v.apiURL)
			token := `bot = "sales"`
			if c.own {
				token = "auth_token = var.token"
			}
			config := func(path string) string {
				return fmt.Sprintf(`
variable "token" {
  type      = string
  sensitive = true
}

resource "viber_webhook" "orders" {
  %s
  url = "%s%s"

  timeouts {
    create = "2s"
    update = "2s"
  }
}
`, token, v.endpoint.URL(), path)
			}
			w.Write(config("/v1"))
			if c.existing {
				w.Apply(ctx)
				w.Write(config("/v2"))
			}
			w.Setenv(c.env)
			if c.down {
				v.endpoint.ForceStatus(503)
			}
			v.emu.ResetRequests()
			w.MustRun(ctx, "validate")
			if n := len(v.emu.Requests()); n != 0 {
				t.Errorf("validate made %d calls to Viber, want none", n)
			}
			if c.existing {
				requireOutcome(t, "the refresh", w.Run(ctx, "apply", "-refresh-only", "-auto-approve"), c.refreshWarn, c.refreshErr)
				if c.refreshErr != "" {
					return
				}
			}
			v.emu.ResetRequests()
			requireOutcome(t, "the plan", w.Run(ctx, "plan"), c.planWarn, c.planErr)
			if n := len(v.emu.Requests()); !c.existing && n != 0 {
				t.Errorf("a create's plan made %d calls to Viber, want none", n)
			}
			if c.planErr != "" {
				return
			}
			requireOutcome(t, "the apply", w.Run(ctx, "apply", "-auto-approve"), "", c.applyErr)
			if c.own {
				requireNoWrites(t, v)
			}
		})
	}
}

// requireOutcome fails t unless a run (what it was) exited as wantErr says
// (a pattern its output matches, or "" for success), showing a warning
// matching wantWarn when one is given.
func requireOutcome(t *testing.T, what string, res clitest.Result, wantWarn, wantErr string) {
	t.Helper()
	out := res.Output()
	switch {
	case wantErr == "" && res.ExitCode != 0:
		t.Fatalf("%s failed, want it to pass:\n%s", what, out)
	case wantErr != "" && (res.ExitCode == 0 || !regexp.MustCompile(wantErr).MatchString(out)):
		t.Fatalf("%s exited %d, want an error matching %s:\n%s", what, res.ExitCode, wantErr, out)
	case wantWarn != "" && !regexp.MustCompile(wantWarn).MatchString(out):
		t.Errorf("%s did not warn %s:\n%s", what, wantWarn, out)
	case wantWarn == "" && wantErr == "" && strings.Count(out, "Warning: ") > strings.Count(out, "Warning: Provider development overrides"):
		t.Errorf("%s warned, want it silent:\n%s", what, out)
	}
}

// Provider settings known only at apply: the plan checks nothing and asks
// Viber nothing, and the apply checks everything, a missing bots key
// included; a viber_account read while planning cannot be made.
func TestAccLifecycle_providerSettingsUnknownAtPlan(t *testing.T) {
	ctx := context.Background()
	v, w := newFleet(t, "TF_VAR_token="+fleet["sales"].token)
	provider := fmt.Sprintf(`
variable "token" {
  type      = string
  sensitive = true
}

# Stands for a secret created in the same apply.
resource "terraform_data" "secret" {
  input = var.token
}

provider "viber" {
  api_url = %q
  bots    = { sales = terraform_data.secret.output }
}
`, v.apiURL)
	w.Write(provider + fmt.Sprintf(`
resource "viber_webhook" "orders" {
  bot = "salse"
  url = "%s/orders"
}
`, v.endpoint.URL()))
	requireOutcome(t, "the plan", w.Run(ctx, "plan"), "", "")
	if n := len(v.emu.Requests()); n != 0 {
		t.Errorf("the plan made %d calls to Viber, want none", n)
	}
	requireOutcome(t, "the apply", w.Run(ctx, "apply", "-auto-approve"), "", `Unknown bot key`)

	w.Write(provider + `
data "viber_account" "sales" {
  bot = "sales"
}
`)
	w.MustRun(ctx, "destroy", "-auto-approve")
	requireOutcome(t, "the plan", w.Run(ctx, "plan"), "", `Provider configuration not known yet`)
}

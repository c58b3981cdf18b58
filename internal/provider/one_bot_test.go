package provider_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/viberops/terraform-provider-viber/internal/clitest"
)

// A bot has one webhook: two viber_webhook resources for one bot would set
// it in turn at every apply. The plan refuses them, naming the bot, never
// the token, before anything reaches Viber.

// oneBotTwice matches the provider's error for a second resource of bot
// (an account ID, or a bots key's description), saying nothing was sent.
func oneBotTwice(bot string) *regexp.Regexp {
	return regexp.MustCompile(`(?s)Two viber_webhook resources for one bot.*` + regexp.QuoteMeta(bot) +
		`.*Nothing\s+was\s+sent\s+to\s+Viber`)
}

// requireRefusedTwice checks that a plan or apply failed with the error of
// a second resource for bot, leaking no token and sending no set_webhook.
func requireRefusedTwice(t *testing.T, v *testViber, res clitest.Result, bot string) {
	t.Helper()
	out := res.Output()
	if res.ExitCode == 0 || !oneBotTwice(bot).MatchString(strings.Join(strings.Fields(out), " ")) {
		t.Fatalf("exited %d, want the error naming a second resource for the bot %s:\n%s", res.ExitCode, bot, out)
	}
	for _, token := range fleetTokens() {
		if strings.Contains(out, token) {
			t.Errorf("the output shows a token:\n%s", out)
		}
	}
	requireNoWrites(t, v)
}

// salesTwice is VIBER_BOTS for the fleet plus a key "sales_eu" holding
// sales' token: a slip in a bots map.
func salesTwice() string {
	bots := map[string]string{"sales_eu": fleet["sales"].token}
	for name, b := range fleet {
		bots[name] = b.token
	}
	b, _ := json.Marshal(bots)
	return "VIBER_BOTS=" + string(b)
}

// New resources: a copy-pasted block, two bots keys holding one token, one
// own auth_token twice, the provider's token twice. Neither plan nor apply
// sends anything; the plan asks Viber nothing at all.
func TestAccOneBot_newResourcesRefused(t *testing.T) {
	ctx := context.Background()
	sales := fleet["sales"].token
	for _, c := range []struct {
		name, resources, bot string
	}{
		{"copy-pasted bots entry", `
resource "viber_webhook" "orders" {
  bot = "sales"
  url = "%[1]s/orders"
}

resource "viber_webhook" "orders_copy" {
  bot = "sales"
  url = "%[1]s/orders-v2"
}`, `from the provider's bots entry "sales", the other from the provider's bots entry "sales"`},
		{"two bots keys with one token", `
resource "viber_webhook" "bots" {
  for_each = toset(["sales", "sales_eu"])
  bot      = each.key
  url      = "%[1]s/bots/${each.key}"
}`, `the same bot. This one takes it from the provider's bots entry "sales`},
		{"one auth_token twice", `
variable "token" {
  type      = string
  sensitive = true
}

resource "viber_webhook" "a" {
  auth_token = var.token
  url        = "%[1]s/a"
}

resource "viber_webhook" "b" {
  auth_token = var.token
  url        = "%[1]s/b"
}`, "from its own auth_token, the other from its own auth_token"},
		{"the provider's token twice", `
resource "viber_webhook" "a" {
  url = "%[1]s/a"
}

resource "viber_webhook" "b" {
  url = "%[1]s/b"
}`, "from the provider's auth_token or VIBER_AUTH_TOKEN, the other from the provider's auth_token or VIBER_AUTH_TOKEN"},
	} {
		t.Run(c.name, func(t *testing.T) {
			v, w := newFleet(t, salesTwice(), "TF_VAR_token="+sales,
				"VIBER_AUTH_TOKEN="+sales)
			w.Write(fmt.Sprintf("provider \"viber\" {\n  api_url = %q\n%s}\n", v.apiURL, fastRetry) +
				fmt.Sprintf(c.resources, v.endpoint.URL()))
			res := w.Run(ctx, "plan")
			requireRefusedTwice(t, v, res, c.bot)
			if n := len(v.emu.Requests()); n != 0 {
				t.Errorf("the plan made %d requests, want none", n)
			}
			res = w.Run(ctx, "apply", "-auto-approve")
			requireRefusedTwice(t, v, res, c.bot)
			holdsURL(t, v, "sales", "")
		})
	}
}

// A second resource added for a bot already managed: refused by the bot's
// account ID, and the first webhook stays as it was.
func TestAccOneBot_secondResourceForManagedBot(t *testing.T) {
	ctx := context.Background()
	v, w := newFleet(t, viberBots(nil))
	one := fmt.Sprintf(`
provider "viber" {
  api_url = %q
%s}

resource "viber_webhook" "orders" {
  bot = "sales"
  url = "%s/orders"
}
`, v.apiURL, fastRetry, v.endpoint.URL())
	w.Write(one)
	w.Apply(ctx)
	two := one + fmt.Sprintf(`
resource "viber_webhook" "refunds" {
  bot = "sales"
  url = "%s/refunds"
}
`, v.endpoint.URL())
	w.Write(two)
	v.emu.ResetRequests()
	res := w.Run(ctx, "plan")
	requireRefusedTwice(t, v, res, `the same bot "pa:100"`)
	res = w.Run(ctx, "apply", "-auto-approve")
	requireRefusedTwice(t, v, res, `the same bot "pa:100"`)
	holdsURL(t, v, "sales", v.endpoint.URL()+"/orders")

	w.Write(one)
	requireEmptyPlan(ctx, t, w)

	// As the error says, a destroy's refresh refuses it too; without the
	// refresh, the destroy goes ahead.
	w.Write(two)
	requireRefusedTwice(t, v, w.Run(ctx, "destroy", "-auto-approve"), `the same bot "pa:100"`)
	w.MustRun(ctx, "destroy", "-auto-approve", "-refresh=false")
	holdsURL(t, v, "sales", "")
}

// salesUnderKey manages the sales bot's webhook under one for_each key,
// its URL named by the key; lifecycle goes inside the resource block.
func salesUnderKey(v *testViber, key, lifecycle string) string {
	return fmt.Sprintf(`
provider "viber" {
  api_url = %q
%s}

resource "viber_webhook" "bots" {
  for_each = toset([%q])
  bot      = "sales"
  url      = "%s/bots/${each.key}"
%s}
`, v.apiURL, fastRetry, key, v.endpoint.URL(), lifecycle)
}

// Setting a bot's webhook and removing it from another object in one
// apply, as a replacement that creates before it destroys does, or a
// for_each key renamed without a moved block: the bot keeps the new
// webhook, whichever of the two runs first.
func TestAccOneBot_removalDoesNotUndoNewWebhook(t *testing.T) {
	ctx := context.Background()
	v, w := newFleet(t, viberBots(nil))
	config := func(key, lifecycle string) string { return salesUnderKey(v, key, lifecycle) }
	w.Write(config("orders", "  lifecycle {\n    create_before_destroy = true\n  }\n"))
	w.Apply(ctx)
	w.MustRun(ctx, "apply", "-auto-approve", `-replace=viber_webhook.bots["orders"]`)
	holdsURL(t, v, "sales", v.endpoint.URL()+"/bots/orders")
	requireEmptyPlan(ctx, t, w)

	for i, key := range []string{"refunds", "orders", "refunds"} {
		w.Write(config(key, ""))
		w.Apply(ctx)
		if hook, ok := v.emu.Webhook(fleet["sales"].token); !ok || hook.URL != v.endpoint.URL()+"/bots/"+key {
			t.Fatalf("rename %d to %q: sales holds %+v (set: %v)", i, key, hook, ok)
		}
		requireEmptyPlan(ctx, t, w)
	}

	// Two resources swapping bots: each bot ends with the other's webhook.
	swap := func(a, b string) string {
		return fmt.Sprintf(`
provider "viber" {
  api_url = %q
%s}

resource "viber_webhook" "a" {
  bot = %q
  url = "%[5]s/a"
}

resource "viber_webhook" "b" {
  bot = %[4]q
  url = "%[5]s/b"
}
`, v.apiURL, fastRetry, a, b, v.endpoint.URL())
	}
	w.Write(swap("support", "alerts"))
	w.Apply(ctx)
	for i, pair := range [][2]string{{"alerts", "support"}, {"support", "alerts"}, {"alerts", "support"}} {
		w.Write(swap(pair[0], pair[1]))
		w.Apply(ctx)
		holdsURL(t, v, pair[0], v.endpoint.URL()+"/a")
		holdsURL(t, v, pair[1], v.endpoint.URL()+"/b")
		if t.Failed() {
			t.Fatalf("swap %d", i)
		}
		requireEmptyPlan(ctx, t, w)
	}
}

// One bot imported into two resources (an import block copied for a new
// key): both refreshed objects are the bot pa:100, so the plan is refused
// and nothing is recorded.
func TestAccOneBot_importedTwice(t *testing.T) {
	ctx := context.Background()
	v, w := newFleet(t, salesTwice())
	v.giveWebhooks("sales")
	w.Write(fmt.Sprintf(`
provider "viber" {
  api_url = %q
%s}

import {
  to = viber_webhook.bots["sales"]
  id = "pa:100"
}

import {
  to = viber_webhook.bots["sales_eu"]
  id = "pa:100"
}

resource "viber_webhook" "bots" {
  for_each = toset(["sales", "sales_eu"])
  bot      = each.key
  url      = "%s/bots/sales"
}
`, v.apiURL, fastRetry, v.endpoint.URL()))
	requireRefusedTwice(t, v, w.Run(ctx, "apply", "-auto-approve"), `of the bot "pa:100" in state`)
	holdsURL(t, v, "sales", v.endpoint.URL()+"/bots/sales")
	if st := w.State(ctx); st.Values != nil && st.Values.RootModule != nil && len(st.Values.RootModule.Resources) != 0 {
		t.Errorf("state records %d resources, want none", len(st.Values.RootModule.Resources))
	}
}

// What is not two resources for one bot plans and applies: a replacement,
// which Terraform plans twice (the create half with the first planning's
// private state), whether forced or moving the webhook to a free bot,
// beside resources for the other bots.
func TestAccOneBot_replacementIsOneResource(t *testing.T) {
	ctx := context.Background()
	v, w := newFleet(t, viberBots(nil))
	config := func(salesBot string) string {
		return fmt.Sprintf(`
provider "viber" {
  api_url = %q
%s}

resource "viber_webhook" "alerts" {
  bot = "alerts"
  url = "%[3]s/alerts"
}

resource "viber_webhook" "orders" {
  bot = %[4]q
  url = "%[3]s/orders"
}
`, v.apiURL, fastRetry, v.endpoint.URL(), salesBot)
	}
	w.Write(config("sales"))
	w.Apply(ctx)
	w.MustRun(ctx, "apply", "-auto-approve", "-replace=viber_webhook.orders")
	holdsURL(t, v, "sales", v.endpoint.URL()+"/orders")

	w.Write(config("support"))
	w.MustRun(ctx, "plan", "-out=tfplan")
	if got := plannedActions(ctx, t, w, "tfplan")["viber_webhook.orders"]; !got.DestroyBeforeCreate() {
		t.Fatalf("actions %v, want the webhook replaced", got)
	}
	w.MustRun(ctx, "apply", "tfplan")
	holdsURL(t, v, "sales", "")
	holdsURL(t, v, "support", v.endpoint.URL()+"/orders")
	holdsURL(t, v, "alerts", v.endpoint.URL()+"/alerts")
	requireEmptyPlan(ctx, t, w)

	w.Write(strings.Replace(config("support"), "/orders", "/orders/v2", 1))
	w.Apply(ctx)
	requireNoPlanMark(t, w)
}

// requireNoPlanMark fails t when an object's private state in the state
// file keeps the mark a plan gives it: it belongs to one plan's process.
func requireNoPlanMark(t *testing.T, w *clitest.Workdir) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(w.Dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Resources []struct {
			Instances []struct {
				Private string `json:"private"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(raw, &st); err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, r := range st.Resources {
		for _, i := range r.Instances {
			private, err := base64.StdEncoding.DecodeString(i.Private)
			if err != nil {
				t.Fatal(err)
			}
			checked++
			if strings.Contains(string(private), "planned_in") {
				t.Errorf("private state %s keeps the plan's mark", private)
			}
		}
	}
	if checked == 0 {
		t.Error("no object in the state file")
	}
}

// A for_each key renamed without a moved block, applied with -target (or
// by an apply that failed to remove the old key): the old object is left
// in state beside the new one. The next plan would destroy it and with it
// the bot's webhook; it is refused, and the advised state rm converges.
func TestAccOneBot_leftoverObjectNotDestroyed(t *testing.T) {
	ctx := context.Background()
	v, w := newFleet(t, viberBots(nil))
	config := func(key string) string { return salesUnderKey(v, key, "") }
	w.Write(config("orders"))
	w.Apply(ctx)
	w.Write(config("refunds"))
	w.Apply(ctx, `-target=viber_webhook.bots["refunds"]`)

	v.emu.ResetRequests()
	for _, args := range [][]string{{"plan"}, {"apply", "-auto-approve"}} {
		res := w.Run(ctx, args...)
		out := strings.Join(strings.Fields(res.Output()), " ")
		if res.ExitCode == 0 || !strings.Contains(out, "Destroying one object would remove another resource's webhook") ||
			!strings.Contains(out, `destroys this viber_webhook object of the bot "pa:100"`) && !strings.Contains(out, `destroys another viber_webhook object of the bot "pa:100"`) {
			t.Fatalf("%v exited %d, want the leftover's destroy refused:\n%s", args, res.ExitCode, res.Output())
		}
	}
	requireNoWrites(t, v)
	holdsURL(t, v, "sales", v.endpoint.URL()+"/bots/refunds")

	w.MustRun(ctx, "state", "rm", `viber_webhook.bots["orders"]`)
	requireEmptyPlan(ctx, t, w)
	holdsURL(t, v, "sales", v.endpoint.URL()+"/bots/refunds")
}

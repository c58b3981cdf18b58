package provider_test

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/viberops/terraform-provider-viber/internal/clitest"
	"github.com/viberops/terraform-provider-viber/internal/emulator"
)

// The paths an outside review found where a write could reach the wrong
// bot, a change be recorded that Viber does not hold, or a correct
// configuration be refused: each walked with the real CLI, every command a
// process of its own, as in a pipeline.

// keyedConfig is one webhook named by its bots key, from VIBER_BOTS;
// extra goes inside the resource block.
func keyedConfig(v *testViber, key, path, extra string) string {
	return fmt.Sprintf(`
provider "viber" {
  api_url = %q
%s}

resource "viber_webhook" "hook" {
  bot = %q
  url = "%s/bots/sales%s"
%s}
`, v.apiURL, fastRetry, key, v.endpoint.URL(), path, extra)
}

// viberBotsPlus is VIBER_BOTS for the fleet with entries replaced or added.
func viberBotsPlus(entries map[string]string) string {
	m := map[string]string{}
	for name, b := range fleet {
		m[name] = b.token
	}
	for k, t := range entries {
		m[k] = t
	}
	b, _ := json.Marshal(m)
	return "VIBER_BOTS=" + string(b)
}

// requireOwnError fails t unless the command failed with want and without
// Terraform blaming the provider.
func requireOwnError(t *testing.T, res clitest.Result, want *regexp.Regexp) {
	t.Helper()
	out := res.Output()
	if res.ExitCode == 0 || !want.MatchString(unwrapped(out)) {
		t.Fatalf("exited %d, want the provider's error %q:\n%s", res.ExitCode, want, out)
	}
	requireNoBlame(t, res)
}

// newSales is the token Viber gives sales in place of its first one.
const newSales = "5a1e0000000000ff-5a1e0000000000ff-5a1e0000000000ff"

// salesTokenReplaced applies sales' webhook by its bots key (VIBER_BOTS);
// then Viber replaces sales' token, and only the provider's auth_token
// (VIBER_AUTH_TOKEN) holds the new one.
func salesTokenReplaced(ctx context.Context, t *testing.T) (*testViber, *clitest.Workdir) {
	v, w := newFleet(t, viberBots(nil))
	w.Write(keyedConfig(v, "sales", "", ""))
	w.Apply(ctx)
	v.emu.ReplaceToken(fleet["sales"].token, newSales)
	v.endpoint.AddToken(newSales)
	w.Setenv("VIBER_AUTH_TOKEN=" + newSales)
	v.emu.ResetRequests()
	return v, w
}

// unwrapped joins the lines Terraform wrapped a diagnostic's detail into,
// so a phrase matches wherever the wrap falls: the wrap moves with text
// that varies from run to run, such as a cause or a duration.
func unwrapped(out string) string {
	return strings.Join(strings.Fields(out), " ")
}

// requireNoBlame fails t if Terraform blamed the provider.
func requireNoBlame(t *testing.T, res clitest.Result) {
	t.Helper()
	for _, blame := range []string{"inconsistent final plan", "bug in the provider", "Provider produced"} {
		if strings.Contains(res.Output(), blame) {
			t.Errorf("Terraform reported %q:\n%s", blame, res.Output())
		}
	}
}

// A saved plan moves the webhook from sales' key to support's (a
// replacement); the apply job's VIBER_BOTS has support's key holding
// alerts' token. Neither the removal nor the new webhook happens, and the
// state still records sales. (With create_before_destroy, Terraform plans
// the new half again at apply as a plain create, with nothing of the plan:
// that case is documented as one the provider cannot catch.)
func TestAccProof_replacementAppliedWithAnotherBotsToken(t *testing.T) {
	for name, extra := range map[string]string{
		"destroy first": "",
	} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			v, w := newFleet(t, viberBots(nil))
			v.giveWebhooks("alerts")
			w.Write(keyedConfig(v, "sales", "", extra))
			w.Apply(ctx)
			w.Write(keyedConfig(v, "support", "", extra))
			w.MustRun(ctx, "plan", "-out=tfplan")
			if got := plannedActions(ctx, t, w, "tfplan")["viber_webhook.hook"]; !got.Replace() {
				t.Fatalf("plan actions %v, want a replacement", got)
			}

			w.Setenv(viberBots(map[string]string{"support": fleet["alerts"].token}))
			v.emu.ResetRequests()
			res := w.Run(ctx, "apply", "tfplan")
			requireOwnError(t, res, regexp.MustCompile(`(?s)(tokens changed since this replacement was planned|belongs to another bot.*other provider tokens).*"pa:100"`))
			requireNoWrites(t, v)
			holdsURL(t, v, "sales", v.endpoint.URL()+"/bots/sales")
			holdsURL(t, v, "alerts", v.endpoint.URL()+"/bots/alerts")
			holdsURL(t, v, "support", "")
			if id, _ := stateURL(ctx, t, w, "viber_webhook.hook"); id != "pa:100" {
				t.Errorf("state records %q, want sales (pa:100) still", id)
			}

			// With the plan's tokens, planning again applies the move.
			w.Setenv(viberBots(nil))
			w.Apply(ctx)
			holdsURL(t, v, "sales", "")
			holdsURL(t, v, "support", v.endpoint.URL()+"/bots/sales")
			requireEmptyPlan(ctx, t, w)
		})
	}
}

// A saved plan renames a bots key of the same bot (an update in place);
// the apply job's new key holds support's token: the provider's own error
// naming both bots, nothing sent, where Terraform reported an
// inconsistent final plan before.
func TestAccProof_renamedKeyAppliedWithAnotherBotsToken(t *testing.T) {
	ctx := context.Background()
	bots := func(salesNew string) string {
		return viberBotsPlus(map[string]string{"sales_new": salesNew})
	}
	v, w := newFleet(t, bots(fleet["sales"].token))
	w.Write(keyedConfig(v, "sales", "", ""))
	w.Apply(ctx)
	w.Write(keyedConfig(v, "sales_new", "", ""))
	w.MustRun(ctx, "plan", "-out=tfplan")
	if got := plannedActions(ctx, t, w, "tfplan")["viber_webhook.hook"]; !got.Update() {
		t.Fatalf("plan actions %v, want an update in place", got)
	}

	w.Setenv(bots(fleet["support"].token))
	v.emu.ResetRequests()
	requireOwnError(t, w.Run(ctx, "apply", "tfplan"), crossedBots("pa:100", "pa:200"))
	requireNoWrites(t, v)
	holdsURL(t, v, "sales", v.endpoint.URL()+"/bots/sales")

	w.Setenv(bots(fleet["sales"].token))
	w.MustRun(ctx, "apply", "tfplan")
	requireNoWrites(t, v)
	requireEmptyPlan(ctx, t, w)
}

// Key sales (one bot) renamed sales_old, its resource moved with a moved
// block, and sales reused for another bot's new resource in the same
// change: the plan does what the configuration says, an in-place rename
// and a new webhook.
func TestAccProof_renameAndReuseKey(t *testing.T) {
	ctx := context.Background()
	v, w := newFleet(t, viberBots(nil))
	w.Write(fmt.Sprintf(`
provider "viber" {
  api_url = %q
%s}

resource "viber_webhook" "sales" {
  bot = "sales"
  url = "%s/bots/sales"
}
`, v.apiURL, fastRetry, v.endpoint.URL()))
	w.Apply(ctx)

	w.Setenv(viberBotsPlus(map[string]string{"sales_old": fleet["sales"].token, "sales": fleet["alerts"].token}))
	w.Write(fmt.Sprintf(`
provider "viber" {
  api_url = %q
%s}

moved {
  from = viber_webhook.sales
  to   = viber_webhook.sales_old
}

resource "viber_webhook" "sales_old" {
  bot = "sales_old"
  url = "%s/bots/sales"
}

resource "viber_webhook" "new_sales" {
  bot = "sales"
  url = "%s/bots/alerts"
}
`, v.apiURL, fastRetry, v.endpoint.URL(), v.endpoint.URL()))
	v.emu.ResetRequests()
	res := w.Apply(ctx)
	if !strings.Contains(res.Stdout, "1 added, 1 changed, 0 destroyed") {
		t.Errorf("apply did not rename one and create the other:\n%s", res.Output())
	}
	holdsURL(t, v, "sales", v.endpoint.URL()+"/bots/sales")
	holdsURL(t, v, "alerts", v.endpoint.URL()+"/bots/alerts")
	for _, r := range v.emu.RequestsTo("set_webhook") {
		if r.AccountID != "pa:300" {
			t.Errorf("set_webhook was sent to %s; only the new bot (pa:300) needs one", r.AccountID)
		}
	}
	requireEmptyPlan(ctx, t, w)
}

// The bots entry still holds the bot's old token, which Viber replaced,
// and the provider's auth_token its new one: a plain destroy reads and
// removes the webhook with the new one.
func TestAccProof_destroyWithReplacedTokenInBots(t *testing.T) {
	ctx := context.Background()
	v, w := salesTokenReplaced(ctx, t)
	w.MustRun(ctx, "destroy", "-auto-approve")
	if _, ok := v.emu.Webhook(newSales); ok {
		t.Error("sales still holds a webhook after destroy")
	}
	for _, r := range v.emu.RequestsTo("set_webhook") {
		if r.AccountID != "pa:100" {
			t.Errorf("a removal was sent to %s, want only pa:100's", r.AccountID)
		}
	}
}

// A gateway answers 502 to every set_webhook until the timeout, and only
// send_name changed: Viber's read-back cannot show it, so the apply fails
// saying so, the state keeps send_name = false, and the next plan still
// shows the change.
func TestAccProof_lostAnswerLeavesSendFlagsUnproven(t *testing.T) {
	ctx := context.Background()
	v, w := newFleet(t, viberBots(nil))
	w.Write(keyedConfig(v, "sales", "", ""))
	w.Apply(ctx)

	w.Write(keyedConfig(v, "sales", "", "  send_name = true\n  timeouts {\n    update = \"2s\"\n  }\n"))
	v.emu.SetFaults(emulator.Faults{Methods: []string{"set_webhook"}, HTTPErrorEvery: 1})
	res := w.Run(ctx, "apply", "-auto-approve")
	requireOwnError(t, res, regexp.MustCompile(`(?s)send_name and send_photo unproven.*keeps their previous values`))
	v.emu.SetFaults(emulator.Faults{})
	if attrs := clitest.Resource(w.State(ctx), "viber_webhook.hook"); attrs["send_name"] != false {
		t.Errorf("state records send_name = %v, want false (unproven)", attrs["send_name"])
	}
	if empty, _ := w.PlanIsEmpty(ctx); empty {
		t.Error("the next plan shows no change; send_name = true never reached Viber for sure")
	}
	v.emu.ResetRequests()
	w.Apply(ctx)
	if reqs := v.emu.RequestsTo("set_webhook"); len(reqs) != 1 || !strings.Contains(string(reqs[0].Body), `"send_name":true`) {
		t.Errorf("the next apply sent %d set_webhook calls, want one with send_name true", len(reqs))
	}
	requireEmptyPlan(ctx, t, w)
}

// A token read with file() keeps the file's trailing newline: it is
// trimmed, as Viber reads it. One with a line break inside fails at once,
// saying so, without retries or a network error.
func TestAccProof_tokenFromFile(t *testing.T) {
	ctx := context.Background()
	v, w := newFleet(t)
	config := fmt.Sprintf(`
provider "viber" {
  api_url    = %q
  auth_token = file("${path.module}/token")
%s}

resource "viber_webhook" "hook" {
  url = "%s/bots/sales"
  timeouts {
    create = "30s"
  }
}
`, v.apiURL, fastRetry, v.endpoint.URL())
	w.Write(config)
	w.WriteFile("token", fleet["sales"].token+"\n")
	w.Apply(ctx)
	holdsURL(t, v, "sales", v.endpoint.URL()+"/bots/sales")
	requireEmptyPlan(ctx, t, w)
	w.Destroy(ctx)

	w.WriteFile("token", fleet["sales"].token[:16]+"\n"+fleet["sales"].token[17:]+"\n")
	v.emu.ResetRequests()
	res := w.Run(ctx, "apply", "-auto-approve")
	requireOwnError(t, res, regexp.MustCompile(`(?s)Unusable auth token.*nothing\s+was\s+sent\s+to\s+Viber`))
	for _, wrong := range []string{"Cannot reach", "may or may not", "Tried "} {
		if strings.Contains(res.Output(), wrong) {
			t.Errorf("the output says %q for a token that never left the machine:\n%s", wrong, res.Output())
		}
	}
	if n := len(v.emu.Requests()); n != 0 {
		t.Errorf("%d requests reached Viber, want none", n)
	}
}

// Found by review: an own auth_token that is only whitespace (an empty
// token file) never falls back to the provider's token, another bot's.
func TestAccProof_blankOwnTokenRefused(t *testing.T) {
	ctx := context.Background()
	v, w := newFleet(t, "VIBER_AUTH_TOKEN="+fleet["alerts"].token)
	v.giveWebhooks("alerts")
	w.Write(fmt.Sprintf(`
provider "viber" {
  api_url = %q
%s}

resource "viber_webhook" "support" {
  auth_token = file("${path.module}/support.token")
  url        = "%s/bots/support"
}
`, v.apiURL, fastRetry, v.endpoint.URL()))
	w.WriteFile("support.token", "\n")
	v.emu.ResetRequests()
	requireOwnError(t, w.Run(ctx, "apply", "-auto-approve"), regexp.MustCompile(`(?s)Blank auth token.*only\s+whitespace`))
	if n := len(v.emu.Requests()); n != 0 {
		t.Errorf("%d requests reached Viber, want none", n)
	}
	holdsURL(t, v, "alerts", v.endpoint.URL()+"/bots/alerts")
}

// Found by review: a replacement refused at apply leaves nothing that
// refuses a later destroy once the tokens change again.
func TestAccProof_refusedReplacementLeavesNoMark(t *testing.T) {
	ctx := context.Background()
	v, w := newFleet(t, viberBots(nil))
	w.Write(keyedConfig(v, "sales", "", ""))
	w.Apply(ctx)
	w.Write(keyedConfig(v, "support", "", ""))
	w.MustRun(ctx, "plan", "-out=tfplan")
	w.Setenv(viberBots(map[string]string{"support": fleet["alerts"].token}))
	requireOwnError(t, w.Run(ctx, "apply", "tfplan"), regexp.MustCompile(`tokens changed since this replacement was planned`))

	w.Setenv(viberBots(nil))
	w.Write(keyedConfig(v, "sales", "", ""))
	requireEmptyPlan(ctx, t, w)
	const extra = "e0e0e0e0e0e0e0e0-e0e0e0e0e0e0e0e0-e0e0e0e0e0e0e0e0"
	w.Setenv(viberBotsPlus(map[string]string{"extra": extra}))
	for _, refresh := range []string{"-refresh=false", "-refresh=true"} {
		if res := w.Run(ctx, "plan", "-destroy", refresh, "-out=destroy.tfplan"); res.ExitCode != 0 {
			t.Fatalf("destroy plan %s failed:\n%s", refresh, res.Output())
		}
	}
	w.MustRun(ctx, "apply", "destroy.tfplan")
	holdsURL(t, v, "sales", "")
}

// Found by review: a create whose answer is lost, of a bot that already
// held the same url, cannot prove send_name = true: the apply fails saying
// so and records nothing, and the next apply sends it.
func TestAccProof_createLostAnswerLeavesSendFlagsUnproven(t *testing.T) {
	ctx := context.Background()
	v, w := newFleet(t, viberBots(nil))
	v.giveWebhooks("sales")
	w.Write(keyedConfig(v, "sales", "", "  send_name = true\n  timeouts {\n    create = \"2s\"\n  }\n"))
	v.emu.SetFaults(emulator.Faults{Methods: []string{"set_webhook"}, HTTPErrorEvery: 1})
	requireOwnError(t, w.Run(ctx, "apply", "-auto-approve"), regexp.MustCompile(`(?s)send_name and send_photo unproven.*Nothing is recorded`))
	v.emu.SetFaults(emulator.Faults{})
	if attrs := clitest.Resource(w.State(ctx), "viber_webhook.hook"); attrs != nil {
		t.Errorf("state records %v, want nothing", attrs)
	}
	w.Apply(ctx)
	if hook, _ := v.emu.Webhook(fleet["sales"].token); !hook.SendName {
		t.Errorf("sales holds %+v, want send_name", hook)
	}
	requireEmptyPlan(ctx, t, w)
}

// Found by review: swapped bots keys fail the plan, as the tokens guide
// says, though the refresh can read each bot with the other key's token.
func TestAccProof_swappedKeysFailThePlan(t *testing.T) {
	ctx := context.Background()
	v, w := newFleet(t, viberBots(nil))
	w.Write(viberBotsConfig(v, ""))
	w.Apply(ctx)
	w.Setenv(viberBots(map[string]string{"sales": fleet["support"].token, "support": fleet["sales"].token}))
	v.emu.ResetRequests()
	res := w.Run(ctx, "plan")
	requireOwnError(t, res, crossedBots("pa:100", "pa:200"))
	requireOwnError(t, res, crossedBots("pa:200", "pa:100"))
	requireNoWrites(t, v)
}

// Two new blocks alike in token source and url set the same webhook: the
// plan cannot tell them from one block planned again, and the next plan
// finds them by the account ID both hold, as the resource page says.
func TestAccProof_identicalBlocksFoundByTheNextPlan(t *testing.T) {
	ctx := context.Background()
	v, w := newFleet(t, viberBots(nil))
	w.Write(fmt.Sprintf(`
provider "viber" {
  api_url = %q
%s}

resource "viber_webhook" "orders" {
  bot = "sales"
  url = "%[3]s/orders"
}

resource "viber_webhook" "orders_copy" {
  bot = "sales"
  url = "%[3]s/orders"
}
`, v.apiURL, fastRetry, v.endpoint.URL()))
	w.Apply(ctx)
	holdsURL(t, v, "sales", v.endpoint.URL()+"/orders")
	v.emu.ResetRequests()
	requireOwnError(t, w.Run(ctx, "plan"), regexp.MustCompile(`(?s)Two viber_webhook resources for one bot.*"pa:100"`))
	requireNoWrites(t, v)
}

// The provider's bots map known only at apply (read from a secret changed
// in the same apply): a plan that names another key for the webhook cannot
// look either key up, so it plans a replacement, which the apply's
// planning keeps. Before, it planned an update that the apply's planning
// turned into a replacement: Terraform's "inconsistent final plan".
func TestAccProof_newKeyOfBotsKnownOnlyAtApply(t *testing.T) {
	ctx := context.Background()
	v, w := newFleet(t)
	t.Setenv("VIBER_BOTS", "")
	config := func(key string) string {
		return fmt.Sprintf(`
variable "bots" {
  type      = map(string)
  sensitive = true
}

# Stands for a secret updated in the same apply: its value is known only then.
resource "terraform_data" "bots" {
  input = var.bots
}

provider "viber" {
  api_url = %q
  bots    = terraform_data.bots.output
}

resource "viber_webhook" "hook" {
  bot = %q
  url = "%s/bots/sales"
}
`, v.apiURL, key, v.endpoint.URL())
	}
	bots := func(names ...string) string {
		m := map[string]string{}
		for _, n := range names {
			m[n] = fleet[n].token
		}
		b, _ := json.Marshal(m)
		return "TF_VAR_bots=" + string(b)
	}
	w.Write(config("sales"))
	w.Setenv(bots("sales"))
	w.Apply(ctx)
	holdsURL(t, v, "sales", v.endpoint.URL()+"/bots/sales")

	w.Write(config("support"))
	w.Setenv(bots("sales", "support"))
	res := w.Run(ctx, "apply", "-auto-approve")
	// The secret changes too: 1 changed.
	if res.ExitCode != 0 || !strings.Contains(res.Stdout, "1 added, 1 changed, 1 destroyed") {
		t.Fatalf("apply exited %d, want the webhook replaced:\n%s", res.ExitCode, res.Output())
	}
	holdsURL(t, v, "sales", "")
	holdsURL(t, v, "support", v.endpoint.URL()+"/bots/sales")
	requireEmptyPlan(ctx, t, w)
	w.Destroy(ctx)
}

// A new bots key whose look-up fails at plan time (one attempt, a gateway
// 502) cannot be told apart from another bot's: the plan replaces the
// webhook, as for a token it cannot see, so the apply's planning never
// turns an update into a replacement ("inconsistent final plan"). Both in
// one apply and from a saved plan. Found by a review of the token proof.
func TestAccProof_failedLookupOfNewKeyReplaces(t *testing.T) {
	for _, saved := range []bool{false, true} {
		t.Run(fmt.Sprintf("saved plan %t", saved), func(t *testing.T) {
			ctx := context.Background()
			v, w := newFleet(t, viberBots(nil))
			config := func(key string) string {
				return fmt.Sprintf("provider \"viber\" {\n  api_url = %q\n  retry {\n    max_attempts = 1\n  }\n}\n"+
					"resource \"viber_webhook\" \"hook\" {\n  bot = %q\n  url = \"%s/bots/sales\"\n}\n", v.apiURL, key, v.endpoint.URL())
			}
			w.Write(config("sales"))
			w.Apply(ctx)
			w.Write(config("support"))
			var res clitest.Result
			if saved {
				v.emu.SetFaults(emulator.Faults{Methods: []string{"get_account_info"}, HTTPErrorEvery: 1})
				w.MustRun(ctx, "plan", "-refresh=false", "-out=tfplan")
				v.emu.SetFaults(emulator.Faults{})
				res = w.Run(ctx, "apply", "tfplan")
			} else {
				// The refresh's look-up passes, the new key's fails, the apply's passes.
				v.emu.SetFaults(emulator.Faults{Methods: []string{"get_account_info"}, HTTPErrorEvery: 2})
				res = w.Run(ctx, "apply", "-auto-approve")
			}
			requireNoBlame(t, res)
			if res.ExitCode != 0 || !strings.Contains(res.Stdout, "1 added, 0 changed, 1 destroyed") {
				t.Fatalf("apply exited %d, want the webhook replaced:\n%s", res.ExitCode, res.Output())
			}
			v.emu.SetFaults(emulator.Faults{})
			holdsURL(t, v, "sales", "")
			holdsURL(t, v, "support", v.endpoint.URL()+"/bots/sales")
		})
	}
}

// An import no configured token could read (a stale bots entry) records
// the bot with no url; when that bot's webhook is then removed outside
// Terraform, a later refresh with the right tokens treats it as any
// webhook gone, rather than as the import of a bot with no webhook, whose
// error ("No webhook to import") would fail every plan. Found by the walk
// (seed 13 under Terraform 1.16.4).
func TestAccProof_unreadImportWhoseWebhookIsGone(t *testing.T) {
	ctx := context.Background()
	v, w := newFleet(t)
	v.giveWebhooks("sales")
	w.Write(keyedConfig(v, "sales", "", ""))
	w.Setenv(viberBotsPlus(map[string]string{"sales": "0000000000000000-0000000000000000-0000000000000000"}))
	if res := w.MustRun(ctx, "import", "viber_webhook.hook", fleet["sales"].id); !strings.Contains(res.Output(), "Imported webhook not read yet") {
		t.Fatalf("the import read the webhook with a stale token:\n%s", res.Output())
	}
	v.emu.SetWebhook(fleet["sales"].token, nil)

	w.Setenv(viberBotsPlus(nil))
	res := w.Run(ctx, "plan", "-detailed-exitcode")
	if res.ExitCode != 2 || !strings.Contains(res.Output(), "The bot's webhook is gone") || !strings.Contains(res.Stdout, "1 to add") {
		t.Fatalf("plan exited %d, want the webhook planned again after a warning:\n%s", res.ExitCode, res.Output())
	}
	w.Apply(ctx)
	holdsURL(t, v, "sales", v.endpoint.URL()+"/bots/sales")
	requireEmptyPlan(ctx, t, w)
}

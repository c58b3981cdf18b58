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
	"github.com/viberops/terraform-provider-viber/internal/emulator"
)

// The guide "Adopting a fleet": bots whose webhooks were set outside
// Terraform come under one for_each resource by import, which reads each
// bot and never calls set_webhook. Every file the guide shows is applied
// here as it is, with only the endpoint and the account IDs replaced by
// the local fleet's.

const adoptDir = "guides/adopting-a-fleet"

// adoptIDs replaces the account IDs the guide's files use with the fleet's.
var adoptIDs = strings.NewReplacer(
	"pa:75346594275468546701", fleet["alerts"].id,
	"pa:75346594275468546702", fleet["sales"].id,
	"pa:75346594275468546703", fleet["support"].id,
)

// adoptWorkdir is a working directory holding the named files of the
// guide, for the fleet's bots on a local Viber, each bot already holding
// the webhook the guide's configuration describes (set outside Terraform).
func adoptWorkdir(t *testing.T, files ...string) (*testViber, *clitest.Workdir) {
	t.Helper()
	v, w := newFleet(t, botTokens(nil))
	w.Setenv("VIBER_API_URL=" + v.apiURL)
	w.WriteFile("terraform.tf", clitest.Header)
	for _, name := range fleetNames {
		v.emu.SetWebhook(fleet[name].token, &emulator.Webhook{URL: adoptURL(v, name)})
	}
	addAdoptFiles(t, v, w, files...)
	v.emu.ResetRequests()
	return v, w
}

// addAdoptFiles copies the guide's files into w; "send-user-details.tf"
// goes in as main.tf, which it stands for.
func addAdoptFiles(t *testing.T, v *testViber, w *clitest.Workdir, files ...string) {
	t.Helper()
	for _, f := range files {
		name := f
		if f == "send-user-details.tf" {
			name = "main.tf"
		}
		copyExample(t, v, w, filepath.Join(adoptDir, f), name)
		b, err := os.ReadFile(filepath.Join(w.Dir, name))
		if err != nil {
			t.Fatal(err)
		}
		w.WriteFile(name, adoptIDs.Replace(string(b)))
	}
}

// removeFile deletes a file of the working directory, as a user would.
func removeFile(t *testing.T, w *clitest.Workdir, name string) {
	t.Helper()
	if err := os.Remove(filepath.Join(w.Dir, name)); err != nil {
		t.Fatal(err)
	}
}

// adoptURL is the URL main.tf gives the bot name.
func adoptURL(v *testViber, name string) string { return v.endpoint.URL() + "/viber/" + name }

// requireAdopted checks what an adoption must leave: every bot read, no
// set_webhook, each webhook in state under its key with the URL the bot
// held, no token in state, and nothing left to plan.
func requireAdopted(ctx context.Context, t *testing.T, v *testViber, w *clitest.Workdir) {
	t.Helper()
	calls := callsBy(v)
	for _, name := range fleetNames {
		if calls["get_account_info "+fleet[name].id] == 0 {
			t.Errorf("the adoption never read %s: %v", name, calls)
		}
	}
	if calls["get_account_info"] != len(v.emu.Requests()) {
		t.Errorf("the adoption made %v, want get_account_info calls only", calls)
	}
	requireNoWrites(t, v)
	st := w.State(ctx)
	for _, name := range fleetNames {
		attrs := clitest.Resource(st, bot(name))
		if attrs["id"] != fleet[name].id || attrs["bot"] != name || attrs["url"] != adoptURL(v, name) {
			t.Errorf("%s is in state as %v", bot(name), attrs)
		}
	}
	managed := 0
	for _, r := range st.Values.RootModule.Resources {
		if r.Mode == tfjson.ManagedResourceMode {
			managed++
		}
	}
	if managed != len(fleetNames) {
		t.Errorf("state holds %d resources, want the %d webhooks", managed, len(fleetNames))
	}
	requireNoSecret(t, filepath.Join(w.Dir, "terraform.tfstate"), fleetTokens()...)
	requireBotsHoldWebhooks(t, v, fleetNames...)
	requireEmptyPlan(ctx, t, w)
}

// importedAll checks an apply that imported the whole fleet and did nothing else.
func importedAll(t *testing.T, res clitest.Result) {
	t.Helper()
	if !strings.Contains(res.Stdout, "3 imported, 0 added, 0 changed, 0 destroyed") {
		t.Errorf("the apply did not just import the three webhooks:\n%s", res.Stdout)
	}
}

// One import block with for_each over the bots' keys (Terraform 1.7+,
// OpenTofu 1.7+), each account ID read by viber_account: three webhooks
// imported with get_account_info only, nothing to plan afterwards, and
// nothing either once the import block is gone.
func TestAccAdopt_importForEach(t *testing.T) {
	ctx := context.Background()
	skipBelow(t, clitest.CLIFromEnv(t), "1.7.0") // for_each in import blocks
	v, w := adoptWorkdir(t, "bots.tf", "main.tf", "import.tf")
	importedAll(t, w.Apply(ctx))
	requireAdopted(ctx, t, v, w)

	removeFile(t, w, "import.tf")
	requireEmptyPlan(ctx, t, w)
}

// Terraform 1.5 and 1.6: one import block per bot, or terraform import per
// bot; on every CLI.
func TestAccAdopt_importPerBot(t *testing.T) {
	ctx := context.Background()
	t.Run("import blocks", func(t *testing.T) {
		v, w := adoptWorkdir(t, "bots.tf", "main.tf", "import-per-bot.tf")
		importedAll(t, w.Apply(ctx))
		requireAdopted(ctx, t, v, w)
	})
	t.Run("terraform import", func(t *testing.T) {
		script, err := os.ReadFile(filepath.Join(examplesDir, adoptDir, "import.sh"))
		if err != nil {
			t.Fatal(err)
		}
		commands := regexp.MustCompile(`(?m)^terraform import '(\S+)' (\S+)$`).FindAllStringSubmatch(string(script), -1)
		if len(commands) != len(fleetNames) {
			t.Fatalf("import.sh has %d terraform import commands, want one per bot:\n%s", len(commands), script)
		}
		v, w := adoptWorkdir(t, "bots.tf", "main.tf")
		for _, c := range commands {
			w.MustRun(ctx, "import", c[1], adoptIDs.Replace(c[2]))
		}
		requireAdopted(ctx, t, v, w)
	})
}

// A bot with no webhook has nothing to import. import.tf imports the
// others, and the apply creates the bot's webhook with the one set_webhook.
// terraform query lists only the bots with a webhook.
func TestAccAdopt_botWithoutWebhook(t *testing.T) {
	ctx := context.Background()
	t.Run("import.tf", func(t *testing.T) {
		skipBelow(t, clitest.CLIFromEnv(t), "1.7.0") // for_each in import blocks
		v, w := adoptWorkdir(t, "bots.tf", "main.tf", "import.tf")
		v.emu.SetWebhook(fleet["alerts"].token, nil)
		res := w.MustRun(ctx, "plan", "-out=tfplan")
		if !strings.Contains(res.Stdout, "Plan: 2 to import, 1 to add, 0 to change, 0 to destroy.") {
			t.Errorf("the plan does not import two webhooks and create one:\n%s", res.Stdout)
		}
		actions := plannedActions(ctx, t, w, "tfplan")
		for _, name := range fleetNames {
			if want := name == "alerts"; actions[bot(name)].Create() != want {
				t.Errorf("%s is planned %v, want a create for alerts only", bot(name), actions[bot(name)])
			}
		}
		requireNoWrites(t, v)

		if res := w.MustRun(ctx, "apply", "tfplan"); !strings.Contains(res.Stdout, "2 imported, 1 added, 0 changed, 0 destroyed") {
			t.Errorf("the apply did not import two and create one:\n%s", res.Stdout)
		}
		if calls := callsBy(v); calls["set_webhook"] != 1 || calls["set_webhook "+fleet["alerts"].id] != 1 {
			t.Errorf("the apply made %v, want one set_webhook, to alerts", calls)
		}
		requireBotsHoldWebhooks(t, v, fleetNames...)
		requireEmptyPlan(ctx, t, w)
	})
	t.Run("terraform query", func(t *testing.T) {
		skipWithoutQuery(t)
		v, w := adoptWorkdir(t, "bots.tf", "fleet.tfquery.hcl")
		v.emu.SetWebhook(fleet["alerts"].token, nil)
		w.MustRun(ctx, "query", "-generate-config-out=generated.tf")
		generated, err := os.ReadFile(filepath.Join(w.Dir, "generated.tf"))
		if err != nil {
			t.Fatal(err)
		}
		bots := regexp.MustCompile(`bot\s+= "(\w+)"`).FindAllStringSubmatch(string(generated), -1)
		if len(bots) != 2 || bots[0][1] != "sales" || bots[1][1] != "support" {
			t.Errorf("generated.tf names the bots %v, want sales and support only:\n%s", bots, generated)
		}
		requireNoWrites(t, v)
	})
}

// terraform query finds the fleet; rewriting what it generated into main.tf
// and import.tf before the first apply imports the webhooks under their
// for_each keys.
func TestAccAdopt_queryThenFold(t *testing.T) {
	ctx := context.Background()
	v, w := queriedFleet(ctx, t)
	replaceGenerated(t, v, w, "main.tf", "import.tf")
	importedAll(t, w.Apply(ctx))
	requireAdopted(ctx, t, v, w)
}

// Applying what terraform query generated imports the webhooks under the
// generated names; moved blocks then bring them under main.tf's for_each
// keys without a call to set_webhook.
func TestAccAdopt_queryApplyThenMove(t *testing.T) {
	ctx := context.Background()
	v, w := queriedFleet(ctx, t)
	importedAll(t, w.Apply(ctx))
	replaceGenerated(t, v, w, "main.tf", "moved.tf")
	if res := w.Apply(ctx); !strings.Contains(res.Stdout, "0 added, 0 changed, 0 destroyed") {
		t.Errorf("the moves changed something:\n%s", res.Stdout)
	}
	requireAdopted(ctx, t, v, w)
	removeFile(t, w, "moved.tf")
	requireEmptyPlan(ctx, t, w)
}

// queriedFleet is the fleet after the guide's terraform query, on a CLI
// that has it, with generated.tf checked by requireGenerated.
func queriedFleet(ctx context.Context, t *testing.T) (*testViber, *clitest.Workdir) {
	t.Helper()
	skipWithoutQuery(t)
	v, w := adoptWorkdir(t, "bots.tf", "fleet.tfquery.hcl")
	requireGenerated(ctx, t, v, w)
	return v, w
}

// replaceGenerated deletes generated.tf for the guide's files, and forgets
// the requests so far.
func replaceGenerated(t *testing.T, v *testViber, w *clitest.Workdir, files ...string) {
	t.Helper()
	removeFile(t, w, "generated.tf")
	addAdoptFiles(t, v, w, files...)
	v.emu.ResetRequests()
}

// requireGenerated runs the guide's query and checks generated.tf: one
// resource per bot, named as moved.tf expects and naming the bot by its key.
func requireGenerated(ctx context.Context, t *testing.T, v *testViber, w *clitest.Workdir) {
	t.Helper()
	w.MustRun(ctx, "query", "-generate-config-out=generated.tf")
	generated, err := os.ReadFile(filepath.Join(w.Dir, "generated.tf"))
	if err != nil {
		t.Fatal(err)
	}
	moved, err := os.ReadFile(filepath.Join(examplesDir, adoptDir, "moved.tf"))
	if err != nil {
		t.Fatal(err)
	}
	moves := regexp.MustCompile(`from = viber_webhook\.(\w+)\s+to\s+= viber_webhook\.bots\["(\w+)"\]`).FindAllStringSubmatch(string(moved), -1)
	if len(moves) != len(fleetNames) {
		t.Fatalf("moved.tf moves %d resources, want one per bot:\n%s", len(moves), moved)
	}
	for _, m := range moves {
		block := regexp.MustCompile(`(?s)resource "viber_webhook" "` + m[1] + `" \{[^}]*bot\s+= "` + m[2] + `"[^}]*url\s+= "` +
			regexp.QuoteMeta(adoptURL(v, m[2])) + `"`)
		if !block.Match(generated) {
			t.Errorf("generated.tf has no viber_webhook.%s for the bot %q at its URL:\n%s", m[1], m[2], generated)
		}
	}
	requireNoWrites(t, v)
}

// A bot with send_name and send_photo on at Viber: the import records them
// as false and no plan can tell. Set in the configuration, before or
// after the import, they cost that bot one set_webhook, the others none.
func TestAccAdopt_sendUserDetails(t *testing.T) {
	ctx := context.Background()
	skipBelow(t, clitest.CLIFromEnv(t), "1.7.0") // for_each in import blocks
	salesSends := func(v *testViber) {
		v.emu.SetWebhook(fleet["sales"].token, &emulator.Webhook{URL: adoptURL(v, "sales"), SendName: true, SendPhoto: true})
	}
	requireOneSet := func(t *testing.T, v *testViber) {
		t.Helper()
		reqs := v.emu.RequestsTo("set_webhook")
		if len(reqs) != 1 || reqs[0].AccountID != fleet["sales"].id {
			t.Fatalf("%d set_webhook calls (%v), want one, to sales", len(reqs), callsBy(v))
		}
		var body struct {
			SendName  bool `json:"send_name"`
			SendPhoto bool `json:"send_photo"`
		}
		if err := json.Unmarshal(reqs[0].Body, &body); err != nil || !body.SendName || !body.SendPhoto {
			t.Errorf("set_webhook sent %s, want send_name and send_photo on", reqs[0].Body)
		}
		if hook, _ := v.emu.Webhook(fleet["sales"].token); !hook.SendName || !hook.SendPhoto || hook.URL != adoptURL(v, "sales") {
			t.Errorf("sales holds %+v afterwards", hook)
		}
	}

	t.Run("set before the import", func(t *testing.T) {
		v, w := adoptWorkdir(t, "bots.tf", "send-user-details.tf", "import.tf")
		salesSends(v)
		if res := w.Apply(ctx); !strings.Contains(res.Stdout, "3 imported, 0 added, 1 changed, 0 destroyed") {
			t.Errorf("the apply did not import three webhooks and update one:\n%s", res.Stdout)
		}
		requireOneSet(t, v)
		requireEmptyPlan(ctx, t, w)
	})
	t.Run("set after the import", func(t *testing.T) {
		v, w := adoptWorkdir(t, "bots.tf", "main.tf", "import.tf")
		salesSends(v)
		importedAll(t, w.Apply(ctx))
		requireEmptyPlan(ctx, t, w) // Viber never reports them: nothing shows the difference
		requireNoWrites(t, v)

		addAdoptFiles(t, v, w, "send-user-details.tf")
		w.MustRun(ctx, "plan", "-out=tfplan")
		actions := plannedActions(ctx, t, w, "tfplan")
		for _, name := range fleetNames {
			if want := name == "sales"; actions[bot(name)].Update() != want {
				t.Errorf("%s is planned %v, want an update only for sales", bot(name), actions[bot(name)])
			}
		}
		w.MustRun(ctx, "apply", "tfplan")
		requireOneSet(t, v)
		requireEmptyPlan(ctx, t, w)
	})
}

// The plan of an import needs the token of every bot it imports, under
// the bot's key. With the key missing from bots, the plan fails, naming
// the keys there are, and so does every plan after the adoption. Nothing
// is written.
func TestAccAdopt_missingToken(t *testing.T) {
	ctx := context.Background()
	withoutAlerts, _ := json.Marshal(map[string]string{"sales": fleet["sales"].token, "support": fleet["support"].token})
	missing := `Unknown bot key.*bot = "alerts" names no entry.*Its keys are: sales, support`

	t.Run("import-per-bot.tf", func(t *testing.T) {
		v, w := adoptWorkdir(t, "bots.tf", "main.tf", "import-per-bot.tf")
		w.Setenv("TF_VAR_bot_tokens=" + string(withoutAlerts))
		requireFails(t, v, w.Run(ctx, "plan"), missing, "Imported webhook not read yet")

		w.Setenv(botTokens(nil))
		importedAll(t, w.Apply(ctx))
		w.Setenv("TF_VAR_bot_tokens=" + string(withoutAlerts))
		requireFails(t, v, w.Run(ctx, "plan"), missing, "Cannot refresh the webhook with its token")
	})
	t.Run("import.tf", func(t *testing.T) {
		skipBelow(t, clitest.CLIFromEnv(t), "1.7.0") // for_each in import blocks
		v, w := adoptWorkdir(t, "bots.tf", "main.tf", "import.tf")
		w.Setenv("TF_VAR_bot_tokens=" + string(withoutAlerts))
		requireFails(t, v, w.Run(ctx, "plan"), missing, regexp.QuoteMeta(`data.viber_account.bots["alerts"]`))
	})
}

// A token Viber rejects, wrong or replaced by Viber, under the bot's key.
// import.tf's plan fails at the bot's viber_account. import-per-bot.tf's
// plan passes with a warning and shows an update the apply cannot make:
// the apply imports the webhook and sends nothing to change it. Once the
// right token is in bots, the plan is empty.
func TestAccAdopt_rejectedToken(t *testing.T) {
	ctx := context.Background()
	// spoil gives the bad token to put under alerts, and the good one.
	for _, c := range []struct {
		name  string
		spoil func(v *testViber) (bad, good string)
	}{
		{"wrong", func(*testViber) (string, string) { return "not-alerts-token", fleet["alerts"].token }},
		{"replaced by Viber", func(v *testViber) (string, string) {
			v.emu.ReplaceToken(fleet["alerts"].token, "alerts-new-token")
			return fleet["alerts"].token, "alerts-new-token"
		}},
	} {
		t.Run(c.name+"/import.tf", func(t *testing.T) {
			skipBelow(t, clitest.CLIFromEnv(t), "1.7.0") // for_each in import blocks
			v, w := adoptWorkdir(t, "bots.tf", "main.tf", "import.tf")
			bad, _ := c.spoil(v)
			w.Setenv(botTokens(map[string]string{"alerts": bad}))
			requireFails(t, v, w.Run(ctx, "plan"), `invalidAuthToken \(2\).*with data\.viber_account\.bots\["alerts"\]`)
		})
		t.Run(c.name+"/import-per-bot.tf", func(t *testing.T) {
			v, w := adoptWorkdir(t, "bots.tf", "main.tf", "import-per-bot.tf")
			bad, good := c.spoil(v)
			w.Setenv(botTokens(map[string]string{"alerts": bad}))
			res := w.MustRun(ctx, "plan", "-out=tfplan")
			for _, want := range []string{"Warning: Imported webhook not read yet", "will be updated in-place",
				"Plan: 3 to import, 0 to add, 1 to change, 0 to destroy."} {
				if !strings.Contains(res.Output(), want) {
					t.Errorf("the plan does not say %q:\n%s", want, res.Output())
				}
			}
			actions := plannedActions(ctx, t, w, "tfplan")
			for _, name := range fleetNames {
				if want := name == "alerts"; actions[bot(name)].Update() != want {
					t.Errorf("%s is planned %v, want an update for alerts only", bot(name), actions[bot(name)])
				}
			}

			requireFails(t, v, w.Run(ctx, "apply", "tfplan"), `invalidAuthToken \(2\).*Nothing was sent to change the webhook`)
			if id, _ := stateURL(ctx, t, w, bot("alerts")); id != fleet["alerts"].id {
				t.Errorf("after the failed apply, state holds %s with id %q, want the imported %s", bot("alerts"), id, fleet["alerts"].id)
			}

			w.Setenv(botTokens(map[string]string{"alerts": good}))
			requireEmptyPlan(ctx, t, w)
			if hook, _ := v.emu.Webhook(good); hook.URL != adoptURL(v, "alerts") {
				t.Errorf("alerts holds %+v, want the webhook it had", hook)
			}
			requireNoWrites(t, v)
		})
	}
}

// requireFails checks that res failed with output matching every
// pattern, and that nothing was written to Viber.
func requireFails(t *testing.T, v *testViber, res clitest.Result, patterns ...string) {
	t.Helper()
	for _, p := range patterns {
		if res.ExitCode == 0 || !regexp.MustCompile(`(?s)`+p).MatchString(res.Output()) {
			t.Errorf("exited %d, want a failure matching %s:\n%s", res.ExitCode, p, res.Output())
		}
	}
	requireNoWrites(t, v)
}

// A bot left out of the imports gets a create, which sets its webhook and
// so takes over the one it held.
func TestAccAdopt_createTakesOver(t *testing.T) {
	ctx := context.Background()
	v, w := adoptWorkdir(t, "bots.tf", "main.tf")
	v.emu.SetWebhook(fleet["alerts"].token, &emulator.Webhook{URL: v.hookURL("/legacy/alerts"), EventTypes: []string{"seen"}})
	var imports strings.Builder
	for _, name := range []string{"sales", "support"} {
		fmt.Fprintf(&imports, "import {\n  to = %s\n  id = %q\n}\n", bot(name), fleet[name].id)
	}
	w.WriteFile("import.tf", imports.String())
	w.MustRun(ctx, "plan", "-out=tfplan")
	if actions := plannedActions(ctx, t, w, "tfplan"); !actions[bot("alerts")].Create() {
		t.Errorf("%s is planned %v, want a create", bot("alerts"), actions[bot("alerts")])
	}
	requireNoWrites(t, v)
	if res := w.MustRun(ctx, "apply", "tfplan"); !strings.Contains(res.Stdout, "2 imported, 1 added, 0 changed, 0 destroyed") {
		t.Errorf("the apply did not import two and create one:\n%s", res.Stdout)
	}
	if calls := callsBy(v); calls["set_webhook"] != 1 || calls["set_webhook "+fleet["alerts"].id] != 1 {
		t.Errorf("the apply made %v, want one set_webhook, to alerts", calls)
	}
	if hook, _ := v.emu.Webhook(fleet["alerts"].token); hook.URL != adoptURL(v, "alerts") || hook.EventTypes != nil {
		t.Errorf("alerts holds %+v, want main.tf's webhook in place of its own", hook)
	}
}

// Two keys' tokens swapped in bots: literal account IDs refuse the import;
// import.tf reads each ID with the key's token, so each key adopts the
// other bot, and the plan shows both URLs changing.
func TestAccAdopt_swappedTokens(t *testing.T) {
	ctx := context.Background()
	swapped := botTokens(map[string]string{"sales": fleet["support"].token, "support": fleet["sales"].token})
	t.Run("import blocks per bot", func(t *testing.T) {
		v, w := adoptWorkdir(t, "bots.tf", "main.tf", "import-per-bot.tf")
		w.Setenv(swapped)
		res := w.Run(ctx, "plan")
		for _, ids := range [][2]string{{"pa:100", "pa:200"}, {"pa:200", "pa:100"}} {
			mismatch := regexp.MustCompile(`(?s)Import ID is not this bot's account ID.*imported is the bot "` + ids[0] + `"'s.*belongs to the bot "` + ids[1] + `"`)
			if res.ExitCode == 0 || !mismatch.MatchString(res.Output()) {
				t.Errorf("plan exited %d, want the import of %s refused:\n%s", res.ExitCode, ids[0], res.Output())
			}
		}
		requireNoWrites(t, v)
	})
	t.Run("import with for_each", func(t *testing.T) {
		skipBelow(t, clitest.CLIFromEnv(t), "1.7.0") // for_each in import blocks
		v, w := adoptWorkdir(t, "bots.tf", "main.tf", "import.tf")
		w.Setenv(swapped)
		w.MustRun(ctx, "plan", "-out=tfplan")
		actions := plannedActions(ctx, t, w, "tfplan")
		for _, name := range fleetNames {
			if want := name != "alerts"; actions[bot(name)].Update() != want {
				t.Errorf("%s is planned %v, want an update for sales and support only", bot(name), actions[bot(name)])
			}
		}
		requireNoWrites(t, v)
	})
}

// One token under two keys: import.tf imports the bot twice, and the plan
// refuses it, recording nothing.
func TestAccAdopt_oneTokenTwoKeys(t *testing.T) {
	ctx := context.Background()
	skipBelow(t, clitest.CLIFromEnv(t), "1.7.0") // for_each in import blocks
	v, w := adoptWorkdir(t, "bots.tf", "main.tf", "import.tf")
	w.Setenv(strings.Replace(salesTwice(), "VIBER_BOTS=", "TF_VAR_bot_tokens=", 1))
	b, err := os.ReadFile(filepath.Join(w.Dir, "bots.tf"))
	if err != nil {
		t.Fatal(err)
	}
	keys := `toset(["alerts", "sales", "support"])`
	if !strings.Contains(string(b), keys) {
		t.Fatalf("bots.tf does not list the keys as %s:\n%s", keys, b)
	}
	w.WriteFile("bots.tf", strings.Replace(string(b), keys, `toset(["alerts", "sales", "sales_eu", "support"])`, 1))
	requireRefusedTwice(t, v, w.Run(ctx, "apply", "-auto-approve"), `"pa:100"`)
	if st := w.State(ctx); st.Values != nil && st.Values.RootModule != nil && len(st.Values.RootModule.Resources) != 0 {
		t.Errorf("state records %d resources, want none", len(st.Values.RootModule.Resources))
	}
}

package provider_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/viberops/terraform-provider-viber/internal/clitest"
	"github.com/viberops/terraform-provider-viber/internal/emulator"
)

// terraform query and list blocks came with Terraform 1.14 (OpenTofu 1.12
// has neither).
var queryCLIs = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(version.Must(version.NewVersion("1.14.0")))}

const listBlock = `
list "viber_webhook" "found" {
  provider         = viber
  include_resource = true
}
`

func byAccount(id string) queryfilter.QueryFilter {
	return queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"account_id": knownvalue.StringExact(id)})
}

// The query finds the provider's bot's webhook: its identity, a display
// name a person recognises, and the webhook in the form a configuration
// would write it.
func TestAccWebhookList_query(t *testing.T) {
	v := newTestViber(t)
	v.emu.SetWebhook(testToken, &emulator.Webhook{URL: v.hookURL("/existing"), EventTypes: []string{"seen", "delivered", "subscribed"}})
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   queryCLIs,
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Query:  true,
			Config: v.providerBlock(testToken) + listBlock,
			QueryResultChecks: []querycheck.QueryResultCheck{
				querycheck.ExpectLength("viber_webhook.found", 1),
				querycheck.ExpectIdentity("viber_webhook.found", map[string]knownvalue.Check{"account_id": knownvalue.StringExact(testID)}),
				querycheck.ExpectResourceDisplayName("viber_webhook.found", byAccount(testID), knownvalue.StringExact("Test Bot ("+testID+")")),
				querycheck.ExpectResourceKnownValues("viber_webhook.found", byAccount(testID), []querycheck.KnownValueCheck{
					{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringExact(testID)},
					{Path: tfjsonpath.New("url"), KnownValue: knownvalue.StringExact(v.hookURL("/existing"))},
					{Path: tfjsonpath.New("event_types"), KnownValue: knownvalue.SetExact([]knownvalue.Check{
						knownvalue.StringExact("delivered"), knownvalue.StringExact("seen"),
					})},
					{Path: tfjsonpath.New("send_name"), KnownValue: knownvalue.Bool(false)},
					{Path: tfjsonpath.New("auth_token"), KnownValue: knownvalue.Null()},
				}),
			},
		}},
	})
}

// A bot with no webhook yields no result, and a bad token a clear error.
func TestAccWebhookList_noWebhookAndBadToken(t *testing.T) {
	v := newTestViber(t)
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   queryCLIs,
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Query:             true,
				Config:            v.providerBlock(testToken) + listBlock,
				QueryResultChecks: []querycheck.QueryResultCheck{querycheck.ExpectLength("viber_webhook.found", 0)},
			},
			{
				Query:       true,
				Config:      v.providerBlock(otherToken) + listBlock,
				ExpectError: regexp.MustCompile(`(?s)Viber refused get_account_info: invalidAuthToken \(2\)`),
			},
		},
	})
}

// One list block per provider configuration covers many bots. This runs
// the CLI with the provider as a real plugin: terraform-plugin-testing serves
// one in-process provider, which every aliased configuration would share.
func TestAccWebhookList_manyBots(t *testing.T) {
	ctx := context.Background()
	skipWithoutQuery(t)
	v, w := newFleet(t)
	var config, query strings.Builder
	for _, name := range []string{"sales", "support"} {
		bot := fleet[name]
		v.emu.SetWebhook(bot.token, &emulator.Webhook{URL: v.hookURL("/" + name)})
		fmt.Fprintf(&config, "provider \"viber\" {\n  alias      = %q\n  api_url    = %q\n  auth_token = %q\n}\n", name, v.apiURL, bot.token)
		fmt.Fprintf(&query, "list \"viber_webhook\" %q {\n  provider = viber.%s\n}\n", name, name)
	}
	w.Write(config.String())
	w.WriteFile("search.tfquery.hcl", query.String())
	found := map[string]string{} // list address -> "display name | account ID"
	for _, line := range strings.Split(w.MustRun(ctx, "query", "-json").Stdout, "\n") {
		var msg struct {
			Type  string `json:"type"`
			Found struct {
				Address     string            `json:"address"`
				DisplayName string            `json:"display_name"`
				Identity    map[string]string `json:"identity"`
			} `json:"list_resource_found"`
		}
		if json.Unmarshal([]byte(line), &msg) == nil && msg.Type == "list_resource_found" {
			found[msg.Found.Address] += msg.Found.DisplayName + " | " + msg.Found.Identity["account_id"]
		}
	}
	want := map[string]string{
		"list.viber_webhook.sales":   "sales (pa:100) | pa:100",
		"list.viber_webhook.support": "support (pa:200) | pa:200",
	}
	if !maps.Equal(found, want) {
		t.Errorf("terraform query found %v, want %v", found, want)
	}
}

// What a team bringing bots under Terraform does, with the example query:
// terraform query writes
// configuration and an identity import block, and terraform apply imports
// the webhook without changing it, leaving nothing to plan.
func TestAccWebhookList_generateConfigAndImport(t *testing.T) {
	ctx := context.Background()
	cli := clitest.CLIFromEnv(t)
	skipWithoutQuery(t)
	v := newTestViber(t)
	v.emu.SetWebhook(testToken, &emulator.Webhook{URL: v.hookURL("/existing"), EventTypes: []string{"conversation_started"}})
	w := clitest.New(t, cli, clitest.ProviderDir(t), "VIBER_AUTH_TOKEN="+testToken, "VIBER_API_URL="+v.apiURL)
	w.Write("provider \"viber\" {}\n")
	copyExample(t, v, w, "list-resources/viber_webhook/list-resource.tfquery.hcl", "search.tfquery.hcl")

	out := w.MustRun(ctx, "query", "-generate-config-out=generated.tf")
	if !strings.Contains(out.Stdout, "Test Bot ("+testID+")") {
		t.Errorf("terraform query does not show the bot by name and account ID:\n%s", out.Output())
	}
	generated, err := os.ReadFile(filepath.Join(w.Dir, "generated.tf"))
	if err != nil {
		t.Fatalf("terraform query wrote no configuration: %v\n%s", err, out.Output())
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`resource "viber_webhook" "\w+"`),
		regexp.MustCompile(`url\s+=\s+"` + regexp.QuoteMeta(v.hookURL("/existing")) + `"`),
		regexp.MustCompile(`event_types\s+=\s+\["conversation_started"\]`),
		regexp.MustCompile(`(?s)import \{.*identity\s+=\s+\{.*account_id\s+=\s+"` + testID + `"`),
	} {
		if !want.Match(generated) {
			t.Errorf("generated.tf lacks %s:\n%s", want, generated)
		}
	}
	if strings.Contains(string(generated), testToken) {
		t.Errorf("generated.tf holds the auth token:\n%s", generated)
	}

	if res := w.Apply(ctx); !strings.Contains(res.Stdout, "1 imported, 0 added, 0 changed, 0 destroyed") {
		t.Errorf("applying the generated configuration did not just import:\n%s", res.Stdout)
	}
	if n := len(v.emu.RequestsTo("set_webhook")); n != 0 {
		t.Errorf("the import made %d set_webhook calls, want none", n)
	}
	requireEmptyPlan(ctx, t, w)
}

// skipBelow skips a test the CLI at path is too old for, with the check
// terraform-plugin-testing's TestCases use.
// skipWithoutQuery skips a test on a CLI without terraform query.
func skipWithoutQuery(t *testing.T) {
	t.Helper()
	cli := clitest.CLIFromEnv(t)
	if clitest.IsOpenTofu(cli) {
		help, _ := exec.Command(cli, "-help").CombinedOutput()
		if !regexp.MustCompile(`(?m)^\s+query\s`).Match(help) {
			t.Skip("terraform query needs Terraform 1.14 or later; this OpenTofu has no query command")
		}
		return // an OpenTofu with query: the test tells whether it works alike
	}
	skipBelow(t, cli, "1.14.0")
}

func skipBelow(t *testing.T, cli, minimum string) {
	t.Helper()
	got, err := clitest.Version(cli)
	if err != nil {
		t.Fatal(err)
	}
	var resp tfversion.CheckTerraformVersionResponse
	tfversion.SkipBelow(version.Must(version.NewVersion(minimum))).CheckTerraformVersion(context.Background(),
		tfversion.CheckTerraformVersionRequest{TerraformVersion: got}, &resp)
	if resp.Error != nil {
		t.Fatal(resp.Error)
	}
	if resp.Skip != "" {
		t.Skip(resp.Skip)
	}
}

// queryFound runs terraform query -json and returns, in the order the CLI
// printed them, the display names found, and the whole output.
func queryFound(ctx context.Context, w *clitest.Workdir) ([]string, clitest.Result) {
	res := w.Run(ctx, "query", "-json")
	var names []string
	for _, line := range strings.Split(res.Stdout, "\n") {
		var msg struct {
			Type  string `json:"type"`
			Found struct {
				DisplayName string `json:"display_name"`
			} `json:"list_resource_found"`
		}
		if json.Unmarshal([]byte(line), &msg) == nil && msg.Type == "list_resource_found" {
			names = append(names, msg.Found.DisplayName)
		}
	}
	return names, res
}

// Many bots are looked up at once, yet listed in the order of their keys
// on every run; the list block's limit is honoured; a bot whose token
// Viber rejects is reported without hiding the others; and each bot is
// looked up exactly once.
func TestAccWebhookList_limitOrderAndFailure(t *testing.T) {
	ctx := context.Background()
	skipWithoutQuery(t)
	bots := map[string]string{"zz_broken": "0000000000000000-0000000000000000-0000000000000000"}
	for name, b := range fleet {
		bots[name] = b.token
	}
	raw, _ := json.Marshal(bots)
	v, w := newFleet(t, "VIBER_BOTS="+string(raw))
	v.giveWebhooks(fleetNames...)
	w.Write(fmt.Sprintf("provider \"viber\" {\n  api_url = %q\n}\n", v.apiURL))
	w.WriteFile("all.tfquery.hcl", "list \"viber_webhook\" \"all\" {\n  provider = viber\n}\n")

	want := []string{"alerts (pa:300)", "sales (pa:100)", "support (pa:200)"}
	for run := 1; run <= 3; run++ {
		v.emu.ResetRequests()
		names, res := queryFound(ctx, w)
		if !slices.Equal(names, want) {
			t.Errorf("run %d listed %v, want %v in the order of the bots' keys:\n%s", run, names, want, res.Output())
		}
		if !strings.Contains(res.Output(), `finding the webhook of the bot \"zz_broken\"`) && !strings.Contains(res.Output(), `finding the webhook of the bot "zz_broken"`) {
			t.Errorf("run %d does not report the bot whose token Viber rejects:\n%s", run, res.Output())
		}
		if calls := callsBy(v); calls["get_account_info"] != 4 || calls["get_account_info pa:100"] != 1 || calls["get_account_info pa:300"] != 1 {
			t.Errorf("run %d made %v, want one get_account_info per bot", run, calls)
		}
	}

	w.WriteFile("all.tfquery.hcl", "list \"viber_webhook\" \"all\" {\n  provider = viber\n  limit    = 2\n}\n")
	if names, res := queryFound(ctx, w); !slices.Equal(names, want[:2]) {
		t.Errorf("with limit = 2 the query listed %v, want %v:\n%s", names, want[:2], res.Output())
	}
}

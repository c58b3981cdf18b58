package provider_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/viberops/terraform-provider-viber/internal/clitest"
	"github.com/viberops/terraform-provider-viber/internal/emulator"
)

// Issue 22, "Bad input refused": a value no endpoint could use, or an
// answer the provider cannot use, fails with a message that names the
// attribute or the field, and records nothing; credentials in a URL are
// never printed.

// badInputPassword stands for a secret that must never be printed.
const badInputPassword = "pa55-w0rd-n3ver-printed"

// wrapped matches text as Terraform prints a diagnostic: wrapped at any
// space.
func wrapped(text string) string {
	words := strings.Fields(text)
	for i, w := range words {
		words[i] = regexp.QuoteMeta(w)
	}
	return strings.Join(words, `\s+`)
}

// A webhook url with whitespace, a #fragment, or credentials is refused at
// plan time, naming url and saying why, before any call to Viber.
func TestAccBadInput_webhookURLRefusedAtPlan(t *testing.T) {
	v := newTestViber(t)
	cases := []struct {
		name, body, want string
	}{
		{"space in the path", fmt.Sprintf("url = %q", v.hookURL("/my hook")),
			wrapped(`url is not a valid URL: it contains a space`) + `.*` + wrapped(`write a space that belongs in the path as %20.`)},
		{"leading space", fmt.Sprintf("url = %q", " "+v.hookURL("/viber")),
			wrapped(`url is not a valid URL: it starts with a space`) + `.*` + wrapped(`Remove the whitespace around the URL`)},
		{"tab", fmt.Sprintf("url = %q", v.hookURL("/a\tb")), wrapped(`url is not a valid URL: it contains a tab`)},
		// A heredoc, like file() without trimspace(), ends with a newline.
		{"trailing newline", fmt.Sprintf("url = <<EOT\n%s\nEOT", v.hookURL("/viber")),
			wrapped(`url is not a valid URL: it ends with a newline`) + `.*` + wrapped(`trimspace() does, for a value read from a file`)},
		{"fragment", fmt.Sprintf("url = %q", v.hookURL("/viber#bot")),
			wrapped(`url must not have a #fragment: HTTP clients drop the fragment before they send a request, so the endpoint would never see it. Remove it ("` + v.hookURL("/viber") + `").`)},
		{"credentials", fmt.Sprintf("url = %q", strings.Replace(v.hookURL("/viber"), "https://", "https://viber:secret@", 1)),
			wrapped(`url must not hold credentials (user:password@): Viber would store them with the URL and show them to whoever reads the bot's account.`) +
				`.*` + wrapped(`Viber signs every callback (the X-Viber-Content-Signature header, an HMAC-SHA256 of the body keyed with the bot's token)`) +
				`.*` + wrapped(`Write "`+v.hookURL("/viber")+`" and check the signature instead.`)},
	}
	var steps []resource.TestStep
	for _, c := range cases {
		steps = append(steps, resource.TestStep{
			Config:      webhookConfig(v, c.body),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)Invalid URL.*` + c.want),
		})
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps:                    steps,
		CheckDestroy: func(*terraform.State) error {
			if n := len(v.emu.Requests()); n != 0 {
				return fmt.Errorf("refused urls made %d API calls, want none", n)
			}
			return nil
		},
	})
}

// A url's password is never printed, whatever the CLI shows around the
// error. It comes from a sensitive variable, as a real secret would: the
// CLI quotes the configuration's source line, and would otherwise quote a
// literal password there itself.
func TestAccBadInput_webhookURLPasswordNeverPrinted(t *testing.T) {
	ctx := context.Background()
	v := newTestViber(t)
	w := clitest.New(t, clitest.CLIFromEnv(t), clitest.ProviderDir(t), "TF_VAR_hook_password="+badInputPassword)
	w.Write(v.providerBlock(testToken) + fmt.Sprintf(`
variable "hook_password" {
  type      = string
  sensitive = true
}

resource "viber_webhook" "bot" {
  url = "https://viber:${var.hook_password}@%s/viber"
}
`, strings.TrimPrefix(v.endpoint.URL(), "https://")))
	res := w.Run(ctx, "plan")
	want := regexp.MustCompile(`(?s)Invalid URL.*` + wrapped(`url must not hold credentials (user:password@)`) +
		`.*` + wrapped(`Write "`+v.hookURL("/viber")+`" and check the signature instead.`))
	if res.ExitCode == 0 || !want.MatchString(res.Output()) {
		t.Fatalf("plan exited %d, want url refused for its credentials:\n%s", res.ExitCode, res.Output())
	}
	if strings.Contains(res.Output(), badInputPassword) {
		t.Errorf("the CLI output holds the password:\n%s", res.Output())
	}
	if n := len(v.emu.Requests()); n != 0 {
		t.Errorf("the refused url made %d API calls, want none", n)
	}
}

// An api_url may carry a proxy's user:password@: the password appears in
// no output, debug logs included, when calls succeed, when one fails, nor
// when api_url itself is refused.
func TestAccBadInput_apiURLPasswordNeverPrinted(t *testing.T) {
	ctx := context.Background()
	v := newTestViber(t)
	w := clitest.New(t, clitest.CLIFromEnv(t), clitest.ProviderDir(t), "TF_LOG=debug")
	withPassword := strings.Replace(v.apiURL, "http://", "http://viber:"+badInputPassword+"@", 1)
	config := func(apiURL string) string {
		return fmt.Sprintf(`
provider "viber" {
  api_url    = %q
  auth_token = %q
  retry {
    max_attempts = 1
  }
}

resource "viber_webhook" "bot" {
  url = %q
}
`, apiURL, testToken, v.hookURL("/viber"))
	}
	requireNoPassword := func(step string, res clitest.Result) {
		t.Helper()
		if strings.Contains(res.Output(), badInputPassword) {
			t.Errorf("%s: the output holds api_url's password:\n%s", step, res.Output())
		}
	}

	w.Write(config(withPassword))
	res := w.Apply(ctx)
	requireNoPassword("apply", res)
	// Without the debug record, the check above would prove nothing.
	if !strings.Contains(res.Output(), "Configured Viber provider") || !strings.Contains(res.Output(), "viber:xxxxx@") {
		t.Errorf("apply with TF_LOG=debug did not log the redacted api_url:\n%.3000s", res.Output())
	}
	if hook, ok := v.emu.Webhook(testToken); !ok || hook.URL != v.hookURL("/viber") {
		t.Fatalf("Viber holds %+v, want the webhook set through the api_url with credentials", hook)
	}

	// A failing call: its error is printed with the provider's messages.
	v.emu.SetFaults(emulator.Faults{DropEvery: 1})
	res = w.Run(ctx, "plan")
	if res.ExitCode == 0 || !regexp.MustCompile(`(?s)Cannot reach the Viber API`).MatchString(res.Output()) {
		t.Errorf("plan exited %d, want the dropped call reported:\n%.3000s", res.ExitCode, res.Output())
	}
	requireNoPassword("failing plan", res)
	v.emu.SetFaults(emulator.Faults{})
	requireNoPassword("destroy", w.Destroy(ctx))

	// A refused api_url: the value is quoted, its password hidden. A
	// sensitive variable keeps the CLI's quote of the source line clean.
	w.Setenv("TF_VAR_api_password=" + badInputPassword)
	w.Write(`
variable "api_password" {
  type      = string
  sensitive = true
}
` + config("ftp://viber:${var.api_password}@127.0.0.1/pa"))
	res = w.Run(ctx, "plan")
	want := regexp.MustCompile(`(?s)` + wrapped(`api_url`) + `.*` + wrapped(`must start with https://, http://, got "ftp://viber:xxxxx@127.0.0.1/pa"`))
	if res.ExitCode == 0 || !want.MatchString(res.Output()) {
		t.Errorf("plan exited %d, want api_url refused, quoted without its password:\n%.3000s", res.ExitCode, res.Output())
	}
	requireNoPassword("refused api_url", res)
}

// A get_account_info answer of status 0 without the account's "id" fails
// the create with a diagnostic naming "id", and nothing is recorded: the
// next plan, with Viber fixed, creates the webhook anew.
func TestAccBadInput_answerWithoutAccountID(t *testing.T) {
	v := newTestViber(t)
	body := fmt.Sprintf("url = %q", v.hookURL("/viber"))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: func() { v.emu.SetFaults(emulator.Faults{OmitAccountID: true}) },
				Config:    webhookConfig(v, body),
				ExpectError: regexp.MustCompile(`(?s)Unexpected answer from the Viber API.*` +
					wrapped(`unusable answer (status 0 without the account's "id")`) + `.*` +
					wrapped(`Viber answered, but its "id" field is missing or not what the Bot API documents`)),
			},
			{
				PreConfig: func() { v.emu.SetFaults(emulator.Faults{}) },
				Config:    webhookConfig(v, body),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					// A create, not an update or a replacement: the failed
					// create left nothing in state.
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionCreate)},
				},
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(res, "id", testID),
					v.holds(&emulator.Webhook{URL: v.hookURL("/viber")}),
				),
			},
		},
	})
}

// The viber_account data source refuses the same answer rather than
// report a bot without an id.
func TestAccBadInput_accountWithoutID(t *testing.T) {
	v := newTestViber(t)
	v.emu.SetFaults(emulator.Faults{OmitAccountID: true})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: v.providerBlock(testToken) + `data "viber_account" "bot" {}`,
			ExpectError: regexp.MustCompile(`(?s)Unexpected answer from the Viber API.*` + wrapped(`reading the bot account`) +
				`.*` + wrapped(`without the account's "id"`)),
		}},
	})
}

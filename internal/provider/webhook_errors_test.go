package provider_test

import (
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/viberops/terraform-provider-viber/internal/emulator"
)

// Every invalid input fails at plan time, names the attribute, and never
// reaches Viber.
func TestAccWebhook_invalidConfigFailsAtPlan(t *testing.T) {
	v := newTestViber(t)
	good := fmt.Sprintf("url = %q", v.hookURL("/viber"))
	cases := []struct {
		name, config, want string
	}{
		{"empty url", `url = ""`, `(?s)url must not be empty.*To remove\s+the webhook, destroy the resource`},
		{"http url", `url = "http://bot.example.com/viber"`, `(?s)url must start with https://`},
		{"relative url", `url = "/viber"`, `(?s)url must start with https://`},
		{"no host", `url = "https:///viber"`, `(?s)url must be an absolute URL with a host`},
		{"not a url", `url = "https://bot example.com/%zz"`, `(?s)url is not a valid URL`},
		{"message event", good + "\nevent_types = [\"message\"]", `(?s)event_types.*"message" is always delivered`},
		{"unknown event", good + "\nevent_types = [\"seen\", \"read\"]", `(?s)event_types contains "read".*Allowed values: "delivered", "seen", "failed", "subscribed",\s+"unsubscribed", "conversation_started"`},
		{"server-only event", good + "\nevent_types = [\"webhook\"]", `(?s)event_types contains "webhook"`},
		{"missing url", `send_name = true`, `(?s)The argument "url" is required`},
		{"wrong type", good + "\nsend_name = \"maybe\"", `(?s)send_name`},
		{"empty event type", good + "\nevent_types = [\"\"]", `(?s)event_types contains ""`},
		{"empty resource token", good + "\nauth_token = \"\"", `(?s)auth_token.*string length must be at least 1`},
		{"bad timeout", good + "\ntimeouts {\n  create = \"soon\"\n}", `(?s)Invalid Attribute Value Time Duration.*create = "soon"`},
		{"unknown argument", good + "\nmessage = true", `(?s)An argument named "message" is not expected here`},
	}
	var steps []resource.TestStep
	for _, c := range cases {
		steps = append(steps, resource.TestStep{
			Config:      webhookConfig(v, c.config),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(c.want),
		})
	}
	steps = append(steps,
		resource.TestStep{
			Config:      fmt.Sprintf("provider \"viber\" {\n  api_url = \"ftp://%s\"\n  auth_token = %q\n}\nresource \"viber_webhook\" \"bot\" {\n  %s\n}\n", "x", testToken, good),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)api_url must start with https://, http://`),
		},
		resource.TestStep{
			Config:      fmt.Sprintf("provider \"viber\" {\n  api_url = %q\n  auth_token = \"\"\n}\nresource \"viber_webhook\" \"bot\" {\n  %s\n}\n", v.apiURL, good),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)auth_token.*string length must be at least 1`),
		},
	)
	for _, c := range []struct{ retry, want string }{
		{"min_delay_ms = 0", `(?s)min_delay_ms.*must be between 1 and 60000`},
		{"min_delay_ms = 1000\n    max_delay_ms = 10", `(?s)max_delay_ms.*must be at least sum of`},
		{"max_attempts = 0", `(?s)max_attempts.*must be at least 1`},
	} {
		steps = append(steps, resource.TestStep{
			Config: fmt.Sprintf("provider \"viber\" {\n  api_url = %q\n  auth_token = %q\n  retry {\n    %s\n  }\n}\nresource \"viber_webhook\" \"bot\" {\n  %s\n}\n",
				v.apiURL, testToken, c.retry, good),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(c.want),
		})
	}
	steps = append(steps, resource.TestStep{
		Config:      v.providerBlock(testToken) + "data \"viber_account\" \"bot\" {\n  auth_token = \"\"\n}\n",
		PlanOnly:    true,
		ExpectError: regexp.MustCompile(`(?s)auth_token.*string length must be at least 1`),
	})
	if len(steps) < 15 {
		t.Fatalf("%d invalid configurations, want at least 15", len(steps))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps:                    steps,
		CheckDestroy: func(_ *terraform.State) error {
			if n := len(v.emu.Requests()); n != 0 {
				return fmt.Errorf("invalid configurations made %d API calls, want none", n)
			}
			return nil
		},
	})
}

func TestAccWebhook_unknownToken(t *testing.T) {
	v := newTestViber(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      v.providerBlock(otherToken) + fmt.Sprintf("resource \"viber_webhook\" \"bot\" {\n  url = %q\n}\n", v.hookURL("/viber")),
			ExpectError: regexp.MustCompile(`(?s)Viber refused get_account_info: invalidAuthToken \(2\).*Check the token \(the bots entry named by\s+bot,\s+auth_token,\s+or\s+VIBER_AUTH_TOKEN\)`),
		}},
		CheckDestroy: func(*terraform.State) error {
			if n := len(v.emu.RequestsTo("set_webhook")); n != 0 {
				return fmt.Errorf("a bad token made %d set_webhook calls, want none", n)
			}
			return nil
		},
	})
}

func TestAccWebhook_missingToken(t *testing.T) {
	v := newTestViber(t)
	t.Setenv("VIBER_AUTH_TOKEN", "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      fmt.Sprintf("provider \"viber\" {\n  api_url = %q\n}\nresource \"viber_webhook\" \"bot\" {\n  url = %q\n}\n", v.apiURL, v.hookURL("/viber")),
			PlanOnly:    true, // the plan itself fails
			ExpectError: regexp.MustCompile(`(?s)Missing Viber auth token.*auth_token.*VIBER_AUTH_TOKEN`),
		}},
		CheckDestroy: func(*terraform.State) error {
			if n := len(v.emu.Requests()); n != 0 {
				return fmt.Errorf("with no token, %d API calls were made, want none", n)
			}
			return nil
		},
	})
}

// The provider block may be empty: token and API URL come from the environment.
func TestAccWebhook_environmentConfiguration(t *testing.T) {
	v := newTestViber(t)
	t.Setenv("VIBER_AUTH_TOKEN", testToken)
	t.Setenv("VIBER_API_URL", v.apiURL)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf("resource \"viber_webhook\" \"bot\" {\n  url = %q\n}\n", v.hookURL("/viber")),
			Check:  v.holds(&emulator.Webhook{URL: v.hookURL("/viber")}),
		}},
	})
}

// When Viber's availability check fails, the apply fails, says why and
// what to do, and leaves nothing in state.
func TestAccWebhook_availabilityCheckFails(t *testing.T) {
	cases := []struct {
		name  string
		setup func(v *testViber) string // returns the url to configure
		want  string
	}{
		{"endpoint answers 404", func(v *testViber) string {
			v.endpoint.ForceStatus(404)
			return v.hookURL("/viber")
		}, `(?s)invalidUrl \(1\).*Tried \d+ times over 2s.*HTTP/1.1 404 Not\s+Found.*answers that POST with 200`},
		{"endpoint down", func(v *testViber) string {
			down := emulator.NewEndpoint()
			url := down.URL() + "/viber"
			down.Close()
			return url
		}, `(?s)invalidUrl \(1\).*Tried \d+ times over 2s.*ConnectException: Connection\s+refused.*deployed and reachable`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := newTestViber(t)
			url := c.setup(v)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      webhookConfig(v, fmt.Sprintf("url = %q", url)+shortTimeouts),
					ExpectError: regexp.MustCompile(c.want),
				}},
				CheckDestroy: v.holds(nil),
			})
		})
	}
}

// A refused update changes nothing: state and Viber keep the previous
// webhook, and the next plan shows the update still to be made.
func TestAccWebhook_failedUpdateKeepsState(t *testing.T) {
	v := newTestViber(t)
	oldURL, newURL := v.hookURL("/old"), v.hookURL("/new")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: webhookConfig(v, fmt.Sprintf("url = %q", oldURL))},
			{
				PreConfig:   func() { v.endpoint.ForceStatus(503) },
				Config:      webhookConfig(v, fmt.Sprintf("url = %q\nevent_types = []", newURL)+shortTimeouts),
				ExpectError: regexp.MustCompile(`invalidUrl \(1\)`),
			},
			{
				PreConfig: func() {
					v.endpoint.ForceStatus(0)
					if err := v.holds(&emulator.Webhook{URL: oldURL})(nil); err != nil {
						t.Error(err)
					}
				},
				Config:   webhookConfig(v, fmt.Sprintf("url = %q", oldURL)),
				PlanOnly: true, // fails if the refused values had reached state
			},
			{
				Config: webhookConfig(v, fmt.Sprintf("url = %q\nevent_types = []", newURL)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)},
				},
				Check: v.holds(&emulator.Webhook{URL: newURL, EventTypes: []string{}}),
			},
		},
	})
}

// Viber trusts only CA-signed certificates: the test endpoint's own is not.
func TestAccWebhook_untrustedCertificate(t *testing.T) {
	ep := emulator.NewEndpoint(testToken)
	t.Cleanup(ep.Close)
	emu := emulator.New() // trusts the system's CAs only, as Viber does
	emu.AddAccount(testToken, emulator.Account{ID: testID})
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	v := &testViber{emu: emu, endpoint: ep, apiURL: srv.URL + emulator.BasePath}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      webhookConfig(v, fmt.Sprintf("url = %q", v.hookURL("/viber"))+shortTimeouts),
			ExpectError: regexp.MustCompile(`(?s)invalidUrl \(1\).*SSLHandshakeException.*certificate\s+from\s+a\s+trusted\s+CA`),
		}},
		CheckDestroy: v.holds(nil),
	})
}

// The token never shows in Terraform's or the provider's logs, even at
// trace level, nor in diagnostics.
func TestAccWebhook_tokenNeverLogged(t *testing.T) {
	v := newTestViber(t)
	dir := t.TempDir()
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_LOG_PATH", filepath.Join(dir, "provider.log"))
	t.Setenv("TF_ACC_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", filepath.Join(dir, "terraform.log"))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: webhookConfig(v, fmt.Sprintf("url = %q", v.hookURL("/viber")))},
			{ // an error path too: Viber refuses the webhook
				PreConfig:   func() { v.endpoint.ForceStatus(500) },
				Config:      webhookConfig(v, fmt.Sprintf("url = %q", v.hookURL("/v2"))+shortTimeouts),
				ExpectError: regexp.MustCompile(`invalidUrl \(1\)`),
			},
		},
	})
	logs := readLogs(t, dir)
	if !strings.Contains(logs, "Viber API call") || !strings.Contains(logs, "set_webhook") {
		t.Fatalf("trace logs in %s hold no record of the provider's calls: the check below would prove nothing", dir)
	}
	for _, secret := range []string{testToken, strings.Split(testToken, "-")[1]} {
		if strings.Contains(logs, secret) {
			t.Errorf("the auth token (or part of it, %q) appears in the trace logs", secret)
		}
	}
}

// readLogs returns every log record written under dir, less the records in
// which the test harness echoes the test's own configuration (where the
// token stands as a literal, as it would in a user's .tf file).
func readLogs(t *testing.T, dir string) string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	record := regexp.MustCompile(`(?m)^\d{4}-\d{2}-\d{2}T`)
	var kept strings.Builder
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		starts := append(record.FindAllStringIndex(text, -1), []int{len(text), len(text)})
		for i := 0; i+1 < len(starts); i++ {
			rec := text[starts[i][0]:starts[i+1][0]]
			if !strings.Contains(rec, "sdk.helper_resource: Setting Terraform configuration") {
				kept.WriteString(rec)
			}
		}
	}
	return kept.String()
}

// Another bot's token in a resource's own auth_token is refused, as it
// must be when the token is known only at apply; the error's remedy, a new
// resource address, moves the webhook: the old bot's goes, the new one's
// is set.
func TestAccWebhook_tokenOfAnotherBotRefused(t *testing.T) {
	v := newTestViber(t)
	v.emu.AddAccount(otherToken, emulator.Account{ID: "pa:2", Name: "Other"})
	v.endpoint.AddToken(otherToken)
	cfg := func(name, token string) string {
		return fmt.Sprintf("provider \"viber\" {\n  api_url = %q\n}\nresource \"viber_webhook\" %q {\n  auth_token = %q\n  url = %q\n}\n",
			v.apiURL, name, token, v.hookURL("/viber"))
	}
	t.Setenv("VIBER_AUTH_TOKEN", "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg("bot", testToken), Check: resource.TestCheckResourceAttr(res, "id", testID)},
			{
				Config:      cfg("bot", otherToken),
				ExpectError: regexp.MustCompile(`(?s)The auth token belongs to another bot.*"` + testID + `".*"pa:2".*new address`),
			},
			{
				Config: cfg("moved", otherToken),
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr("viber_webhook.moved", "id", "pa:2"),
					v.holds(nil), // the first bot's webhook is gone
					check(func() error {
						if _, ok := v.emu.Webhook(otherToken); !ok {
							return fmt.Errorf("the other bot holds no webhook")
						}
						return nil
					}),
				),
			},
		},
	})
}

// A provider-level token that now belongs to another bot is an error, not
// a silent switch to the other bot's webhook.
func TestAccWebhook_providerTokenOfAnotherBot(t *testing.T) {
	v := newTestViber(t)
	v.emu.AddAccount(otherToken, emulator.Account{ID: "pa:2"})
	body := fmt.Sprintf("url = %q", v.hookURL("/viber"))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: webhookConfig(v, body)},
			{
				Config:      v.providerBlock(otherToken) + fmt.Sprintf("resource \"viber_webhook\" \"bot\" {\n  %s\n}\n", body),
				ExpectError: regexp.MustCompile(`(?s)The auth token belongs to another bot.*"pa:75346594275468546724".*"pa:2"`),
			},
			{Config: webhookConfig(v, body), Check: v.holds(&emulator.Webhook{URL: v.hookURL("/viber")})},
		},
	})
}

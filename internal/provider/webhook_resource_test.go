package provider_test

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/viberops/terraform-provider-viber/internal/emulator"
)

const res = "viber_webhook.bot"

func webhookConfig(v *testViber, body string) string {
	return v.providerBlock(testToken) + fmt.Sprintf(`
resource "viber_webhook" "bot" {
%s
}
`, body)
}

// holds checks what the emulator's Viber now holds for the test bot.
func (v *testViber) holds(want *emulator.Webhook) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got, ok := v.emu.Webhook(testToken)
		switch {
		case want == nil && ok:
			return fmt.Errorf("Viber still holds a webhook: %+v", got)
		case want == nil:
			return nil
		case !ok:
			return fmt.Errorf("Viber holds no webhook, want %+v", *want)
		case !reflect.DeepEqual(got, *want):
			return fmt.Errorf("Viber holds %+v, want %+v", got, *want)
		}
		return nil
	}
}

func check(f func() error) resource.TestCheckFunc {
	return func(*terraform.State) error { return f() }
}

var emptyPlanAfterApply = resource.ConfigPlanChecks{
	PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
}

func TestAccWebhook_lifecycle(t *testing.T) {
	v := newTestViber(t)
	url1, url2 := v.hookURL("/viber"), v.hookURL("/v2/viber")

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy: resource.ComposeTestCheckFunc(
			v.holds(nil),
			check(v.lastSetWebhook(`{"url":""}`)),
		),
		Steps: []resource.TestStep{
			{ // Omitted event_types: every event, and no event_types key on the wire.
				Config:           webhookConfig(v, fmt.Sprintf("url = %q", url1)),
				ConfigPlanChecks: emptyPlanAfterApply,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("id"), knownvalue.StringExact(testID)),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("url"), knownvalue.StringExact(url1)),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("event_types"), knownvalue.Null()),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("send_name"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("send_photo"), knownvalue.Bool(false)),
				},
				Check: resource.ComposeTestCheckFunc(
					check(v.lastSetWebhook(fmt.Sprintf(`{"url":%q,"send_name":false,"send_photo":false}`, url1))),
					v.holds(&emulator.Webhook{URL: url1}),
					check(func() error {
						for _, r := range v.emu.Requests() {
							if !strings.HasPrefix(r.UserAgent, "terraform-provider-viber/test Terraform/") {
								return fmt.Errorf("%s sent User-Agent %q, want the provider and its version", r.Method, r.UserAgent)
							}
						}
						return nil
					}),
					check(func() error {
						cbs := v.endpoint.Callbacks()
						if len(cbs) == 0 || !cbs[len(cbs)-1].Verified {
							return fmt.Errorf("endpoint got no verified availability callback: %+v", cbs)
						}
						return nil
					}),
				),
			},
			{ // [] means mandatory events only, and must reach Viber as [].
				Config:           webhookConfig(v, fmt.Sprintf("url = %q\nevent_types = []", url1)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)}, PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("event_types"), knownvalue.SetExact([]knownvalue.Check{})),
				},
				Check: resource.ComposeTestCheckFunc(
					check(v.lastSetWebhook(fmt.Sprintf(`{"url":%q,"event_types":[],"send_name":false,"send_photo":false}`, url1))),
					v.holds(&emulator.Webhook{URL: url1, EventTypes: []string{}}),
				),
			},
			{ // A subset, with a mandatory type listed: sent as written, state kept as written.
				Config:           webhookConfig(v, fmt.Sprintf("url = %q\nevent_types = [\"seen\", \"delivered\", \"subscribed\"]\nsend_name = true", url1)),
				ConfigPlanChecks: emptyPlanAfterApply,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("event_types"), knownvalue.SetExact([]knownvalue.Check{
						knownvalue.StringExact("delivered"), knownvalue.StringExact("seen"), knownvalue.StringExact("subscribed"),
					})),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("send_name"), knownvalue.Bool(true)),
				},
				Check: check(v.lastSetWebhook(fmt.Sprintf(
					`{"url":%q,"event_types":["delivered","seen","subscribed"],"send_name":true,"send_photo":false}`, url1))),
			},
			{ // A new url and back to every event: one in-place update.
				Config: webhookConfig(v, fmt.Sprintf("url = %q\nsend_photo = true", url2)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("url"), knownvalue.StringExact(url2)),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("event_types"), knownvalue.Null()),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("id"), knownvalue.StringExact(testID)),
				},
				Check: resource.ComposeTestCheckFunc(
					check(v.lastSetWebhook(fmt.Sprintf(`{"url":%q,"send_name":false,"send_photo":true}`, url2))),
					v.holds(&emulator.Webhook{URL: url2, SendPhoto: true}),
				),
			},
		},
	})
}

func TestAccWebhook_drift(t *testing.T) {
	v := newTestViber(t)
	url := v.hookURL("/viber")
	cfg := webhookConfig(v, fmt.Sprintf("url = %q\nevent_types = [\"delivered\", \"seen\"]", url))
	want := &emulator.Webhook{URL: url, EventTypes: []string{"delivered", "seen"}}
	repairs := func(action plancheck.ResourceActionType) resource.ConfigPlanChecks {
		return resource.ConfigPlanChecks{
			PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, action)},
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		}
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg, ConfigPlanChecks: emptyPlanAfterApply, Check: v.holds(want)},
			{ // Someone points the webhook elsewhere.
				PreConfig: func() {
					v.emu.SetWebhook(testToken, &emulator.Webhook{URL: "https://elsewhere.example/hook", EventTypes: []string{"delivered", "seen"}})
				},
				Config:           cfg,
				ConfigPlanChecks: repairs(plancheck.ResourceActionUpdate),
				Check:            v.holds(want),
			},
			{ // Someone changes the event types: the refreshed state shows what Viber now delivers.
				PreConfig:    func() { v.emu.SetWebhook(testToken, &emulator.Webhook{URL: url, EventTypes: []string{"failed"}}) },
				RefreshState: true,
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(res, "event_types.#", "1"),
					resource.TestCheckTypeSetElemAttr(res, "event_types.*", "failed"),
				),
				ExpectNonEmptyPlan: true,
			},
			{Config: cfg, ConfigPlanChecks: repairs(plancheck.ResourceActionUpdate), Check: v.holds(want)},
			{ // Someone switches every event on: canonical form is null.
				PreConfig:          func() { v.emu.SetWebhook(testToken, &emulator.Webhook{URL: url}) },
				RefreshState:       true,
				Check:              resource.TestCheckNoResourceAttr(res, "event_types.#"),
				ExpectNonEmptyPlan: true,
			},
			{Config: cfg, ConfigPlanChecks: repairs(plancheck.ResourceActionUpdate), Check: v.holds(want)},
			{ // Someone removes the webhook: the plan recreates it.
				PreConfig:        func() { v.emu.SetWebhook(testToken, nil) },
				Config:           cfg,
				ConfigPlanChecks: repairs(plancheck.ResourceActionCreate),
				Check:            v.holds(want),
			},
		},
	})
}

// Viber's answers add mandatory and server-only types and vary the order;
// none of that may show as drift, whatever form the configuration takes.
func TestAccWebhook_noFalseDrift(t *testing.T) {
	v := newTestViber(t)
	url := v.hookURL("/viber")
	var steps []resource.TestStep
	for _, types := range []string{
		``,
		`event_types = []`,
		`event_types = ["subscribed", "unsubscribed"]`,
		`event_types = ["delivered", "seen", "failed", "conversation_started"]`,
		`event_types = ["delivered", "seen", "failed", "conversation_started", "subscribed", "unsubscribed"]`,
		`event_types = ["conversation_started"]`,
	} {
		steps = append(steps,
			resource.TestStep{Config: webhookConfig(v, fmt.Sprintf("url = %q\n%s", url, types)), ConfigPlanChecks: emptyPlanAfterApply},
			resource.TestStep{ // several refreshes: each answer comes in another order
				RefreshState: true,
				RefreshPlanChecks: resource.RefreshPlanChecks{
					PostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		)
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: protoV6ProviderFactories, Steps: steps})
}

// Viber is reported to drop query strings: that is a warning, not drift.
func TestAccWebhook_queryStringIsNotDrift(t *testing.T) {
	v := newTestViber(t)
	url := v.hookURL("/viber?bot=1")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:           webhookConfig(v, fmt.Sprintf("url = %q", url)),
			ConfigPlanChecks: emptyPlanAfterApply,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(res, tfjsonpath.New("url"), knownvalue.StringExact(url)),
			},
			Check: v.holds(&emulator.Webhook{URL: v.hookURL("/viber")}),
		}},
	})
}

func TestAccWebhook_import(t *testing.T) {
	v := newTestViber(t)
	url := v.hookURL("/viber")
	cfg := webhookConfig(v, fmt.Sprintf("url = %q\nevent_types = [\"seen\", \"failed\"]", url))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg},
			{ResourceName: res, ImportState: true, ImportStateId: testID, ImportStateVerify: true},
			{ResourceName: res, ImportState: true, ImportStateKind: resource.ImportBlockWithID, ImportStateId: testID,
				ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionNoop)}}},
			// The import has no configuration to take a token from; the plan that
			// follows it checks the ID with the token the resource uses.
			{ResourceName: res, ImportState: true, ImportStateKind: resource.ImportBlockWithID, ImportStateId: "pa:00000000000000000000",
				ExpectError: regexp.MustCompile(`(?s)Import ID is not this bot's account ID.*pa:00000000000000000000.*pa:75346594275468546724`)},
		},
	})
}

// A webhook made outside Terraform imports in canonical form, and a
// configuration that says the same plans nothing after the import.
func TestAccWebhook_importExisting(t *testing.T) {
	v := newTestViber(t)
	url := v.hookURL("/existing")
	v.emu.SetWebhook(testToken, &emulator.Webhook{URL: url, EventTypes: []string{"seen", "subscribed"}, SendName: true})
	importBlock := fmt.Sprintf("\nimport {\n  to = %s\n  id = %q\n}\n", res, testID)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: webhookConfig(v, fmt.Sprintf("url = %q\nevent_types = [\"seen\"]", url)) + importBlock,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionNoop)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("event_types"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("seen")})),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("send_name"), knownvalue.Bool(false)),
				},
				Check: check(func() error {
					if n := len(v.emu.RequestsTo("set_webhook")); n != 0 {
						return fmt.Errorf("import made %d set_webhook calls, want none", n)
					}
					return nil
				}),
			},
		},
	})
}

func TestAccWebhook_importWithoutWebhook(t *testing.T) {
	v := newTestViber(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      webhookConfig(v, fmt.Sprintf("url = %q", v.hookURL("/x"))) + fmt.Sprintf("\nimport {\n  to = %s\n  id = %q\n}\n", res, testID),
			ExpectError: regexp.MustCompile(`No webhook to import`),
		}},
	})
}

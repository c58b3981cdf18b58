package provider_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/viberops/terraform-provider-viber/internal/emulator"
)

// Resource identity came with Terraform 1.12 and OpenTofu 1.12 (which
// reports its own version to the checks).
var identityCLIs = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(version.Must(version.NewVersion("1.12.0")))}

func expectIdentity(accountID string) statecheck.StateCheck {
	return statecheck.ExpectIdentity(res, map[string]knownvalue.Check{"account_id": knownvalue.StringExact(accountID)})
}

// The identity is recorded on create and after a refresh, and an import by
// identity adopts the object with no change.
func TestAccWebhook_identity(t *testing.T) {
	v := newTestViber(t)
	cfg := webhookConfig(v, fmt.Sprintf("url = %q", v.hookURL("/viber")))
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   identityCLIs,
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg, ConfigStateChecks: []statecheck.StateCheck{expectIdentity(testID)}},
			{ // refreshed, with nothing to change
				Config:            cfg,
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{expectIdentity(testID)},
			},
			{
				ResourceName: res, ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity,
				ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionNoop)}},
			},
		},
	})
}

// A webhook set outside Terraform imports by identity, as the README shows,
// without a set_webhook call; the identity and the ID agree afterwards.
func TestAccWebhook_importByIdentity(t *testing.T) {
	v := newTestViber(t)
	url := v.hookURL("/existing")
	v.emu.SetWebhook(testToken, &emulator.Webhook{URL: url, EventTypes: []string{"delivered", "seen"}})
	importBlock := func(accountID string) string {
		return fmt.Sprintf("\nimport {\n  to       = %s\n  identity = { account_id = %q }\n}\n", res, accountID)
	}
	cfg := webhookConfig(v, fmt.Sprintf("url = %q\nevent_types = [\"delivered\", \"seen\"]", url))
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   identityCLIs,
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{ // another bot's account ID is refused, as with import by ID
				Config:      cfg + importBlock("pa:00000000000000000000"),
				ExpectError: regexp.MustCompile(`(?s)Import ID is not this bot's account ID.*"pa:00000000000000000000".*pa:75346594275468546724`),
			},
			{
				Config: cfg + importBlock(testID),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionNoop)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					expectIdentity(testID),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("id"), knownvalue.StringExact(testID)),
				},
				Check: check(func() error {
					if n := len(v.emu.RequestsTo("set_webhook")); n != 0 {
						return fmt.Errorf("importing by identity made %d set_webhook calls, want none", n)
					}
					return nil
				}),
			},
		},
	})
}

// An identity never changes over the object's life: another bot's key
// replaces the webhook, and the new object has the other bot's identity.
func TestAccWebhook_identityOfReplacement(t *testing.T) {
	v := newTestViber(t)
	v.emu.AddAccount(otherToken, emulator.Account{ID: "pa:2", Name: "Other"})
	v.endpoint.AddToken(otherToken)
	cfg := func(key string, path string) string {
		return fmt.Sprintf("provider \"viber\" {\n  api_url = %q\n  bots = { first = %q, other = %q }\n}\n"+
			"resource \"viber_webhook\" \"bot\" {\n  bot = %q\n  url = %q\n}\n",
			v.apiURL, testToken, otherToken, key, v.hookURL(path))
	}
	t.Setenv("VIBER_AUTH_TOKEN", "")
	t.Setenv("VIBER_BOTS", "")
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   identityCLIs,
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg("first", "/a"), ConfigStateChecks: []statecheck.StateCheck{expectIdentity(testID)}},
			{ // an update in place keeps the identity
				Config: cfg("first", "/b"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{expectIdentity(testID)},
			},
			{
				Config: cfg("other", "/b"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionDestroyBeforeCreate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{expectIdentity("pa:2")},
			},
		},
	})
}

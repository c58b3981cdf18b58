package provider_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/viberops/terraform-provider-viber/internal/emulator"
)

const account = "data.viber_account.bot"

func TestAccAccountDataSource_withAndWithoutWebhook(t *testing.T) {
	v := newTestViber(t)
	v.emu.AddAccount(testToken, emulator.Account{
		ID: testID, Name: "Pizza Bot", URI: "pizzabot", Icon: "https://media.example/icon.png",
		Background: "https://media.example/bg.png", Category: "Food", Subcategory: "Pizza", Country: "UA",
		Location: emulator.Location{Lat: 50.45, Lon: 30.52}, SubscribersCount: 1234,
		Members: []emulator.Member{{ID: "01234567890A=", Name: "Ann", Avatar: "https://media.example/ann.png", Role: "superadmin"}},
	})
	cfg := v.providerBlock(testToken) + `data "viber_account" "bot" {}`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(account, tfjsonpath.New("id"), knownvalue.StringExact(testID)),
					statecheck.ExpectKnownValue(account, tfjsonpath.New("name"), knownvalue.StringExact("Pizza Bot")),
					statecheck.ExpectKnownValue(account, tfjsonpath.New("uri"), knownvalue.StringExact("pizzabot")),
					statecheck.ExpectKnownValue(account, tfjsonpath.New("icon"), knownvalue.StringExact("https://media.example/icon.png")),
					statecheck.ExpectKnownValue(account, tfjsonpath.New("background"), knownvalue.StringExact("https://media.example/bg.png")),
					statecheck.ExpectKnownValue(account, tfjsonpath.New("category"), knownvalue.StringExact("Food")),
					statecheck.ExpectKnownValue(account, tfjsonpath.New("subcategory"), knownvalue.StringExact("Pizza")),
					statecheck.ExpectKnownValue(account, tfjsonpath.New("country"), knownvalue.StringExact("UA")),
					statecheck.ExpectKnownValue(account, tfjsonpath.New("location"), knownvalue.ObjectExact(map[string]knownvalue.Check{
						"lat": knownvalue.Float64Exact(50.45), "lon": knownvalue.Float64Exact(30.52),
					})),
					statecheck.ExpectKnownValue(account, tfjsonpath.New("subscribers_count"), knownvalue.Int64Exact(1234)),
					statecheck.ExpectKnownValue(account, tfjsonpath.New("members"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{
							"id": knownvalue.StringExact("01234567890A="), "name": knownvalue.StringExact("Ann"),
							"avatar": knownvalue.StringExact("https://media.example/ann.png"), "role": knownvalue.StringExact("superadmin"),
						}),
					})),
					statecheck.ExpectKnownValue(account, tfjsonpath.New("webhook"), knownvalue.StringExact("")),
					statecheck.ExpectKnownValue(account, tfjsonpath.New("event_types"), knownvalue.SetExact([]knownvalue.Check{})),
				},
			},
			{
				PreConfig: func() {
					v.emu.SetWebhook(testToken, &emulator.Webhook{URL: "https://bots.example/hook", EventTypes: []string{"seen", "delivered"}})
				},
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(account, tfjsonpath.New("webhook"), knownvalue.StringExact("https://bots.example/hook")),
					// Mandatory types kept, server-only ones (webhook, client_status, action) dropped.
					statecheck.ExpectKnownValue(account, tfjsonpath.New("event_types"), knownvalue.SetExact([]knownvalue.Check{
						knownvalue.StringExact("delivered"), knownvalue.StringExact("message"), knownvalue.StringExact("seen"),
						knownvalue.StringExact("subscribed"), knownvalue.StringExact("unsubscribed"),
					})),
				},
			},
		},
	})
}

// Fields Viber leaves out are null, not errors; the data source may carry
// its own token.
func TestAccAccountDataSource_missingFieldsAndOwnToken(t *testing.T) {
	v := newTestViber(t)
	v.emu.AddAccount(otherToken, emulator.Account{
		ID: "pa:2", Name: "Sparse Bot",
		Omit: []string{"uri", "icon", "background", "category", "subcategory", "location", "country", "subscribers_count", "members"},
	})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: v.providerBlock(testToken) + fmt.Sprintf("data \"viber_account\" \"bot\" {\n  auth_token = %q\n}\n", otherToken),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(account, tfjsonpath.New("id"), knownvalue.StringExact("pa:2")),
				statecheck.ExpectKnownValue(account, tfjsonpath.New("name"), knownvalue.StringExact("Sparse Bot")),
				statecheck.ExpectKnownValue(account, tfjsonpath.New("uri"), knownvalue.Null()),
				statecheck.ExpectKnownValue(account, tfjsonpath.New("icon"), knownvalue.Null()),
				statecheck.ExpectKnownValue(account, tfjsonpath.New("location"), knownvalue.Null()),
				statecheck.ExpectKnownValue(account, tfjsonpath.New("country"), knownvalue.Null()),
				statecheck.ExpectKnownValue(account, tfjsonpath.New("subscribers_count"), knownvalue.Null()),
				statecheck.ExpectKnownValue(account, tfjsonpath.New("members"), knownvalue.Null()),
				statecheck.ExpectKnownValue(account, tfjsonpath.New("webhook"), knownvalue.StringExact("")),
			},
		}},
	})
}

// timeouts { read } bounds a read and its retries, as the resource's does.
func TestAccAccountDataSource_readTimeout(t *testing.T) {
	v := newTestViber(t)
	config := v.providerBlock(testToken) + "data \"viber_account\" \"bot\" {\n  timeouts {\n    read = \"1s\"\n  }\n}\n"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(account, tfjsonpath.New("id"), knownvalue.StringExact(testID)),
					statecheck.ExpectKnownValue(account, tfjsonpath.New("timeouts").AtMapKey("read"), knownvalue.StringExact("1s")),
				},
			},
			{
				PreConfig:   func() { v.emu.SetFaults(emulator.Faults{RateLimitEvery: 1}) },
				Config:      config,
				ExpectError: regexp.MustCompile(`(?s)Tried \d+ times over 1s.*tooManyRequests`),
			},
		},
	})
}

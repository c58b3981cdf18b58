package provider_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/viberops/terraform-provider-viber/internal/emulator"
)

const examplesDir = "../../examples"

// exampleHost matches the made-up endpoints the examples use.
var exampleHost = regexp.MustCompile(`https://[a-z.]+\.example\.com`)

// exampleConfig returns the provider example followed by the named example
// files, with only the endpoint replaced by the local bot's.
func exampleConfig(t *testing.T, v *testViber, files ...string) string {
	t.Helper()
	var b strings.Builder
	for _, f := range append([]string{"provider/provider.tf"}, files...) {
		src, err := os.ReadFile(filepath.Join(examplesDir, f))
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString(exampleHost.ReplaceAllString(string(src), v.endpoint.URL()))
		b.WriteString("\n")
	}
	return b.String()
}

// useExampleProvider makes the examples work as written: they configure
// the provider through the environment and name it viberops/viber.
func useExampleProvider(t *testing.T, v *testViber) {
	t.Setenv("TF_ACC_PROVIDER_NAMESPACE", "viberops")
	t.Setenv("VIBER_AUTH_TOKEN", testToken)
	t.Setenv("VIBER_API_URL", v.apiURL)
}

// Every resource example applies against the local Viber, plans nothing
// afterwards, and leaves nothing behind on destroy.
func TestAccExamples_resources(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(examplesDir, "resources", "*", "resource*.tf"))
	if err != nil || len(files) < 5 {
		t.Fatalf("found %d resource examples (%v), want at least 5", len(files), err)
	}
	for _, file := range files {
		rel, _ := filepath.Rel(examplesDir, file)
		t.Run(rel, func(t *testing.T) {
			v := newTestViber(t)
			useExampleProvider(t, v)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:           exampleConfig(t, v, rel),
					ConfigPlanChecks: emptyPlanAfterApply,
					Check: check(func() error {
						if _, ok := v.emu.Webhook(testToken); !ok {
							return fmt.Errorf("%s set no webhook", rel)
						}
						return nil
					}),
				}},
				CheckDestroy: v.holds(nil),
			})
		})
	}
}

// Both import examples work as documented.
func TestAccExamples_import(t *testing.T) {
	v := newTestViber(t)
	useExampleProvider(t, v)
	script, err := os.ReadFile(filepath.Join(examplesDir, "resources/viber_webhook/import.sh"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := regexp.MustCompile(`(?m)^terraform import (\S+) (\S+)$`).FindStringSubmatch(string(script))
	if cmd == nil {
		t.Fatalf("import.sh has no terraform import command:\n%s", script)
	}
	address, id := cmd[1], cmd[2]
	if id != testID {
		t.Fatalf("import.sh imports %q; the local bot is %q", id, testID)
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{ // import block: the webhook exists, Terraform adopts it without changing it
				PreConfig: func() { v.emu.SetWebhook(testToken, &emulator.Webhook{URL: v.endpoint.URL() + "/viber/support"}) },
				Config:    exampleConfig(t, v, "resources/viber_webhook/resource.tf", "resources/viber_webhook/import-by-string-id.tf"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(address, plancheck.ResourceActionNoop)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: check(func() error {
					if n := len(v.emu.RequestsTo("set_webhook")); n != 0 {
						return fmt.Errorf("importing made %d set_webhook calls", n)
					}
					return nil
				}),
			},
			{ // terraform import, as import.sh runs it
				Config:            exampleConfig(t, v, "resources/viber_webhook/resource.tf"),
				ResourceName:      address,
				ImportState:       true,
				ImportStateId:     id,
				ImportStateVerify: true,
			},
		},
		CheckDestroy: v.holds(nil),
	})
}

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

	"github.com/viberops/terraform-provider-viber/internal/clitest"
	"github.com/viberops/terraform-provider-viber/internal/emulator"
)

const examplesDir = "../../examples"

// exampleHost matches the made-up endpoints the examples use.
var exampleHost = regexp.MustCompile(`https://[a-z.]+\.example\.com`)

// exampleWorkdir returns a working directory holding the provider example
// and the named example files, with only the endpoint replaced by the
// local bot's; the API URL and tokens come from the environment, as the
// examples say they should.
func exampleWorkdir(t *testing.T, v *testViber, files ...string) *clitest.Workdir {
	t.Helper()
	cli := clitest.CLIFromEnv(t)
	tokens, _ := json.Marshal(map[string]string{"sales": fleet["sales"].token, "support": fleet["support"].token})
	w := clitest.New(t, cli, clitest.ProviderDir(t),
		"VIBER_AUTH_TOKEN="+testToken, "VIBER_API_URL="+v.apiURL, "TF_VAR_bot_tokens="+string(tokens), "VIBER_BOTS="+string(tokens))
	for _, f := range append([]string{"provider/provider.tf"}, files...) {
		copyExample(t, v, w, f, filepath.Base(f))
	}
	return w
}

// copyExample writes the example file src (under examples/) to the file name
// in w, with only the endpoint replaced by the local bot's.
func copyExample(t *testing.T, v *testViber, w *clitest.Workdir, src, name string) {
	t.Helper()
	w.WriteFile(name, localExample(t, v, src))
}

// localExample returns the example file src (under examples/) with only the
// endpoint replaced by the local bot's.
func localExample(t *testing.T, v *testViber, src string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(examplesDir, src))
	if err != nil {
		t.Fatal(err)
	}
	return exampleHost.ReplaceAllString(string(b), v.endpoint.URL())
}

// Every resource and data source example applies against the local Viber
// with the real CLI, plans nothing afterwards, and leaves no webhook behind.
func TestAccExamples(t *testing.T) {
	var files []string
	for _, pattern := range []string{"resources/*/resource*.tf", "data-sources/*/data-source*.tf"} {
		found, err := filepath.Glob(filepath.Join(examplesDir, pattern))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, found...)
	}
	if len(files) < 7 {
		t.Fatalf("found %d examples, want at least 7: %v", len(files), files)
	}
	ctx := context.Background()
	for _, file := range files {
		rel, _ := filepath.Rel(examplesDir, file)
		t.Run(rel, func(t *testing.T) {
			v := newTestViber(t)
			for name, b := range fleet {
				v.emu.AddAccount(b.token, emulator.Account{ID: b.id, Name: name})
				v.endpoint.AddToken(b.token)
			}
			w := exampleWorkdir(t, v, rel)
			w.Apply(ctx)
			if strings.HasPrefix(rel, "resources/") && len(v.emu.RequestsTo("set_webhook")) == 0 {
				t.Errorf("%s set no webhook", rel)
			}
			requireEmptyPlan(ctx, t, w)
			w.Destroy(ctx)
			for _, token := range []string{testToken, fleet["sales"].token, fleet["support"].token} {
				if hook, ok := v.emu.Webhook(token); ok {
					t.Errorf("after destroy, a bot still holds %+v", hook)
				}
			}
		})
	}
}

// Both import examples work as documented.
func TestAccExamples_import(t *testing.T) {
	ctx := context.Background()
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

	for _, block := range []struct{ name, file, minimum string }{
		{"import block", "import-by-string-id.tf", "1.5.0"},
		{"import block by identity", "import-by-identity.tf", "1.12.0"}, // resource identity: Terraform and OpenTofu 1.12
	} {
		t.Run(block.name, func(t *testing.T) {
			skipBelow(t, clitest.CLIFromEnv(t), block.minimum)
			v := newTestViber(t)
			v.emu.SetWebhook(testToken, &emulator.Webhook{URL: v.endpoint.URL() + "/viber/support"})
			w := exampleWorkdir(t, v, "resources/viber_webhook/resource.tf", "resources/viber_webhook/"+block.file)
			if res := w.Apply(ctx); !strings.Contains(res.Stdout, "1 imported, 0 added, 0 changed, 0 destroyed") {
				t.Errorf("%s did not import without changes:\n%s", block.file, res.Stdout)
			}
			if n := len(v.emu.RequestsTo("set_webhook")); n != 0 {
				t.Errorf("importing made %d set_webhook calls", n)
			}
			requireEmptyPlan(ctx, t, w)
		})
	}
	t.Run("import command", func(t *testing.T) {
		v := newTestViber(t)
		v.emu.SetWebhook(testToken, &emulator.Webhook{URL: v.endpoint.URL() + "/viber/support"})
		w := exampleWorkdir(t, v, "resources/viber_webhook/resource.tf")
		w.MustRun(ctx, "import", address, id)
		requireEmptyPlan(ctx, t, w)
	})
}

// quickStartTerraform is the quick start's terraform block.
var quickStartTerraform = regexp.MustCompile(`(?s)terraform \{\n  required_providers \{.*?\n\}\n`)

// The README's configurations (the quick start and the many-bots block)
// apply as they are, with only the endpoint replaced by the local bot's,
// plan nothing afterwards and destroy. TestAccGettingStarted runs the quick
// start as a newcomer does, with its CLI configuration and commands.
func TestAccExamples_readme(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var blocks []string
	for _, m := range regexp.MustCompile("(?s)```hcl\n(.*?)```").FindAllStringSubmatch(string(readme), -1) {
		if strings.Contains(m[1], `resource "viber_webhook"`) {
			blocks = append(blocks, m[1])
		}
	}
	if len(blocks) < 2 {
		t.Fatalf("README.md has %d configurations with a viber_webhook, want the quick start and the many-bots one", len(blocks))
	}
	ctx := context.Background()
	for i, block := range blocks {
		t.Run(fmt.Sprintf("block %d", i+1), func(t *testing.T) {
			if strings.Contains(block, "ephemeral = true") {
				skipBelow(t, clitest.CLIFromEnv(t), "1.10.0")
			}
			v, w := newFleet(t, "VIBER_AUTH_TOKEN="+fleet["alerts"].token, botTokens(nil))
			w.Setenv("VIBER_API_URL=" + v.apiURL)
			// The quick start is complete as printed; the README puts the
			// many-bots block after the quick start's terraform block.
			if !strings.Contains(block, "required_providers") {
				block = quickStartTerraform.FindString(blocks[0]) + "\n" + block
			}
			w.WriteFile("main.tf", exampleHost.ReplaceAllString(block, v.endpoint.URL()))
			w.Apply(ctx)
			if len(v.emu.RequestsTo("set_webhook")) == 0 {
				t.Error("the block set no webhook")
			}
			requireEmptyPlan(ctx, t, w)
			w.Destroy(ctx)
		})
	}
}

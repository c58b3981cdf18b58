package provider_test

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/viberops/terraform-provider-viber/internal/clitest"
)

// guideWorkdir is a working directory holding the guide example in dir,
// with only the endpoint replaced by the local bot's, for the fleet's bots
// and the test bot on a local Viber.
func guideWorkdir(t *testing.T, dir string, env ...string) (*testViber, *clitest.Workdir) {
	t.Helper()
	v, w := newFleet(t, env...)
	w.Setenv("VIBER_API_URL=" + v.apiURL)
	w.Write("") // the terraform block, for dev_overrides
	copyExample(t, v, w, filepath.Join("guides", dir, "main.tf"), "guide.tf")
	return v, w
}

// requireNoSecret fails the test when a token appears in the file at path,
// or, for a saved plan (a zip archive), in any file inside it.
func requireNoSecret(t *testing.T, path string, tokens ...string) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	contents := []string{string(raw)}
	if z, err := zip.OpenReader(path); err == nil {
		defer z.Close()
		for _, f := range z.File {
			r, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(r)
			_ = r.Close()
			if err != nil {
				t.Fatal(err)
			}
			contents = append(contents, string(b))
		}
		if len(z.File) == 0 {
			t.Fatalf("%s is an empty archive: the check would prove nothing", path)
		}
	}
	for _, c := range contents {
		for _, token := range tokens {
			if strings.Contains(c, token) {
				t.Errorf("%s holds an auth token", filepath.Base(path))
			}
		}
	}
}

// applySavedPlan plans to a file and applies it, failing the test when the
// plan file or the state afterwards holds any of tokens.
func applySavedPlan(ctx context.Context, t *testing.T, w *clitest.Workdir, tokens ...string) {
	t.Helper()
	w.MustRun(ctx, "plan", "-out=tfplan")
	requireNoSecret(t, filepath.Join(w.Dir, "tfplan"), tokens...)
	w.MustRun(ctx, "apply", "tfplan")
	requireNoSecret(t, filepath.Join(w.Dir, "terraform.tfstate"), tokens...)
}

// The ephemeral-variable guide: neither the state nor a saved plan holds
// the token.
func TestAccGuide_ephemeralToken(t *testing.T) {
	ctx := context.Background()
	cli := clitest.CLIFromEnv(t)
	skipBelow(t, cli, "1.10.0") // ephemeral variables: Terraform 1.10, OpenTofu 1.11
	v, w := guideWorkdir(t, "ephemeral-token", "TF_VAR_viber_token="+testToken)
	applySavedPlan(ctx, t, w, testToken)
	if _, ok := v.emu.Webhook(testToken); !ok {
		t.Fatal("the bot holds no webhook after apply")
	}
	requireEmptyPlan(ctx, t, w)
	w.Destroy(ctx)
}

// The aliased-providers guide, for any CLI: each bot gets its webhook and
// no token reaches the state.
func TestAccGuide_aliasedBots(t *testing.T) {
	ctx := context.Background()
	v, w := guideWorkdir(t, "aliased-bots",
		"TF_VAR_sales_token="+fleet["sales"].token, "TF_VAR_support_token="+fleet["support"].token)
	w.Apply(ctx)
	requireBotsHoldWebhooks(t, v, "sales", "support")
	requireNoSecret(t, filepath.Join(w.Dir, "terraform.tfstate"), fleet["sales"].token, fleet["support"].token)
	requireEmptyPlan(ctx, t, w)
	w.Destroy(ctx)
}

// The provider for_each guide, for OpenTofu 1.9 and later.
func TestAccGuide_providerForEach(t *testing.T) {
	ctx := context.Background()
	cli := clitest.CLIFromEnv(t)
	if !clitest.IsOpenTofu(cli) {
		t.Skip("for_each in provider blocks is OpenTofu's (1.9+); Terraform has none, so the guide uses aliased provider blocks there (TestAccGuide_aliasedBots)")
	}
	skipBelow(t, cli, "1.11.0") // the example's ephemeral variable
	tokens := `{"sales":"` + fleet["sales"].token + `","support":"` + fleet["support"].token + `"}`
	v, w := guideWorkdir(t, "provider-for-each", "TF_VAR_bot_tokens="+tokens)
	w.Apply(ctx)
	requireBotsHoldWebhooks(t, v, "sales", "support")
	requireNoSecret(t, filepath.Join(w.Dir, "terraform.tfstate"), fleet["sales"].token, fleet["support"].token)
	requireEmptyPlan(ctx, t, w)
	w.Destroy(ctx)
	for _, name := range []string{"sales", "support"} {
		if hook, ok := v.emu.Webhook(fleet[name].token); ok {
			t.Errorf("after destroy, %s still holds %+v", name, hook)
		}
	}
}

func requireBotsHoldWebhooks(t *testing.T, v *testViber, names ...string) {
	t.Helper()
	for _, name := range names {
		holdsURL(t, v, name, v.endpoint.URL()+"/viber/"+name)
	}
}

// The bots-map guide: neither the state nor a saved plan holds a token.
func TestAccGuide_botsMap(t *testing.T) {
	ctx := context.Background()
	cli := clitest.CLIFromEnv(t)
	skipBelow(t, cli, "1.10.0") // the example's ephemeral variable: Terraform 1.10, OpenTofu 1.11
	tokens := `{"sales":"` + fleet["sales"].token + `","support":"` + fleet["support"].token + `"}`
	v, w := guideWorkdir(t, "bots-map", "TF_VAR_bot_tokens="+tokens)
	applySavedPlan(ctx, t, w, fleet["sales"].token, fleet["support"].token)
	requireBotsHoldWebhooks(t, v, "sales", "support")
	requireEmptyPlan(ctx, t, w)
	w.Destroy(ctx)
}

// The migration the guide describes, on every CLI: from resource-level
// tokens to bot keys, in place, with no set_webhook and no token left in
// the state.
func TestAccGuide_botsMigration(t *testing.T) {
	ctx := context.Background()
	tokens := `{"sales":"` + fleet["sales"].token + `","support":"` + fleet["support"].token + `"}`
	v, w := guideWorkdir(t, "bots-map-migration", "TF_VAR_bot_tokens="+tokens)
	migrated, err := os.ReadFile(filepath.Join(w.Dir, "guide.tf"))
	if err != nil {
		t.Fatal(err)
	}
	w.WriteFile("guide.tf", fmt.Sprintf(`
variable "bot_tokens" {
  type      = map(string)
  sensitive = true
}

resource "viber_webhook" "bots" {
  for_each   = nonsensitive(toset(keys(var.bot_tokens)))
  auth_token = var.bot_tokens[each.key]
  url        = "%s/viber/${each.key}"
}
`, v.endpoint.URL()))
	w.Apply(ctx)
	requireBotsHoldWebhooks(t, v, "sales", "support")

	w.WriteFile("guide.tf", string(migrated))
	v.emu.ResetRequests()
	if res := w.Apply(ctx); !strings.Contains(res.Stdout, "0 added, 2 changed, 0 destroyed") {
		t.Errorf("the migration did not update both webhooks in place:\n%s", res.Stdout)
	}
	if n := len(v.emu.RequestsTo("set_webhook")); n != 0 {
		t.Errorf("the migration made %d set_webhook calls, want none", n)
	}
	requireBotsHoldWebhooks(t, v, "sales", "support")
	requireNoSecret(t, filepath.Join(w.Dir, "terraform.tfstate"), fleet["sales"].token, fleet["support"].token)
	requireEmptyPlan(ctx, t, w)
	w.Destroy(ctx)
}

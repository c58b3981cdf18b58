package provider_test

import (
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/viberops/terraform-provider-viber/internal/clitest"
)

// The guide "Testing configurations that use the provider": its module's
// test files, run with the CLI's own test command as the guide says.

const testingGuideDir = "guides/testing-configurations"

// The addresses the guide starts the emulator on, which its local-viber
// test file names.
const (
	guideAPIURL   = "http://127.0.0.1:8080/pa"
	guideEndpoint = "https://127.0.0.1:8443"
)

// copyTestingGuide copies the guide's module and test files into w,
// replacing each old string with its new one (strings.NewReplacer's pairs)
// and failing the test when an old string is in no file.
func copyTestingGuide(t *testing.T, w *clitest.Workdir, oldNew ...string) {
	t.Helper()
	root := filepath.Join(examplesDir, testingGuideDir)
	var all strings.Builder
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		all.Write(b)
		if err := os.MkdirAll(filepath.Join(w.Dir, filepath.Dir(rel)), 0o700); err != nil {
			return err
		}
		w.WriteFile(rel, strings.NewReplacer(oldNew...).Replace(string(b)))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(oldNew); i += 2 {
		if !strings.Contains(all.String(), oldNew[i]) {
			t.Fatalf("no file of the guide's example names %s, which the test replaces", oldNew[i])
		}
	}
}

// requireFilesPassed checks the line the test command prints for each
// test file once its runs are done; call it before requireTestPassed,
// which shows the output when the test has failed.
func requireFilesPassed(t *testing.T, res clitest.Result, files ...string) {
	t.Helper()
	for _, f := range files {
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(f) + `\.\.\. pass$`).MatchString(res.Output()) {
			t.Errorf("the output does not report %s passed", f)
		}
	}
}

// requireGuideOutput checks that the CLI printed, in order, each line of
// the guide's output block that begins with first, as the guide says
// Terraform prints it (OpenTofu's lines differ, as the guide says).
func requireGuideOutput(t *testing.T, res clitest.Result, first string) {
	t.Helper()
	if clitest.IsOpenTofu(clitest.CLIFromEnv(t)) {
		return
	}
	page, err := os.ReadFile("../../docs/guides/testing-configurations.md")
	if err != nil {
		t.Fatal(err)
	}
	_, block, ok := strings.Cut(string(page), "```text\n"+first+"\n")
	if !ok {
		t.Fatalf("the guide shows no output that begins with %q", first)
	}
	block, _, _ = strings.Cut(first+"\n"+block, "```")
	out := strings.Split(res.Output(), "\n")
	for _, want := range strings.Split(strings.TrimSpace(block), "\n") {
		if want == "" {
			continue
		}
		i := slices.Index(out, want)
		if i < 0 {
			t.Errorf("the guide shows %q, which the CLI did not print here (or not in this order)", want)
			return
		}
		out = out[i+1:]
	}
}

// The mock examples pass with no Viber at all. A local Viber and a token
// are in the environment, where the provider would find them, so a call the
// mock failed to stand in for would be seen.
func TestAccTestingGuide_mockProvider(t *testing.T) {
	skipWithoutCLIFeature(t, "mock_provider in .tftest.hcl files", "1.7", "1.8") // a later release than the test command
	v := newTestViber(t)
	w := clitest.New(t, clitest.CLIFromEnv(t), clitest.ProviderDir(t), "VIBER_API_URL="+v.apiURL, "VIBER_AUTH_TOKEN="+testToken)
	copyTestingGuide(t, w)
	res := testCommand(context.Background(), t, w)
	requireFilesPassed(t, res, "tests/override.tftest.hcl", "tests/webhooks.tftest.hcl")
	requireTestPassed(t, res, "account_id_from_an_override", "one_webhook_per_bot", "refuses_a_query_string", "account_ids_from_the_mock")
	requireGuideOutput(t, res, "tests/override.tftest.hcl... in progress")
	if calls := v.emu.Requests(); len(calls) != 0 {
		t.Errorf("the mock runs called the local Viber %d times (first %s), want none", len(calls), calls[0].Method)
	}
}

// The local-Viber example passes against the emulator, with only the two
// addresses it names replaced by the in-process emulator's: each run's
// apply sets the webhooks it says, and the teardown removes what is left.
func TestAccTestingGuide_localViber(t *testing.T) {
	skipWithoutTestCommand(t)
	v, w := newFleet(t)
	t.Setenv("VIBER_BOTS", "")
	h := watchBot(t, v, "sales")
	ep := v.endpoint.URL()
	copyTestingGuide(t, w, guideAPIURL, v.apiURL, guideEndpoint, ep)
	res := testCommand(context.Background(), t, w, "-test-directory=local-viber")
	requireFilesPassed(t, res, "local-viber/webhooks.tftest.hcl")
	requireTestPassed(t, res, "creates_a_webhook_per_bot", "moves_the_sales_bot", "drops_the_support_bot")
	requireGuideOutput(t, res, "local-viber/webhooks.tftest.hcl... in progress")
	requireHeld(t, v, h, ep+"/viber/sales", ep+"/viber/sales-v2", "")

	var support []string
	for _, r := range v.emu.RequestsTo("set_webhook") {
		if r.AccountID != fleet["support"].id {
			continue
		}
		var body struct{ URL string }
		if err := json.Unmarshal(r.Body, &body); err != nil {
			t.Fatal(err)
		}
		support = append(support, body.URL)
	}
	if want := []string{ep + "/viber/support", ""}; strings.Join(support, "\n") != strings.Join(want, "\n") {
		t.Errorf("the support bot's set_webhook calls set %q, want %q (\"\" removes)", support, want)
	}
	for _, name := range fleetNames {
		holdsURL(t, v, name, "")
	}
}

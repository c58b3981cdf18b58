package provider_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-version"

	"github.com/viberops/terraform-provider-viber/internal/clitest"
	"github.com/viberops/terraform-provider-viber/internal/emulator"
)

// terraform test (Terraform 1.6+, every OpenTofu) runs a module's
// .tftest.hcl files: each run block plans or applies the module against
// one state, kept from run to run, and the command destroys what the runs
// created when it ends. Users point the provider at a test API with the
// test file's own provider block. One viber_webhook applied by two run
// blocks is one resource changed twice, not two resources for one bot, and
// the teardown removes its webhook.

// hookHistory records, after every call the emulator answers, the webhook
// one bot holds: what a user would see by looking at the bot between the
// steps of the command.
type hookHistory struct {
	mu   sync.Mutex
	held []string // each change of the bot's webhook URL, "" for none
}

// watchBot routes the provider's calls to v's emulator through a server
// that records the webhook of the fleet bot name after each call.
func watchBot(t *testing.T, v *testViber, name string) *hookHistory {
	t.Helper()
	h := &hookHistory{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v.emu.ServeHTTP(w, r)
		url := ""
		if hook, ok := v.emu.Webhook(fleet[name].token); ok {
			url = hook.URL
		}
		h.mu.Lock()
		defer h.mu.Unlock()
		last := ""
		if n := len(h.held); n > 0 {
			last = h.held[n-1]
		}
		if url != last {
			h.held = append(h.held, url)
		}
	}))
	t.Cleanup(srv.Close)
	v.apiURL = srv.URL + emulator.BasePath
	return h
}

// changes returns the webhook URLs the bot held, in order ("" for none).
func (h *hookHistory) changes() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.held...)
}

// testCommandTokens are the two ways a test file's provider block gives
// the bot's token: the bots map, named by the resource's bot, or the
// provider's auth_token.
var testCommandTokens = []struct {
	name     string
	provider string // the token line(s) of the test file's provider block
	resource string // the token line of the resource, if any
}{
	{"bots", fmt.Sprintf("  bots = {\n    sales = %q\n  }\n", fleet["sales"].token), "  bot = \"sales\"\n"},
	{"auth_token", fmt.Sprintf("  auth_token = %q\n", fleet["sales"].token), ""},
}

// testCommandModule is the module under test: one webhook whose url is a
// variable, for the sales bot.
func testCommandModule(tokenLine string) string {
	return fmt.Sprintf(`
variable "url" {
  type = string
}

resource "viber_webhook" "hook" {
%s  url = var.url
}
`, tokenLine)
}

// testFileRun is one run block of the test file: its command, the url it
// gives the module, and assertions on what it planned or applied.
type testFileRun struct {
	name, command, url string
}

// testFile is a .tftest.hcl file whose provider block points the provider
// at v's emulator, with the runs in order.
func testFile(v *testViber, providerTokens string, runs ...testFileRun) string {
	var b strings.Builder
	fmt.Fprintf(&b, "provider \"viber\" {\n  api_url = %q\n%s%s}\n", v.apiURL, providerTokens, fastRetry)
	for _, r := range runs {
		fmt.Fprintf(&b, `
run %q {
  command = %s

  variables {
    url = %q
  }

  assert {
    condition     = viber_webhook.hook.url == %q
    error_message = "run %s: the webhook's url is ${viber_webhook.hook.url}"
  }
`, r.name, r.command, r.url, r.url, r.name)
		if r.command == "apply" {
			fmt.Fprintf(&b, `
  assert {
    condition     = viber_webhook.hook.id == %q
    error_message = "run %s: the webhook's id is ${viber_webhook.hook.id}"
  }
`, fleet["sales"].id, r.name)
		}
		b.WriteString("}\n")
	}
	return b.String()
}

// runTestCommand writes the module and its test file and runs the CLI's
// test command, skipping a Terraform without one.
func runTestCommand(ctx context.Context, t *testing.T, w *clitest.Workdir, module, tests string) clitest.Result {
	t.Helper()
	w.Write(module)
	w.WriteFile("webhook.tftest.hcl", tests)
	return testCommand(ctx, t, w)
}

// testCommand runs the CLI's test command in w with extra arguments
// (-test-directory, say), verbose, for at most five minutes.
func testCommand(ctx context.Context, t *testing.T, w *clitest.Workdir, args ...string) clitest.Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	return w.Run(ctx, append([]string{"test", "-verbose"}, args...)...)
}

// skipWithoutTestCommand skips a test on a Terraform older than 1.6,
// whose terraform test is the experimental one that ignores .tftest.hcl
// files (every OpenTofu runs them).
func skipWithoutTestCommand(t *testing.T) {
	t.Helper()
	skipWithoutCLIFeature(t, "terraform test that runs .tftest.hcl files", "1.6", "")
}

// skipWithoutCLIFeature skips a test, naming feature and the release it
// came in, on a Terraform older than terraform or an OpenTofu older than
// opentofu ("" when every OpenTofu has it).
func skipWithoutCLIFeature(t *testing.T, feature, terraform, opentofu string) {
	t.Helper()
	cli := clitest.CLIFromEnv(t)
	name, since := "Terraform", terraform
	if clitest.IsOpenTofu(cli) {
		name, since = "OpenTofu", opentofu
	}
	if since == "" {
		return
	}
	got, err := clitest.Version(cli)
	if err != nil {
		t.Fatal(err)
	}
	if got.LessThan(version.Must(version.NewVersion(since))) {
		t.Skipf("%s %s has no %s (it came in %s %s)", name, got, feature, name, since)
	}
}

// requireTestPassed checks what a user reads at the end of the test
// command: exit 0, each run passed, the summary, and nothing of the
// provider's refusals, inconsistencies, crashes, teardown leftovers, or a
// token.
func requireTestPassed(t *testing.T, res clitest.Result, runs ...string) {
	t.Helper()
	out := res.Output()
	if res.ExitCode != 0 {
		t.Errorf("the test command exited %d, want 0", res.ExitCode)
	}
	for _, run := range runs {
		if !regexp.MustCompile(`(?m)^\s*run "` + regexp.QuoteMeta(run) + `"\.\.\. pass\b`).MatchString(out) {
			t.Errorf("the output does not report run %q passed", run)
		}
	}
	if want := fmt.Sprintf("Success! %d passed, 0 failed.", len(runs)); !strings.Contains(out, want) {
		t.Errorf("the output lacks %q", want)
	}
	for _, bad := range []string{
		"Two viber_webhook resources",
		"inconsistent",
		"bug in the provider",
		"left the following resources in state",
	} {
		if strings.Contains(out, bad) {
			t.Errorf("the output contains %q", bad)
		}
	}
	for name, b := range fleet {
		if strings.Contains(out, b.token) {
			t.Errorf("the output contains the %s token", name)
		}
	}
	if t.Failed() {
		t.Logf("the test command's output:\n%s", out)
	}
}

// requireHeld checks the bot's webhook through the command: it held
// exactly want, in order, and holds none now that the command has ended.
func requireHeld(t *testing.T, v *testViber, h *hookHistory, want ...string) {
	t.Helper()
	got := h.changes()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("through the test command the bot's webhook was %q, want %q (\"\" is none)", got, want)
	}
	holdsURL(t, v, "sales", "")
}

// Run 1 applies the webhook with url A, run 2 applies it again with url B:
// both pass, Viber holds B after run 2, and the teardown removes it.
func TestAccTestCommand_applyThenApply(t *testing.T) {
	walkTestFile(t, func(a, b string) ([]testFileRun, []string) {
		return []testFileRun{{"create", "apply", a}, {"move", "apply", b}}, []string{a, b, ""}
	})
}

// Run 1 only plans the webhook with url A, run 2 applies it, run 3
// changes it to url B: all pass, the plan sets nothing, Viber holds A then
// B, and the teardown removes it. (A plan-only run of a new webhook and a
// later run that creates it with another url are taken for two resources
// of one bot: one process cannot tell them apart; the docs say so.)
func TestAccTestCommand_planThenApply(t *testing.T) {
	walkTestFile(t, func(a, b string) ([]testFileRun, []string) {
		return []testFileRun{{"plan", "plan", a}, {"apply", "apply", a}, {"change", "apply", b}}, []string{a, b, ""}
	})
}

// walkTestFile runs, under each token path, a test file of the runs that
// file gives for two urls of the sales bot, and checks that every run
// passed and that the bot's webhook went through held, in order.
func walkTestFile(t *testing.T, file func(a, b string) (runs []testFileRun, held []string)) {
	skipWithoutTestCommand(t)
	for _, tc := range testCommandTokens {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			v, w := newFleet(t)
			t.Setenv("VIBER_BOTS", "")
			h := watchBot(t, v, "sales")
			runs, held := file(v.hookURL("/bots/sales/a"), v.hookURL("/bots/sales/b"))
			res := runTestCommand(ctx, t, w, testCommandModule(tc.resource), testFile(v, tc.provider, runs...))
			var names []string
			for _, r := range runs {
				names = append(names, r.name)
			}
			requireTestPassed(t, res, names...)
			requireHeld(t, v, h, held...)
		})
	}
}

// fleetTestProvider is a test file's provider block with every fleet bot
// in its bots map.
func fleetTestProvider(v *testViber) string {
	var b strings.Builder
	fmt.Fprintf(&b, "provider \"viber\" {\n  api_url = %q\n  bots = {\n", v.apiURL)
	for _, name := range fleetNames {
		fmt.Fprintf(&b, "    %s = %q\n", name, fleet[name].token)
	}
	b.WriteString("  }\n" + fastRetry + "}\n")
	return b.String()
}

// Found by review: a url known only at apply (it depends on another
// resource) is one create, though the run's plan and its apply's plan see
// the url differently in one process.
func TestAccTestCommand_urlKnownOnlyAtApply(t *testing.T) {
	testModuleRuns(t, `
variable "url" {
  type = string
}

resource "terraform_data" "path" {
  input = "x"
}

resource "viber_webhook" "hook" {
  bot = "sales"
  url = "${var.url}/${terraform_data.path.id}"
}
`, func(url string) [][2]string {
		return [][2]string{{"create", fmt.Sprintf("    url = %q\n", url)}}
	})
}

// Found by review: a for_each key renamed between runs without a moved
// block is the old webhook destroyed and a new one created, as with the
// CLI, not two resources for one bot.
func TestAccTestCommand_forEachKeyRenamed(t *testing.T) {
	testModuleRuns(t, `
variable "url" {
  type = string
}

variable "keys" {
  type = set(string)
}

resource "viber_webhook" "hook" {
  for_each = var.keys
  bot      = "sales"
  url      = "${var.url}/${each.key}"
}
`, func(url string) [][2]string {
		return [][2]string{
			{"first", fmt.Sprintf("    url  = %q\n    keys = [\"a\"]\n", url)},
			{"renamed", fmt.Sprintf("    url  = %q\n    keys = [\"b\"]\n", url)},
		}
	})
}

// Found by review: an imported webhook moved to another bot in a later run
// is replaced, as with the CLI; the import's check is for its own plan.
func TestAccTestCommand_importThenMove(t *testing.T) {
	testModuleRuns(t, `
variable "url" {
  type = string
}

variable "bot" {
  type = string
}

import {
  to = viber_webhook.hook
  id = "pa:100"
}

resource "viber_webhook" "hook" {
  bot = var.bot
  url = var.url
}
`, func(url string) [][2]string {
		return [][2]string{
			{"adopt", fmt.Sprintf("    url = %q\n    bot = \"sales\"\n", url)},
			{"move", fmt.Sprintf("    url = %q\n    bot = \"support\"\n", url)},
		}
	})
}

// testModuleRuns runs module with a test file of runs (name and variable
// lines, given sales' url), the provider holding every fleet bot and sales
// holding its webhook at the start; every run passes, and the teardown
// leaves no bot with a webhook.
func testModuleRuns(t *testing.T, module string, runs func(url string) [][2]string) {
	skipWithoutTestCommand(t)
	ctx := context.Background()
	v, w := newFleet(t)
	t.Setenv("VIBER_BOTS", "")
	v.giveWebhooks("sales")
	var b strings.Builder
	var names []string
	for _, r := range runs(v.hookURL("/bots/sales")) {
		fmt.Fprintf(&b, "\nrun %q {\n  variables {\n%s  }\n}\n", r[0], r[1])
		names = append(names, r[0])
	}
	requireTestPassed(t, runTestCommand(ctx, t, w, module, fleetTestProvider(v)+b.String()), names...)
	for _, name := range fleetNames {
		holdsURL(t, v, name, "")
	}
}

package provider_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/viberops/terraform-provider-viber/internal/clitest"
)

// quickStart is what a newcomer copies from a page: the CLI configuration
// with dev_overrides, main.tf, the endpoint's self-test (the guide only),
// the commands to run, and the fail-fast provider block (the guide only).
type quickStart struct {
	cliConfig, mainTF, selfTest, failFast string
	commands                              []string
}

// fenced returns the page's code blocks, in order, as language and text.
func fenced(t *testing.T, page string) [][2]string {
	t.Helper()
	b, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	var blocks [][2]string
	for _, m := range regexp.MustCompile("(?ms)^```(\\w*)\n(.*?)^```$").FindAllStringSubmatch(string(b), -1) {
		blocks = append(blocks, [2]string{m[1], m[2]})
	}
	return blocks
}

// readQuickStart picks the blocks a newcomer uses out of page, from the
// heading start on (the README's Installing and Quick start; the whole guide).
func readQuickStart(t *testing.T, page, start, end string) quickStart {
	t.Helper()
	var q quickStart
	b, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	from := strings.Index(text, start)
	to := strings.Index(text, end)
	if from < 0 || to < from {
		t.Fatalf("%s has no section from %q to %q", page, start, end)
	}
	section := filepath.Join(t.TempDir(), "section.md")
	if err := os.WriteFile(section, []byte(text[from:to]), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, block := range fenced(t, section) {
		lang, code := block[0], block[1]
		switch {
		case strings.Contains(code, "provider_installation"):
			q.cliConfig = code
		case strings.Contains(code, `resource "viber_webhook"`):
			q.mainTF = code
		case strings.Contains(code, "max_attempts"):
			q.failFast = code
		case strings.Contains(code, "curl "):
			q.selfTest = code
		case lang == "sh" || lang == "shell":
			for _, line := range strings.Split(code, "\n") {
				if strings.HasPrefix(line, "terraform ") {
					q.commands = append(q.commands, strings.TrimPrefix(line, "terraform "))
				}
			}
		}
	}
	if q.cliConfig == "" || q.mainTF == "" || len(q.commands) == 0 {
		t.Fatalf("%s lacks the CLI configuration, main.tf or the commands: %+v", page, q)
	}
	return q
}

// The README's Quick start and the getting-started guide work word for
// word: the CLI configuration they print (with the folder of this build),
// main.tf as printed (with only the endpoint replaced by the local bot's),
// the token in VIBER_AUTH_TOKEN, and the commands they say to run, answered
// "yes". No header, no flag and no other CLI configuration is added.
func TestAccGettingStarted(t *testing.T) {
	for _, page := range []struct{ name, path, start, end string }{
		{"README", "../../README.md", "## Installing", "## Many bots"},
		{"guide", "../../docs/guides/getting-started.md", "# Getting started", "## 5. Next steps"},
	} {
		t.Run(page.name, func(t *testing.T) {
			q := readQuickStart(t, page.path, page.start, page.end)
			if page.name == "guide" && (q.selfTest == "" || q.failFast == "") {
				t.Fatalf("the guide lacks the endpoint's self-test or the fail-fast block: %+v", q)
			}
			ctx := context.Background()
			v := newTestViber(t)
			w := clitest.New(t, clitest.CLIFromEnv(t), clitest.ProviderDir(t))
			folder := regexp.MustCompile(`"viberops/viber" = "([^"]+)"`).FindStringSubmatch(q.cliConfig)
			if folder == nil {
				t.Fatalf("the CLI configuration names no folder for viberops/viber:\n%s", q.cliConfig)
			}
			rc := filepath.Join(t.TempDir(), "terraformrc")
			if err := os.WriteFile(rc, []byte(strings.Replace(q.cliConfig, folder[1], clitest.ProviderDir(t), 1)), 0o600); err != nil {
				t.Fatal(err)
			}
			w.Setenv("TF_CLI_CONFIG_FILE="+rc, "VIBER_AUTH_TOKEN="+testToken, "VIBER_API_URL="+v.apiURL, "TF_INPUT=1")
			local := func(s string) string { return exampleHost.ReplaceAllString(s, v.endpoint.URL()) }

			if q.selfTest != "" {
				ca := filepath.Join(t.TempDir(), "endpoint.pem")
				if err := os.WriteFile(ca, v.endpoint.CertificatePEM(), 0o600); err != nil {
					t.Fatal(err)
				}
				cmd := exec.CommandContext(ctx, "bash", "-c", local(q.selfTest))
				cmd.Env = append(os.Environ(), "VIBER_AUTH_TOKEN="+testToken, "CURL_CA_BUNDLE="+ca)
				out, err := cmd.CombinedOutput()
				if err != nil || string(out) != "200\n" {
					t.Fatalf("the self-test printed %q (%v), want 200", out, err)
				}
			}

			w.WriteFile("main.tf", local(q.mainTF))
			run := func(args string) string {
				var stdout, stderr bytes.Buffer
				cmd := w.Command(ctx, &stdout, &stderr, strings.Fields(args)...)
				cmd.Stdin = strings.NewReader("yes\n")
				if err := cmd.Run(); err != nil {
					t.Fatalf("terraform %s: %v\n%s%s", args, err, stdout.String(), stderr.String())
				}
				return stdout.String()
			}
			var out string
			for _, args := range q.commands {
				out = run(args)
			}
			want := `webhook = "` + v.endpoint.URL() + `/viber"`
			if !strings.Contains(out, want) {
				t.Errorf("the apply's output lacks %s:\n%s", want, out)
			}
			if hook, ok := v.emu.Webhook(testToken); !ok || hook.URL != v.endpoint.URL()+"/viber" {
				t.Errorf("Viber holds %+v, want the quick start's webhook", hook)
			}
			requireEmptyPlan(ctx, t, w)
			w.Destroy(ctx)

			if q.failFast == "" {
				return
			}
			// While the endpoint is down, the fail-fast provider block makes
			// the apply fail at Viber's first refusal.
			providerLine := regexp.MustCompile(`(?m)^provider "viber" \{\}.*$`)
			if !providerLine.MatchString(q.mainTF) {
				t.Fatalf("main.tf has no provider \"viber\" {} line to replace:\n%s", q.mainTF)
			}
			w.WriteFile("main.tf", local(providerLine.ReplaceAllLiteralString(q.mainTF, q.failFast)))
			v.endpoint.ForceStatus(503)
			before := len(v.emu.RequestsTo("set_webhook"))
			res := w.Run(ctx, "apply", "-auto-approve")
			if res.ExitCode == 0 || !strings.Contains(res.Output(), "invalidUrl (1)") {
				t.Fatalf("with the endpoint down, the fail-fast apply did not fail with invalidUrl (1):\n%s", res.Output())
			}
			if n := len(v.emu.RequestsTo("set_webhook")) - before; n != 1 {
				t.Errorf("the fail-fast apply called set_webhook %d times, want 1", n)
			}
		})
	}
}

package provider_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/viberops/terraform-provider-viber/internal/clitest"
	"github.com/viberops/terraform-provider-viber/internal/viber"
)

// A provider token known only after apply (a secret created in the same
// apply) works without -target: the plan skips what needs Viber, apply
// configures the provider with the value, and later plans that cannot
// know it either still refresh nothing rather than fail.
func TestAccProvider_configurationKnownOnlyAfterApply(t *testing.T) {
	ctx := context.Background()
	v := newTestViber(t)
	w := clitest.New(t, clitest.CLIFromEnv(t), clitest.ProviderDir(t), "TF_VAR_token="+testToken, "VIBER_AUTH_TOKEN=")
	config := func(generation int) string {
		return fmt.Sprintf(`
variable "token" {
  type      = string
  sensitive = true
}

# Stands for a secret created in the same apply.
resource "terraform_data" "secret" {
  input            = var.token
  triggers_replace = [%d]
}

provider "viber" {
  api_url    = %q
  auth_token = terraform_data.secret.output
}

resource "viber_webhook" "bot" {
  url = %q
}
`, generation, v.apiURL, v.hookURL("/known-later"))
	}
	w.Write(config(1))
	res := w.Apply(ctx)
	if !strings.Contains(res.Stdout, "2 added") {
		t.Errorf("apply did not create the secret and the webhook:\n%s", res.Output())
	}
	if hook, ok := v.emu.Webhook(testToken); !ok || hook.URL != v.hookURL("/known-later") {
		t.Errorf("the bot holds %+v, want the webhook", hook)
	}
	requireEmptyPlan(ctx, t, w)

	// The secret replaced: the token is unknown again while planning.
	w.Write(config(2))
	res = w.Apply(ctx)
	if !strings.Contains(res.Stdout, "1 added, 0 changed, 1 destroyed") {
		t.Errorf("replacing the secret should leave the webhook alone:\n%s", res.Output())
	}
	requireEmptyPlan(ctx, t, w)
	w.Destroy(ctx)
	if _, ok := v.emu.Webhook(testToken); ok {
		t.Error("the webhook is still set after destroy")
	}
}

// An api_url that redirects never gets the token to the other host: the
// apply fails, naming the status and the host.
func TestAccProvider_redirectIsRefused(t *testing.T) {
	ctx := context.Background()
	v := newTestViber(t)
	var leaked int
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get(viber.AuthTokenHeader) != "" {
			leaked++
		}
		v.emu.ServeHTTP(w, r)
	}))
	t.Cleanup(elsewhere.Close)
	redirecting := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	t.Cleanup(redirecting.Close)
	w := clitest.New(t, clitest.CLIFromEnv(t), clitest.ProviderDir(t))
	w.Write(fmt.Sprintf("provider \"viber\" {\n  api_url    = %q\n  auth_token = %q\n}\n\nresource \"viber_webhook\" \"bot\" {\n  url = %q\n}\n",
		redirecting.URL+"/pa", testToken, v.hookURL("/hook")))
	res := w.Run(ctx, "apply", "-auto-approve")
	host := strings.TrimPrefix(elsewhere.URL, "http://")
	want := regexp.MustCompile(`(?s)The Viber API URL redirects elsewhere.*HTTP 307,\s+a\s+redirect\s+to\s+` + regexp.QuoteMeta(host))
	if res.ExitCode == 0 || !want.MatchString(res.Output()) {
		t.Errorf("apply exited %d, want the redirect refused, naming HTTP 307 and %s:\n%s", res.ExitCode, host, res.Output())
	}
	if leaked != 0 {
		t.Errorf("the host redirected to received the token %d times", leaked)
	}
}

// http:// is for emulators on this machine: elsewhere, the plan warns,
// naming the host; on 127.0.0.1 it stays silent.
func TestAccProvider_cleartextAPIURLWarns(t *testing.T) {
	ctx := context.Background()
	v := newTestViber(t)
	w := clitest.New(t, clitest.CLIFromEnv(t), clitest.ProviderDir(t))
	plan := func(apiURL string) string {
		w.Write(fmt.Sprintf("provider \"viber\" {\n  api_url    = %q\n  auth_token = %q\n}\n\nresource \"viber_webhook\" \"bot\" {\n  url = %q\n}\n",
			apiURL, testToken, v.hookURL("/hook")))
		return w.MustRun(ctx, "plan").Output()
	}
	if out := plan("http://viber-proxy.corp.example:8080/pa"); !strings.Contains(out, "sends tokens in clear text") ||
		!strings.Contains(out, `"viber-proxy.corp.example"`) {
		t.Errorf("no warning naming the host for a remote http:// api_url:\n%s", out)
	}
	for _, local := range []string{v.apiURL, strings.Replace(v.apiURL, "127.0.0.1", "localhost", 1)} {
		if out := plan(local); strings.Contains(out, "clear text") {
			t.Errorf("api_url %s warned:\n%s", local, out)
		}
	}
}

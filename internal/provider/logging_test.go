package provider_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/viberops/terraform-provider-viber/internal/clitest"
)

// The provider and the plugin SDK write log lines only when a TF_LOG*
// variable asks for them: Terraform discards every other line, after the
// provider has formatted it and Terraform has parsed it. The provider's
// stderr, where its log lines go, is kept in a file by a wrapper around the
// binary. Each line of those loggers names its module; go-plugin's two
// start-up lines per process, which name none, are not the provider's to
// silence.
func TestAccProvider_logsOnlyWhenAsked(t *testing.T) {
	for _, key := range []string{"TF_LOG", "TF_LOG_PATH", "TF_LOG_CORE", "TF_LOG_PROVIDER", "TF_LOG_PROVIDER_VIBER"} {
		t.Setenv(key, "") // the quiet case is the one under test, whatever the caller's environment
	}
	ctx := context.Background()
	v := newTestViber(t)
	stderr := filepath.Join(t.TempDir(), "provider-stderr.log")
	wrapper := t.TempDir()
	script := fmt.Sprintf("#!/bin/sh\nexec %q \"$@\" 2>>%q\n", filepath.Join(clitest.ProviderDir(t), "terraform-provider-viber"), stderr)
	if err := os.WriteFile(filepath.Join(wrapper, "terraform-provider-viber"), []byte(script), 0o700); err != nil { //nolint:gosec // an executable, for the CLI to run
		t.Fatal(err)
	}
	w := clitest.New(t, clitest.CLIFromEnv(t), wrapper)
	w.Write(webhookConfig(v, fmt.Sprintf("  url = %q", v.hookURL("/hook"))))
	logged := func() string {
		t.Helper()
		b, err := os.ReadFile(stderr)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		return string(b)
	}

	w.Apply(ctx)
	w.MustRun(ctx, "plan")
	if out := logged(); strings.Contains(out, `"@module"`) {
		t.Errorf("with no TF_LOG* variable, the provider or the SDK logged:\n%.3000s", out)
	}
	_ = os.Remove(stderr)

	w.Setenv("TF_LOG=debug")
	w.MustRun(ctx, "plan")
	out := logged()
	for _, want := range []string{"Configured Viber provider", "Viber API call"} {
		if !strings.Contains(out, want) {
			t.Errorf("with TF_LOG=debug, the provider did not log %q; it wrote:\n%.2000s", want, out)
		}
	}
	requireNoSecret(t, stderr, testToken)
}

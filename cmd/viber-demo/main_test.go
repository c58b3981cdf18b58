package main

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/viberops/terraform-provider-viber/internal/clitest"
)

// TestDemo runs `make demo`'s program with the real Terraform CLI, so a
// broken demo fails the build.
func TestDemo(t *testing.T) {
	terraform := clitest.CLIFromEnv(t)
	providerDir := t.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(providerDir, "terraform-provider-viber"), "../..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the provider: %v\n%s", err, out)
	}
	var out bytes.Buffer
	if err := run(context.Background(), options{terraform: terraform, providerDir: providerDir}, &out); err != nil {
		t.Fatalf("demo failed: %v\n%s", err, out.String())
	}
	for _, want := range []string{
		"Apply complete! Resources: 1 added",
		"signature verified: true",
		"No changes. Your infrastructure matches the configuration.",
		"Destroy complete! Resources: 1 destroyed.",
		"no webhook set",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("demo output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), demoToken) {
		t.Error("the demo printed the auth token")
	}
}

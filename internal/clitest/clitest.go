// Package clitest drives the real Terraform or OpenTofu CLI against a
// freshly built provider binary, through dev_overrides, as a user's
// pipeline would. terraform-plugin-testing cannot follow configurations with
// for_each (its legacy state shim rejects string instance keys), so tests of
// multi-bot configurations, and the benchmarks, use this instead.
package clitest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/go-version"
	tfjson "github.com/hashicorp/terraform-json"
)

// T is what the helpers need of a test; testing.TB has it, and so can a
// program (the benchmarks) that is not a test.
type T interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
	TempDir() string
}

// CLIFromEnv returns the CLI the acceptance tests use (TF_ACC_TERRAFORM_PATH),
// skipping tb when acceptance tests are off.
func CLIFromEnv(tb testing.TB) string {
	tb.Helper()
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if os.Getenv("TF_ACC") == "" || cli == "" {
		tb.Skip("set TF_ACC=1 and TF_ACC_TERRAFORM_PATH to run the real CLI")
	}
	return cli
}

// Version returns the version the CLI at path reports, as
// terraform-plugin-testing's version checks take it.
func Version(cli string) (*version.Version, error) {
	cmd := exec.Command(cli, "version", "-json")
	cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1")
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%s version -json: %w", cli, err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		return nil, fmt.Errorf("%s version -json printed %q: %w", cli, out, err)
	}
	return version.NewVersion(v.Version)
}

// IsOpenTofu reports whether the CLI at path is OpenTofu.
func IsOpenTofu(cli string) bool {
	cmd := exec.Command(cli, "version")
	cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1")
	out, _ := cmd.Output()
	return strings.Contains(string(out), "OpenTofu")
}

var (
	buildOnce sync.Once
	buildDir  string
	buildErr  error
)

// ProviderDir builds the provider once per test binary and returns the
// directory holding it, for dev_overrides. The build outlives any one test,
// so the test binary's TestMain calls RemoveBuild.
func ProviderDir(tb T) string {
	tb.Helper()
	buildOnce.Do(func() {
		buildDir, buildErr = Build(".", "terraform-provider-viber")
	})
	if buildErr != nil {
		tb.Fatal(buildErr)
	}
	return buildDir
}

// Build builds the main package pkg (relative to the module root) as
// binary in a new temporary directory, and returns the directory.
func Build(pkg, binary string) (string, error) {
	root, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}").Output()
	if err != nil {
		return "", fmt.Errorf("finding the module root: %w", err)
	}
	dir, err := os.MkdirTemp("", "viber-provider-") //nolint:usetesting // outlives any one test
	if err != nil {
		return "", err
	}
	cmd := exec.Command("go", "build", "-o", filepath.Join(dir, binary), pkg)
	cmd.Dir = strings.TrimSpace(string(root))
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building %s: %v\n%s", pkg, err, out)
	}
	return dir, nil
}

// RemoveBuild deletes the provider binary ProviderDir built, if any.
func RemoveBuild() {
	if buildDir != "" {
		_ = os.RemoveAll(buildDir)
	}
}

// Workdir is a configuration directory the CLI runs in.
type Workdir struct {
	tb        T
	cli       string
	Dir       string
	env       []string
	providers map[string]string // source address to the directory of its binary
}

// New returns an empty working directory whose CLI runs use the provider
// from providerDir and env (NAME=value) on top of the test's environment.
func New(tb T, cli, providerDir string, env ...string) *Workdir {
	tb.Helper()
	return NewWithProviders(tb, cli, map[string]string{"viberops/viber": providerDir}, env...)
}

// NewWithProviders is New with several providers: source address to the
// directory holding its binary.
func NewWithProviders(tb T, cli string, providers map[string]string, env ...string) *Workdir {
	tb.Helper()
	dir := tb.TempDir()
	base := []string{"TF_CLI_CONFIG_FILE=" + filepath.Join(dir, ".terraformrc"), "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1", "TF_INPUT=0"}
	w := &Workdir{tb: tb, cli: cli, Dir: dir, env: append(base, env...), providers: providers}
	w.writeCLIConfig("")
	return w
}

// EnableInit lets `init` install the providers too, as a pipeline's first
// step does: Terraform skips dev_overrides when installing, but Terraform
// 1.5 and OpenTofu look them up in the registry. A local mirror holds each
// provider as version 1.0.0, under both registries' host names; every other
// command still runs the dev_overrides binary.
func (w *Workdir) EnableInit() {
	w.tb.Helper()
	mirror := filepath.Join(w.Dir, ".mirror")
	for source, providerDir := range w.providers {
		binary := "terraform-provider-" + source[strings.LastIndex(source, "/")+1:]
		for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
			dir := filepath.Join(mirror, host, source, "1.0.0", runtime.GOOS+"_"+runtime.GOARCH)
			if err := os.MkdirAll(dir, 0o700); err != nil {
				w.tb.Fatal(err)
			}
			if err := os.Symlink(filepath.Join(providerDir, binary), filepath.Join(dir, binary+"_v1.0.0")); err != nil {
				w.tb.Fatal(err)
			}
		}
	}
	w.writeCLIConfig(mirror)
}

// writeCLIConfig writes the CLI configuration: dev_overrides for every
// provider and, when mirror is not empty, that mirror for installing them.
func (w *Workdir) writeCLIConfig(mirror string) {
	w.tb.Helper()
	var overrides, sources strings.Builder
	for source, providerDir := range w.providers {
		fmt.Fprintf(&overrides, "    %q = %q\n", source, providerDir)
		fmt.Fprintf(&sources, "%q, ", source)
	}
	install := "  direct {}\n"
	if mirror != "" {
		install = fmt.Sprintf("  filesystem_mirror {\n    path    = %q\n    include = [%s]\n  }\n  direct {\n    exclude = [%s]\n  }\n",
			mirror, sources.String(), sources.String())
	}
	config := fmt.Sprintf("provider_installation {\n  dev_overrides {\n%s  }\n%s}\n", overrides.String(), install)
	if err := os.WriteFile(filepath.Join(w.Dir, ".terraformrc"), []byte(config), 0o600); err != nil {
		w.tb.Fatal(err)
	}
}

// Env is the environment of the working directory's CLI runs: the test's,
// with the working directory's on top.
func (w *Workdir) Env() []string { return append(os.Environ(), w.env...) }

// CLI is the path of the CLI binary.
func (w *Workdir) CLI() string { return w.cli }

// Setenv adds NAME=value pairs to the environment of later CLI runs.
func (w *Workdir) Setenv(env ...string) { w.env = append(w.env, env...) }

// Header is the terraform block every configuration needs for dev_overrides.
const Header = `terraform {
  required_providers {
    viber = {
      source = "viberops/viber"
    }
  }
}
`

// Write replaces the configuration with config (Header is prepended).
func (w *Workdir) Write(config string) {
	w.tb.Helper()
	w.WriteFile("main.tf", Header+config)
}

// WriteFile writes content to the file name in the working directory, for
// configuration beside main.tf (more .tf files, a .tfquery.hcl).
func (w *Workdir) WriteFile(name, content string) {
	w.tb.Helper()
	if err := os.WriteFile(filepath.Join(w.Dir, name), []byte(content), 0o600); err != nil {
		w.tb.Fatal(err)
	}
}

// Result is what one CLI run printed.
type Result struct {
	Stdout, Stderr string
	ExitCode       int
}

// Output is stdout and stderr together, for error messages and greps.
func (r Result) Output() string { return r.Stdout + r.Stderr }

// Command returns the CLI command for args, with its output captured in
// stdout and stderr, for tests that need to signal it.
func (w *Workdir) Command(ctx context.Context, stdout, stderr *bytes.Buffer, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, w.cli, append(args, "-no-color")...)
	cmd.Dir = w.Dir
	cmd.Env = w.Env()
	cmd.Stdout, cmd.Stderr = stdout, stderr
	return cmd
}

// Run runs the CLI with args and returns what it printed; it fails the
// test only when the CLI could not be started.
func (w *Workdir) Run(ctx context.Context, args ...string) Result {
	w.tb.Helper()
	var stdout, stderr bytes.Buffer
	err := w.Command(ctx, &stdout, &stderr, args...).Run()
	res := Result{Stdout: stdout.String(), Stderr: stderr.String()}
	var exitErr *exec.ExitError
	switch {
	case errors.As(err, &exitErr):
		res.ExitCode = exitErr.ExitCode()
	case err != nil:
		w.tb.Fatalf("running %s %v: %v", w.cli, args, err)
	}
	return res
}

// MustRun runs the CLI and fails the test unless it exits 0.
func (w *Workdir) MustRun(ctx context.Context, args ...string) Result {
	w.tb.Helper()
	res := w.Run(ctx, args...)
	if res.ExitCode != 0 {
		w.tb.Fatalf("%s %s exited %d:\n%s", filepath.Base(w.cli), strings.Join(args, " "), res.ExitCode, res.Output())
	}
	return res
}

// Apply runs apply -auto-approve and fails the test if it fails.
func (w *Workdir) Apply(ctx context.Context, extra ...string) Result {
	w.tb.Helper()
	return w.MustRun(ctx, append([]string{"apply", "-auto-approve"}, extra...)...)
}

// Destroy runs destroy -auto-approve and fails the test if it fails.
func (w *Workdir) Destroy(ctx context.Context) Result {
	w.tb.Helper()
	return w.MustRun(ctx, "destroy", "-auto-approve")
}

// PlanIsEmpty runs plan -detailed-exitcode and reports whether it found
// nothing to do; a failing plan fails the test.
func (w *Workdir) PlanIsEmpty(ctx context.Context) (bool, Result) {
	w.tb.Helper()
	res := w.Run(ctx, "plan", "-detailed-exitcode")
	switch res.ExitCode {
	case 0:
		return true, res
	case 2:
		return false, res
	}
	w.tb.Fatalf("plan failed:\n%s", res.Output())
	return false, res
}

// State returns the current state as the CLI shows it.
func (w *Workdir) State(ctx context.Context) *tfjson.State {
	w.tb.Helper()
	res := w.MustRun(ctx, "show", "-json")
	var st tfjson.State
	if err := json.Unmarshal([]byte(res.Stdout), &st); err != nil {
		w.tb.Fatalf("decoding state: %v\n%s", err, res.Stdout)
	}
	return &st
}

// Resource returns the attribute values of the resource at address, or nil.
func Resource(st *tfjson.State, address string) map[string]any {
	if st.Values == nil || st.Values.RootModule == nil {
		return nil
	}
	for _, r := range st.Values.RootModule.Resources {
		if r.Address == address {
			return r.AttributeValues
		}
	}
	return nil
}

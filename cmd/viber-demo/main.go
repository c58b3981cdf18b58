// Command viber-demo shows the provider doing its job end to end with no
// Viber account: it starts the local Viber and a bot's HTTPS endpoint that
// verifies Viber's signed callback, then applies, re-plans and destroys a
// configuration with the real Terraform CLI, showing what Viber holds and
// what the endpoint received at each stage.
package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
)

//go:embed main.tf
var demoConfig []byte

func main() {
	var opts options
	flag.StringVar(&opts.terraform, "terraform", "terraform", "path of the Terraform CLI")
	flag.StringVar(&opts.providerDir, "provider-dir", "", "directory holding the built terraform-provider-viber binary")
	flag.Parse()
	if opts.providerDir == "" {
		fmt.Fprintln(os.Stderr, "viber-demo: -provider-dir is required")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, opts, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "viber-demo:", err)
		os.Exit(1)
	}
}

type options struct {
	terraform   string
	providerDir string
}

// run performs the demo, writing its story to out.
func run(ctx context.Context, opts options, out io.Writer) error {
	providerDir, err := filepath.Abs(opts.providerDir)
	if err != nil {
		return err
	}
	v := startLocalViber()
	defer v.close()

	work, err := os.MkdirTemp("", "viber-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	cliConfig := filepath.Join(work, "terraformrc")
	overrides := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"viberops/viber\" = %q\n  }\n  direct {}\n}\n", providerDir)
	if err := os.WriteFile(cliConfig, []byte(overrides), 0o600); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(work, "main.tf"), demoConfig, 0o600); err != nil {
		return err
	}

	tf := func(args ...string) error {
		fmt.Fprintf(out, "\n$ terraform %s\n", strings.Join(args, " "))
		cmd := exec.CommandContext(ctx, opts.terraform, args...)
		cmd.Dir = work
		cmd.Stdout, cmd.Stderr = out, out
		cmd.Env = append(os.Environ(),
			"TF_CLI_CONFIG_FILE="+cliConfig,
			"TF_IN_AUTOMATION=1",
			"CHECKPOINT_DISABLE=1",
			"VIBER_API_URL="+v.apiURL,
			"VIBER_AUTH_TOKEN="+demoToken,
			"TF_VAR_webhook_url="+v.endpoint.URL()+"/viber/webhook",
		)
		return cmd.Run()
	}

	section(out, "Local Viber at %s, bot endpoint at %s", v.apiURL, v.endpoint.URL())
	if err := tf("apply", "-auto-approve", "-input=false", "-no-color"); err != nil {
		return fmt.Errorf("terraform apply: %w", err)
	}
	section(out, "What Viber now holds for the bot")
	if err := v.showWebhook(out); err != nil {
		return err
	}
	section(out, "The calls the provider made to Viber")
	v.showRequests(out)
	section(out, "What the bot's endpoint received")
	if err := v.showCallbacks(out); err != nil {
		return err
	}

	section(out, "A second plan finds nothing to do")
	err = tf("plan", "-detailed-exitcode", "-input=false", "-no-color")
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) && exitErr.ExitCode() == 2 {
		return errors.New("the plan after apply is not empty")
	} else if err != nil {
		return fmt.Errorf("terraform plan: %w", err)
	}

	if err := tf("destroy", "-auto-approve", "-input=false", "-no-color"); err != nil {
		return fmt.Errorf("terraform destroy: %w", err)
	}
	section(out, "After destroy")
	if err := v.showWebhook(out); err != nil {
		return err
	}
	if _, set := v.emu.Webhook(demoToken); set {
		return errors.New("the webhook is still set after destroy")
	}
	section(out, "Demo complete: the webhook was created, verified by the endpoint, left unchanged by a re-plan, and removed")
	return nil
}

func section(out io.Writer, format string, args ...any) {
	fmt.Fprintf(out, "\n=== "+format+"\n", args...)
}

func printJSON(out io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(out, string(b))
	return err
}

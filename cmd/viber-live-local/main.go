// Command viber-live-local runs the live suite (make testacc-live) against a
// local Viber served over plain HTTP on loopback, as make test does, so that
// the suite cannot rot between its weekly runs against Viber. The bot starts
// with a webhook of its own, set through the Bot API; afterwards the bot
// must hold it again, or the run fails: the suite has to leave a real bot as
// it found it.
package main

import (
	"context"
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"time"

	"github.com/viberops/terraform-provider-viber/internal/emulator"
	"github.com/viberops/terraform-provider-viber/internal/viber"
)

const (
	token     = "1111aaaa2222bbbb-3333cccc4444dddd-5555eeee6666ffff"
	accountID = "pa:424242424242424242"
)

func main() {
	terraform := flag.String("terraform", "", "the CLI the suite runs under (TF_ACC_TERRAFORM_PATH)")
	flag.Parse()
	if err := run(*terraform); err != nil {
		fmt.Fprintln(os.Stderr, "viber-live-local:", err)
		os.Exit(1)
	}
}

func run(terraform string) error {
	endpoint := emulator.NewEndpoint(token)
	defer endpoint.Close()
	emu := emulator.New(emulator.WithCallbackClient(endpoint.Client()))
	emu.AddAccount(token, emulator.Account{ID: accountID, Name: "Live test bot"})
	api := httptest.NewServer(emu)
	defer api.Close()
	apiURL := api.URL + emulator.BasePath

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	bot := viber.New(viber.Config{BaseURL: apiURL, Token: token})
	kept := viber.Webhook{URL: endpoint.URL() + "/kept", EventTypes: []string{"seen"}}
	if _, err := bot.SetWebhook(ctx, kept); err != nil {
		return fmt.Errorf("giving the bot a webhook to keep: %w", err)
	}

	cmd := exec.Command("go", "test", "-count=1", "-v", "-timeout", "20m", "-run", "^TestLive_", "./internal/provider/")
	cmd.Env = append(os.Environ(), "TF_ACC=1", "TF_ACC_TERRAFORM_PATH="+terraform,
		"VIBER_API_URL="+apiURL, "VIBER_AUTH_TOKEN="+token, "VIBER_LIVE_WEBHOOK_URL="+endpoint.URL()+"/live")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	fmt.Printf("### Live suite against a local Viber at %s\n", apiURL)
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("the live suite failed: %w", err)
	}

	info, err := bot.AccountInfo(ctx)
	if err != nil {
		return err
	}
	if info.Webhook != kept.URL || !viber.SameSelection(kept.EventTypes, info.EventTypes) {
		return fmt.Errorf("the live suite left the bot holding %q %v, not the webhook it found (%q %v)",
			info.Webhook, info.EventTypes, kept.URL, kept.EventTypes)
	}
	fmt.Printf("viber-live-local: the bot holds the webhook it had before the suite (%s)\n", kept.URL)
	return nil
}

package provider_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/viberops/terraform-provider-viber/internal/retry"
	"github.com/viberops/terraform-provider-viber/internal/viber"
)

// The live suite (make testacc-live) runs against whatever VIBER_API_URL
// names (Viber itself by default), with a bot kept for tests
// (VIBER_AUTH_TOKEN) and an https endpoint that answers 200 at
// VIBER_LIVE_WEBHOOK_URL and any path below it. It looks at the bot only
// through the Bot API, so it is as fair against Viber as against the local
// one make test runs it on, and it puts back the webhook it found, also
// when a test fails.
const liveRes = "viber_webhook.live"

type liveBot struct {
	client  *viber.Client
	hookURL string
	id      string
}

func newLiveBot(t *testing.T) *liveBot {
	t.Helper()
	token, hook := os.Getenv("VIBER_AUTH_TOKEN"), os.Getenv("VIBER_LIVE_WEBHOOK_URL")
	if os.Getenv("TF_ACC") == "" || token == "" || hook == "" {
		t.Skip("the live suite needs TF_ACC=1, VIBER_AUTH_TOKEN (a bot kept for tests) and VIBER_LIVE_WEBHOOK_URL " +
			"(an https endpoint that answers 200); VIBER_API_URL points it at another Viber: see CONTRIBUTING.md")
	}
	c := viber.New(viber.Config{BaseURL: os.Getenv("VIBER_API_URL"), Token: token, UserAgent: "terraform-provider-viber/live-test",
		HTTP: &http.Client{Timeout: time.Minute}, Retry: retry.Default})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	before, err := c.AccountInfo(ctx)
	if err != nil {
		t.Fatalf("reading the test bot: %v", err)
	}
	t.Cleanup(func() { restoreWebhook(t, c, before) })
	return &liveBot{client: c, hookURL: hook, id: before.ID}
}

// restoreWebhook puts back the webhook the bot had before the test.
func restoreWebhook(t *testing.T, c *viber.Client, before *viber.AccountInfo) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var err error
	if before.Webhook == "" {
		err = c.RemoveWebhook(ctx)
	} else {
		_, err = c.SetWebhook(ctx, viber.Webhook{URL: before.Webhook, EventTypes: viber.Canonical(before.EventTypes)})
	}
	if err != nil {
		t.Errorf("putting back the test bot's webhook %q: %v (set it by hand: the weekly sweep does too)", before.Webhook, err)
	}
}

// holds checks, through the Bot API, that the bot's webhook is url with
// the given selection of event types (nil: every event).
func (b *liveBot) holds(url string, eventTypes []string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		info, err := b.client.AccountInfo(context.Background())
		if err != nil {
			return err
		}
		if info.Webhook != url || !viber.SameSelection(eventTypes, info.EventTypes) {
			return fmt.Errorf("Viber holds %q with %v, want %q with %v", info.Webhook, info.EventTypes, url, eventTypes)
		}
		return nil
	}
}

func (b *liveBot) config(path, eventTypes string) string {
	return fmt.Sprintf("provider \"viber\" {}\n\nresource \"viber_webhook\" \"live\" {\n  url         = %q\n  event_types = %s\n}\n",
		b.hookURL+path, eventTypes)
}

// The live workflow's sweep (go test -sweep=viber): when a run was cut short
// before its tests put the bot's webhook back, the bot still holds one under
// VIBER_LIVE_WEBHOOK_URL. The sweep sets the bot's usual webhook again
// (VIBER_LIVE_HOME_WEBHOOK_URL), or removes it when the bot has none.
func init() {
	resource.AddTestSweepers("viber_webhook", &resource.Sweeper{
		Name: "viber_webhook",
		F: func(string) error {
			token, hook := os.Getenv("VIBER_AUTH_TOKEN"), os.Getenv("VIBER_LIVE_WEBHOOK_URL")
			if token == "" || hook == "" {
				return fmt.Errorf("the sweep needs VIBER_AUTH_TOKEN and VIBER_LIVE_WEBHOOK_URL")
			}
			c := viber.New(viber.Config{BaseURL: os.Getenv("VIBER_API_URL"), Token: token, HTTP: &http.Client{Timeout: time.Minute}, Retry: retry.Default})
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			info, err := c.AccountInfo(ctx)
			if err != nil || !strings.HasPrefix(info.Webhook, hook) {
				return err // nothing of the suite's left behind
			}
			if home := os.Getenv("VIBER_LIVE_HOME_WEBHOOK_URL"); home != "" {
				_, err = c.SetWebhook(ctx, viber.Webhook{URL: home})
				return err
			}
			return c.RemoveWebhook(ctx)
		},
	})
}

// Create, update, drift made outside Terraform, import by ID and destroy.
func TestLive_webhook(t *testing.T) {
	b := newLiveBot(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: b.config("/terraform-live", `["delivered", "seen"]`),
				Check: b.holds(b.hookURL+"/terraform-live", []string{"delivered", "seen"})},
			{Config: b.config("/terraform-live-2", `["conversation_started"]`),
				Check: b.holds(b.hookURL+"/terraform-live-2", []string{"conversation_started"})},
			{
				// Someone changes the events by hand: the plan puts them back.
				PreConfig: func() {
					if _, err := b.client.SetWebhook(context.Background(), viber.Webhook{URL: b.hookURL + "/terraform-live-2", EventTypes: []string{"failed"}}); err != nil {
						t.Fatalf("changing the webhook outside Terraform: %v", err)
					}
				},
				Config:           b.config("/terraform-live-2", `["conversation_started"]`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(liveRes, plancheck.ResourceActionUpdate)}},
				Check:            b.holds(b.hookURL+"/terraform-live-2", []string{"conversation_started"}),
			},
			{ResourceName: liveRes, ImportState: true, ImportStateId: b.id, ImportStateVerify: true},
		},
		CheckDestroy: b.holds("", nil),
	})
}

// Import by identity (Terraform and OpenTofu 1.12 and later).
func TestLive_importByIdentity(t *testing.T) {
	b := newLiveBot(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   identityCLIs,
		Steps: []resource.TestStep{
			{Config: b.config("/terraform-live-identity", `[]`), Check: b.holds(b.hookURL+"/terraform-live-identity", []string{})},
			{ResourceName: liveRes, ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity},
		},
		CheckDestroy: b.holds("", nil),
	})
}

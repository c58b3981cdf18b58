package provider_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/viberops/terraform-provider-viber/internal/clitest"
	"github.com/viberops/terraform-provider-viber/internal/emulator"
)

// A create waits for one round trip: the bot's identity is looked up while
// the webhook is set, as the emulator's request log shows.
func TestAccWebhook_createOverlapsLookupAndSet(t *testing.T) {
	ctx := context.Background()
	b := newFaultBot(t)
	b.emu.SetFaults(emulator.Faults{Latency: 300 * time.Millisecond})
	b.write("/v1", "")
	b.w.Apply(ctx)
	byMethod := map[string]emulator.Request{}
	for _, r := range b.emu.Requests() {
		if _, seen := byMethod[r.Method]; !seen {
			byMethod[r.Method] = r
		}
	}
	look, set := byMethod["get_account_info"], byMethod["set_webhook"]
	if look.End.IsZero() || set.End.IsZero() {
		t.Fatalf("the create made %v, want a get_account_info and a set_webhook", b.emu.Requests())
	}
	if !look.Start.Before(set.End) || !set.Start.Before(look.End) {
		t.Errorf("the calls did not overlap: get_account_info %s-%s, set_webhook %s-%s",
			look.Start.Format("15:04:05.000"), look.End.Format("15:04:05.000"), set.Start.Format("15:04:05.000"), set.End.Format("15:04:05.000"))
	}
	b.agree(ctx, t)
}

// When the webhook is set but the bot's identity cannot be looked up, the
// create fails as a failed create does (nothing in state), says that the
// webhook was set, and the next apply converges.
func TestAccWebhook_lookupFailsAfterSet(t *testing.T) {
	ctx := context.Background()
	b := newFaultBot(t)
	b.w.Write(fmt.Sprintf("provider \"viber\" {\n  api_url = %q\n  auth_token = %q\n  retry {\n    max_attempts = 1\n  }\n}\n", b.apiURL, testToken) +
		fmt.Sprintf("resource \"viber_webhook\" \"bot\" {\n  url = %q\n}\n", b.hookURL("/v1")))
	b.emu.SetFaults(emulator.Faults{Methods: []string{"get_account_info"}, DropEvery: 1})
	out := b.w.Run(ctx, "apply", "-auto-approve")
	want := regexp.MustCompile(`(?s)Cannot reach the Viber API.*identifying the bot.*The webhook itself was set,\s+but\s+without\s+the\s+bot's\s+ID\s+nothing\s+is\s+recorded\s+in\s+state.*Apply\s+again`)
	if out.ExitCode == 0 || !want.MatchString(out.Output()) {
		t.Fatalf("apply exited %d, want the lookup's failure saying the webhook was set:\n%s", out.ExitCode, out.Output())
	}
	if strings.Count(out.Output(), "Error: ") != 1 {
		t.Errorf("want one error:\n%s", out.Output())
	}
	if hook, ok := b.emu.Webhook(testToken); !ok || hook.URL != b.hookURL("/v1") {
		t.Errorf("Viber holds %+v, want the webhook set", hook)
	}
	if attrs := clitest.Resource(b.w.State(ctx), res); attrs != nil {
		t.Errorf("state holds %v after the failed create, want nothing", attrs)
	}
	b.emu.SetFaults(emulator.Faults{})
	b.w.Apply(ctx)
	b.agree(ctx, t)
	requireEmptyPlan(ctx, t, b.w)
}

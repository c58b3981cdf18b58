package provider_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/viberops/terraform-provider-viber/internal/clitest"
	"github.com/viberops/terraform-provider-viber/internal/emulator"
	"github.com/viberops/terraform-provider-viber/internal/viber"
)

// faultBot is one bot on a local Viber, driven by the real CLI.
type faultBot struct {
	*testViber
	w *clitest.Workdir
}

func newFaultBot(t *testing.T) *faultBot {
	cli := clitest.CLIFromEnv(t)
	return &faultBot{testViber: newTestViber(t), w: clitest.New(t, cli, clitest.ProviderDir(t))}
}

// write configures one webhook at path with extra resource arguments.
func (b *faultBot) write(path, extra string) {
	b.w.Write(b.providerBlock(testToken) + fmt.Sprintf("resource \"viber_webhook\" \"bot\" {\n  url = %q\n%s}\n", b.hookURL(path), extra))
}

// agree fails t unless Terraform's state and the emulator hold the same
// webhook, or neither holds one.
func (b *faultBot) agree(ctx context.Context, t *testing.T) {
	t.Helper()
	attrs := clitest.Resource(b.w.State(ctx), res)
	hook, held := b.emu.Webhook(testToken)
	switch {
	case attrs == nil && held:
		t.Errorf("state has no webhook, but Viber holds %+v", hook)
	case attrs != nil && !held:
		t.Errorf("state has %v, but Viber holds no webhook", attrs["url"])
	case attrs != nil && (attrs["url"] != hook.URL || !viber.SameSelection(stateEventTypes(attrs), hook.EventTypes)):
		t.Errorf("state has %v %v, Viber holds %+v", attrs["url"], attrs["event_types"], hook)
	}
}

func stateEventTypes(attrs map[string]any) []string {
	list, ok := attrs["event_types"].([]any)
	if !ok {
		return nil
	}
	out := []string{}
	for _, v := range list {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// Under every transient fault, create, update and destroy converge, and
// state and Viber agree after each.
func TestAccFaults_transientFaultsConverge(t *testing.T) {
	ctx := context.Background()
	cases := map[string]func(b *faultBot){
		"status 12 every 2nd call":          func(b *faultBot) { b.emu.SetFaults(emulator.Faults{RateLimitEvery: 2}) },
		"status 12 on half the calls":       func(b *faultBot) { b.emu.SetFaults(emulator.Faults{RateLimitFraction: 0.5}) },
		"HTTP 502 page every 2nd call":      func(b *faultBot) { b.emu.SetFaults(emulator.Faults{HTTPErrorEvery: 2}) },
		"HTTP 500 every 3rd call":           func(b *faultBot) { b.emu.SetFaults(emulator.Faults{HTTPErrorEvery: 3, HTTPErrorStatus: 500}) },
		"dropped connection every 2nd call": func(b *faultBot) { b.emu.SetFaults(emulator.Faults{DropEvery: 2}) },
		"answer lost after set_webhook": func(b *faultBot) {
			b.emu.SetFaults(emulator.Faults{Methods: []string{"set_webhook"}, DropAnswerEvery: 2})
		},
		"100 ms latency":                      func(b *faultBot) { b.emu.SetFaults(emulator.Faults{Latency: 100 * time.Millisecond}) },
		"endpoint fails 3 callbacks, then ok": func(b *faultBot) { b.endpoint.FailNext(3, 503) },
		// Viber was captured answering a failed check with a bare status 1.
		"endpoint fails 3 callbacks, Viber says nothing": func(b *faultBot) {
			b.emu.SetSilentCheckFailures(true)
			b.endpoint.FailNext(3, 503)
		},
	}
	for name, inject := range cases {
		t.Run(name, func(t *testing.T) {
			b := newFaultBot(t)
			inject(b)
			b.write("/v1", "")
			b.w.Apply(ctx)
			b.agree(ctx, t)
			requireEmptyPlan(ctx, t, b.w)

			inject(b)
			b.write("/v2", "  event_types = [\"seen\"]\n")
			b.w.Apply(ctx)
			b.agree(ctx, t)
			if hook, _ := b.emu.Webhook(testToken); hook.URL != b.hookURL("/v2") {
				t.Errorf("after the update Viber holds %q", hook.URL)
			}
			requireEmptyPlan(ctx, t, b.w)

			inject(b)
			b.w.Destroy(ctx)
			b.agree(ctx, t)
		})
	}
}

// When every answer is lost and retries are off, the provider asks Viber
// what it holds rather than guessing: the changes count as made.
func TestAccFaults_lostAnswersAreSettled(t *testing.T) {
	ctx := context.Background()
	b := newFaultBot(t)
	b.emu.SetFaults(emulator.Faults{Methods: []string{"set_webhook"}, DropAnswerEvery: 1})
	config := func(path string) {
		b.w.Write(fmt.Sprintf("provider \"viber\" {\n  api_url = %q\n  auth_token = %q\n  retry {\n    max_attempts = 1\n  }\n}\n", b.apiURL, testToken) +
			fmt.Sprintf("resource \"viber_webhook\" \"bot\" {\n  url = %q\n}\n", b.hookURL(path)))
	}
	config("/v1")
	if out := b.w.Apply(ctx).Output(); !strings.Contains(out, "Viber's answer was lost, but the webhook is set") {
		t.Errorf("create did not report the settled outcome:\n%s", out)
	}
	b.agree(ctx, t)
	// Viber drops the query string: what it holds is still what was set.
	config("/v2?bot=sales")
	if out := b.w.Apply(ctx).Output(); !strings.Contains(out, "Viber's answer was lost, but the webhook is set") {
		t.Errorf("update to a URL with a query string did not report the settled outcome:\n%s", out)
	}
	requireEmptyPlan(ctx, t, b.w)
	config("/v2")
	b.w.Apply(ctx)
	b.agree(ctx, t)
	requireEmptyPlan(ctx, t, b.w)
	if out := b.w.Destroy(ctx).Output(); !strings.Contains(out, "Viber's answer was lost, but the webhook is gone") {
		t.Errorf("destroy did not report the settled outcome:\n%s", out)
	}
	b.agree(ctx, t)
}

// What retrying cannot fix fails at once, with Viber's word, and leaves
// state and Viber agreeing: nothing created, the previous webhook kept.
func TestAccFaults_finalErrorsFailAtOnce(t *testing.T) {
	ctx := context.Background()
	b := newFaultBot(t)

	b.emu.SetFaults(emulator.Faults{Methods: []string{"set_webhook"}, Status: 7})
	b.write("/v1", "")
	res := b.w.Run(ctx, "apply", "-auto-approve")
	if res.ExitCode == 0 || !strings.Contains(res.Output(), "publicAccountBlocked (7)") {
		t.Fatalf("create under status 7: exit %d, want a failure quoting it:\n%s", res.ExitCode, res.Output())
	}
	if n := len(b.emu.RequestsTo("set_webhook")); n != 1 {
		t.Errorf("status 7 was sent %d times, want once: it is not transient", n)
	}
	b.agree(ctx, t) // nothing in state, nothing at Viber

	b.emu.SetFaults(emulator.Faults{})
	b.w.Apply(ctx)
	b.agree(ctx, t)

	// A failed update leaves the previous values, and the plan still shows the change.
	b.emu.SetFaults(emulator.Faults{Methods: []string{"set_webhook"}, Status: 9})
	b.write("/v2", "")
	if res := b.w.Run(ctx, "apply", "-auto-approve"); res.ExitCode == 0 || !strings.Contains(res.Output(), "publicAccountSuspended (9)") {
		t.Fatalf("update under status 9: exit %d:\n%s", res.ExitCode, res.Output())
	}
	b.agree(ctx, t)
	if empty, _ := b.w.PlanIsEmpty(ctx); empty {
		t.Error("after a failed update the plan is empty: the change was lost")
	}

	// A failed delete leaves the resource.
	b.write("/v1", "")
	if res := b.w.Run(ctx, "destroy", "-auto-approve"); res.ExitCode == 0 {
		t.Fatal("destroy succeeded although set_webhook is refused")
	}
	b.agree(ctx, t)
	if clitest.Resource(b.w.State(ctx), "viber_webhook.bot") == nil {
		t.Error("a failed destroy removed the resource from state")
	}

	b.emu.SetFaults(emulator.Faults{})
	requireEmptyPlan(ctx, t, b.w)
	b.w.Destroy(ctx)
	b.agree(ctx, t)
}

// An endpoint that never answers 200 is retried until the timeout, and the
// error says how long and how often it was tried, quoting Viber.
func TestAccFaults_endpointNeverUp(t *testing.T) {
	ctx := context.Background()
	b := newFaultBot(t)
	b.endpoint.ForceStatus(503)
	b.write("/v1", shortTimeouts)
	res := b.w.Run(ctx, "apply", "-auto-approve")
	if res.ExitCode == 0 || !regexp.MustCompile(`(?s)Tried \d+ times over 2s.*HTTP/1.1 503 Service\s+Unavailable`).MatchString(res.Output()) {
		t.Fatalf("exit %d, want a failure saying how often it tried and quoting Viber:\n%s", res.ExitCode, res.Output())
	}
	if n := len(b.emu.RequestsTo("set_webhook")); n < 3 {
		t.Errorf("set_webhook was tried %d times, want retries", n)
	}
	b.agree(ctx, t)
}

// When the timeout falls in the middle of a slow attempt, the error still
// quotes the answer that made the retries necessary, not a bare "timed
// out", and state and Viber agree (the cut attempt never reached Viber).
func TestAccFaults_timeoutCutsASlowAttempt(t *testing.T) {
	ctx := context.Background()
	b := newFaultBot(t)
	b.endpoint.ForceStatus(404)
	// Attempt 1 answers after 1.2s; attempt 2 is still waiting at 2s.
	b.emu.SetFaults(emulator.Faults{Methods: []string{"set_webhook"}, Latency: 1200 * time.Millisecond})
	b.write("/v1", shortTimeouts)
	res := b.w.Run(ctx, "apply", "-auto-approve")
	want := regexp.MustCompile(`(?s)invalidUrl \(1\).*Tried 2 times over 2s.*timeout cut the last attempt\s+short.*HTTP/1.1 404 Not\s+Found`)
	if res.ExitCode == 0 || !want.MatchString(res.Output()) {
		t.Fatalf("exit %d, want a failure quoting the 404 behind the retries:\n%s", res.ExitCode, res.Output())
	}
	b.agree(ctx, t)
}

// Ctrl-C, as a CI runner cancelling a job sends it (SIGINT, then a kill
// 7.5 s later), stops the retries at once rather than at the timeout: the
// CLI exits within that grace, records nothing, and nothing more reaches
// Viber afterwards.
func TestAccFaults_interruptStopsWaiting(t *testing.T) {
	ctx := context.Background()
	b := newFaultBot(t)
	b.endpoint.ForceStatus(503)
	b.write("/v1", "  timeouts {\n    create = \"10m\"\n  }\n")
	var atSignal int
	out := interrupt(ctx, t, b.w, func() bool { // retrying
		atSignal = len(b.emu.Requests())
		return len(b.emu.RequestsTo("set_webhook")) >= 2
	}, "apply", "-auto-approve")
	if !strings.Contains(out, "Viber call interrupted") {
		t.Errorf("the interrupted apply does not say what happened:\n%s", out)
	}
	// A retry still scheduled would have been sent by now; one call may have
	// been in flight when the signal came.
	time.Sleep(2 * time.Second)
	if after := len(b.emu.Requests()); after > atSignal+1 {
		t.Errorf("%d calls reached Viber after SIGINT", after-atSignal)
	}
	if res := b.w.MustRun(ctx, "state", "list"); strings.TrimSpace(res.Stdout) != "" {
		t.Errorf("the interrupted create left state: %q", res.Stdout)
	}
	b.agree(ctx, t)
}

// interrupt runs the CLI with args in w, sends it SIGINT once ready
// reports true (within 30 s), and returns its output. It fails t unless the
// CLI fails within 7.5 s of the signal, when a CI runner would kill it.
func interrupt(ctx context.Context, t *testing.T, w *clitest.Workdir, ready func() bool, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := w.Command(ctx, &stdout, &stderr, args...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	for deadline := time.Now().Add(30 * time.Second); !ready(); {
		select {
		case err := <-done:
			t.Fatalf("%v ended (%v) before it could be interrupted:\n%s%s", args, err, stdout.String(), stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatalf("not ready to interrupt within 30s:\n%s%s", stdout.String(), stderr.String())
		}
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err == nil {
			t.Fatalf("%v succeeded after an interrupt:\n%s", args, stdout.String())
		}
	case <-time.After(7500 * time.Millisecond): // a runner's grace before it kills the job
		_ = cmd.Process.Kill()
		if err := <-done; err == nil {
			t.Errorf("%v succeeded once killed", args)
		}
		t.Fatalf("%v still running 7.5 s after SIGINT, when a CI runner kills it:\n%s%s", args, stdout.String(), stderr.String())
	}
	return stdout.String() + stderr.String()
}

// SIGINT just after an update or a removal reached Viber: the state ends
// as Viber holds it, whether the answer comes within the provider's grace
// (it is recorded) or not (a read-back settles it).
func TestAccFaults_interruptedWriteLeavesTheTruth(t *testing.T) {
	for _, tt := range []struct {
		name     string
		latency  time.Duration
		readBack bool // the answer, not a read-back, settles it within the grace
	}{
		{"answer within the grace", time.Second, false},
		{"no answer within the grace", 30 * time.Second, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			b := newFaultBot(t)
			b.write("/v1", "")
			b.w.Apply(ctx)
			sent := func() func() bool {
				n := len(b.emu.RequestsTo("set_webhook"))
				return func() bool { return len(b.emu.RequestsTo("set_webhook")) > n }
			}
			b.emu.SetFaults(emulator.Faults{Methods: []string{"set_webhook"}, AnswerLatency: tt.latency})

			// readBacks are the get_account_info calls after the last set_webhook.
			readBacks := func() int {
				sets := b.emu.RequestsTo("set_webhook")
				n := 0
				for _, r := range b.emu.RequestsTo("get_account_info") {
					if r.Start.After(sets[len(sets)-1].Start) {
						n++
					}
				}
				return n
			}
			b.write("/v2", "")
			interrupt(ctx, t, b.w, sent(), "apply", "-auto-approve")
			if hook, _ := b.emu.Webhook(testToken); hook.URL != b.hookURL("/v2") {
				t.Fatalf("Viber holds %+v, want the update that reached it", hook)
			}
			if n := readBacks(); (n > 0) != tt.readBack {
				t.Errorf("%d read-backs after the interrupted update, want them %t", n, tt.readBack)
			}
			b.agree(ctx, t)

			interrupt(ctx, t, b.w, sent(), "destroy", "-auto-approve")
			if hook, ok := b.emu.Webhook(testToken); ok {
				t.Fatalf("Viber holds %+v, want the removal that reached it", hook)
			}
			if n := readBacks(); (n > 0) != tt.readBack {
				t.Errorf("%d read-backs after the interrupted removal, want them %t", n, tt.readBack)
			}
			b.agree(ctx, t)
		})
	}
}

// SIGINT while a create's look-up of its bot waits to retry (a 502), just
// after its set_webhook was answered: a read-back names the bot, so the
// state records the webhook Viber holds. Found by a review.
func TestAccFaults_interruptedCreateReadsItsBotBack(t *testing.T) {
	ctx := context.Background()
	b := newFaultBot(t)
	b.emu.SetFaults(emulator.Faults{Methods: []string{"get_account_info"}, HTTPErrorEvery: 1})
	b.w.Write(fmt.Sprintf("provider \"viber\" {\n  api_url = %q\n  auth_token = %q\n  retry {\n    min_delay_ms = 3000\n    max_delay_ms = 6000\n  }\n}\n", b.apiURL, testToken) +
		fmt.Sprintf("resource \"viber_webhook\" \"bot\" {\n  url = %q\n}\n", b.hookURL("/v1")))
	interrupt(ctx, t, b.w, func() bool {
		answered := func(method string) bool {
			reqs := b.emu.RequestsTo(method)
			return len(reqs) > 0 && !reqs[0].End.IsZero()
		}
		if answered("set_webhook") && answered("get_account_info") {
			b.emu.SetFaults(emulator.Faults{}) // the read-back is answered
			return true
		}
		return false
	}, "apply", "-auto-approve")
	if _, held := b.emu.Webhook(testToken); !held {
		t.Fatal("Viber holds no webhook: the interrupt came too early to test this")
	}
	b.agree(ctx, t)
}

// SIGINT during the read-back that settles an update past its own timeout
// still ends the CLI within a CI runner's grace. Found by a review.
func TestAccFaults_interruptDuringReadBackAfterTimeout(t *testing.T) {
	ctx := context.Background()
	b := newFaultBot(t)
	b.write("/v1", "  timeouts {\n    update = \"2s\"\n  }\n")
	b.w.Apply(ctx)
	b.write("/v2", "  timeouts {\n    update = \"2s\"\n  }\n")
	b.emu.SetFaults(emulator.Faults{AnswerLatency: 30 * time.Second})
	b.emu.ResetRequests()
	interrupt(ctx, t, b.w, func() bool { return len(b.emu.RequestsTo("get_account_info")) > 0 }, "apply", "-auto-approve", "-refresh=false")
}

// SIGINT about 1 s into a 3 s update whose set_webhook hangs: the
// operation's deadline passes during the interrupt's grace, and the
// read-back still gets an interrupt's 2 s, not a deadline's 15 s, so the
// CLI ends within a runner's 7.5 s. Found by a review.
func TestAccFaults_interruptJustBeforeTheTimeout(t *testing.T) {
	ctx := context.Background()
	b := newFaultBot(t)
	b.write("/v1", "  timeouts {\n    update = \"3s\"\n  }\n")
	b.w.Apply(ctx)
	b.write("/v2", "  timeouts {\n    update = \"3s\"\n  }\n")
	b.emu.SetFaults(emulator.Faults{Latency: time.Minute}) // the write and the read-back hang
	b.emu.ResetRequests()
	var seen time.Time
	interrupt(ctx, t, b.w, func() bool {
		if len(b.emu.RequestsTo("set_webhook")) == 0 {
			return false
		}
		if seen.IsZero() {
			seen = time.Now()
		}
		return time.Since(seen) >= time.Second
	}, "apply", "-auto-approve", "-refresh=false")
}

// A destroy falling back to another configured token of the bot (the
// state's was replaced) and interrupted meanwhile says it was interrupted,
// not that no token is the bot's. Found by a review.
func TestAccFaults_interruptedDestroyFallbackSaysSo(t *testing.T) {
	ctx := context.Background()
	v, w := salesTokenReplaced(ctx, t)
	v.emu.SetFaults(emulator.Faults{Methods: []string{"get_account_info"}, AnswerLatency: time.Second})
	out := interrupt(ctx, t, w, func() bool { return len(v.emu.RequestsTo("get_account_info")) > 0 }, "destroy", "-auto-approve", "-refresh=false")
	if !strings.Contains(out, "Viber call interrupted") || strings.Contains(out, "no working token") {
		t.Errorf("the interrupted destroy does not say it was interrupted:\n%s", out)
	}
}

// When the read-back that would settle a lost answer fails too, the error
// says the outcome is open, and the next plan's refresh settles it.
func TestAccFaults_unsettledOutcomeSaysSo(t *testing.T) {
	ctx := context.Background()
	b := newFaultBot(t)
	config := func(path string) {
		b.w.Write(fmt.Sprintf("provider \"viber\" {\n  api_url = %q\n  auth_token = %q\n  retry {\n    max_attempts = 1\n  }\n}\n", b.apiURL, testToken) +
			fmt.Sprintf("resource \"viber_webhook\" \"bot\" {\n  url = %q\n}\n", b.hookURL(path)))
	}
	config("/v1")
	b.w.Apply(ctx)
	config("/v2")
	b.emu.SetFaults(emulator.Faults{DropAnswerEvery: 1})
	res := b.w.Run(ctx, "apply", "-auto-approve", "-refresh=false")
	if res.ExitCode == 0 || !regexp.MustCompile(`(?s)Whether Viber applied the change is unknown.*terraform plan`).MatchString(res.Output()) {
		t.Fatalf("apply exited %d, want a failure that says the outcome is open:\n%s", res.ExitCode, res.Output())
	}
	b.emu.SetFaults(emulator.Faults{})
	requireEmptyPlan(ctx, t, b.w) // Viber took the change: the refresh finds it
	b.w.Apply(ctx)
	b.agree(ctx, t)
}

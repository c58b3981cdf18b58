package provider_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/viberops/terraform-provider-viber/internal/clitest"
	"github.com/viberops/terraform-provider-viber/internal/emulator"
	"github.com/viberops/terraform-provider-viber/internal/viber"
)

// The invariants, checked after every step:
//
//  1. No set_webhook or removal reaches a bot that no resource of the
//     step's configuration, and no object in state before it, is meant
//     for; a set_webhook's url is the one the configuration gives that bot.
//     For a webhook no object in state pins, that is the bot its key's
//     token is in the step's bots map (the plan's or the apply's): a create
//     takes whatever bot its token is, as the tokens guide says; so does
//     a webhook moved to a new bots key (only a new key moves a webhook),
//     and the new half of a create_before_destroy replacement whose saved
//     plan is applied with other tokens (the guide's unchecked case). Such a
//     create under a wrong map leaves that bot's webhook set until a
//     resource manages it again.
//  2. No set_webhook during a plan.
//  3. Every object in state records a webhook Viber holds for its bot,
//     except after an outside change no successful refresh has seen yet,
//     a destroy -target of one of two objects of a bot (a plan with -target
//     compares only its targets), a create under a wrong map that took over
//     a bot another object holds, or a warning "Whether Viber applied the
//     change is unknown"; an import no token could read yet records none.
//  4. No token in any file of the working directory (a saved plan made
//     with an ordinary variable holds the map by design) or CLI output.
//  5. After a settle, Viber and the state hold exactly the configuration,
//     and the next plan -detailed-exitcode is 0.
//  6. No panic, no "Provider produced inconsistent/invalid ...".
//  7. Documented no-ops (a moved rename, a new key of the same bot, a
//     regenerated token put in the map) call no set_webhook.
//  8. A failure in a step with right tokens and no faults is one the docs
//     describe (it is counted), else a violation; an interrupted CLI ends
//     within the 7.5 s a CI runner gives it.
//  9. A set_webhook answered with a Retry-After is sent again no sooner
//     than it asked, up to the retry block's max_delay_ms.

// walkObject is one viber_webhook object in state.
type walkObject struct {
	address, deposed, id, url string
	bot                       string // the bots key it was last applied with
	events                    []string
	eventsNull                bool
}

// key is the object's for_each key.
func (o walkObject) key() string {
	if m := regexp.MustCompile(`\["([^"]+)"\]$`).FindStringSubmatch(o.address); m != nil {
		return m[1]
	}
	return ""
}

// walkRun is one walk of a sequence: its figures, history and failure.
type walkRun struct {
	stats   walkStats
	history []string
	failure *walkFailure
}

type walkFailure struct {
	step     int
	what     string
	output   string
	requests []string
}

// fail records the first violation; the walk stops there.
func (w *walk) fail(i int, format string, args ...any) {
	if w.run.failure != nil {
		return
	}
	var reqs []string
	for _, r := range w.v.emu.Requests() {
		reqs = append(reqs, fmt.Sprintf("%s %s %s", r.Method, r.AccountID, r.Body))
	}
	w.run.failure = &walkFailure{step: i, what: fmt.Sprintf(format, args...), output: strings.Join(w.outputs, "\n"), requests: reqs}
}

var (
	blamed = regexp.MustCompile(`(?i)panic:|Provider produced (inconsistent|invalid)|bug in the provider|plugin exited|crashed`)
	// refusals the docs describe, each with its remedy.
	documented = regexp.MustCompile(`The auth token belongs to another bot|The provider's tokens changed since this replacement was planned|` +
		`invalidAuthToken|Saved plan is stale|Cannot refresh the webhook|No webhook to import|` +
		`Destroying one object would remove another resource's webhook|Two viber_webhook resources for one bot|` +
		`Import ID is not this bot's account ID|Viber call interrupted|Tried \d+ times|timed out|` +
		`Whether Viber applied the change is unknown`)
)

func (w *walk) check(i int, s walkStep, op walkOp, before []walkObject, settledBefore bool) {
	out := strings.Join(w.outputs, "\n")
	if m := blamed.FindString(out); m != "" {
		w.fail(i, "the CLI reported %q", m)
	}
	for _, tok := range w.everyToken() {
		if strings.Contains(out, tok) {
			w.fail(i, "a token appears in the CLI output")
		}
	}
	overwrote := w.checkWrites(i, op, before, settledBefore)
	w.checkRetryWaits(i)
	if op.stopAfter > 7500*time.Millisecond {
		w.fail(i, "the interrupted CLI ran %v after SIGINT, past the 7.5 s a CI runner gives it", op.stopAfter.Round(time.Millisecond))
	}
	if op.exit != 0 {
		w.run.stats.failed++
		switch {
		case documented.MatchString(out):
			w.run.stats.refusals++
		case !op.risky:
			w.fail(i, "the step failed with right tokens and no faults, with no error the docs describe")
		}
	}
	w.state = w.readState(i)
	if op.refreshed {
		w.drifted = false
	}
	if overwrote {
		// A create under a wrong map took over a bot another object holds
		// (the tokens guide): that object's record stands until a refresh.
		w.drifted = true
	}
	if !w.drifted && !strings.Contains(out, "Whether Viber applied the change is unknown") {
		w.checkStateHeld(i)
	}
	w.checkFiles(i)
	if op.settle && w.run.failure == nil {
		w.checkSettled(i, op)
	}
}

// checkWrites holds invariants 1, 2 and 7, and reports whether a create
// under a wrong map overwrote the webhook of a bot an object in state holds.
func (w *walk) checkWrites(i int, op walkOp, before []walkObject, settledBefore bool) (overwrote bool) {
	wasInState := map[string]bool{}
	for _, o := range before {
		wasInState[o.id] = true
	}
	for n, r := range w.v.emu.RequestsTo("set_webhook") {
		var body struct {
			URL string `json:"url"`
		}
		_ = json.Unmarshal(r.Body, &body)
		switch {
		case r.AccountID == "":
			// a token of no bot (a saved plan's old one): Viber refused it
		case op.planOnly || n < op.planWrite:
			w.fail(i, "set_webhook (url %q) to %s during a plan", body.URL, r.AccountID)
		case body.URL == "" && !wasInState[r.AccountID]:
			w.fail(i, "a removal reached %s, for which no object was in state", r.AccountID)
		case body.URL != "" && op.intended[body.URL] == "":
			w.fail(i, "set_webhook to %s with url %q, which the configuration does not hold", r.AccountID, body.URL)
		case body.URL != "" && op.intended[body.URL] != r.AccountID && !op.created[body.URL][r.AccountID]:
			w.fail(i, "set_webhook with url %q reached %s; the configuration means it for %s", body.URL, r.AccountID, op.intended[body.URL])
		case body.URL != "" && op.intended[body.URL] != r.AccountID:
			w.strays[r.AccountID] = true // a create under a wrong map: the bot keeps it until managed again
			overwrote = overwrote || wasInState[r.AccountID]
		case op.noWrites && settledBefore && !op.risky:
			w.fail(i, "a documented no-op called set_webhook (to %s, url %q)", r.AccountID, body.URL)
		}
	}
	return overwrote
}

// walkMaxDelay is fastRetry's max_delay_ms, the longest wait the walk's
// provider makes, a Retry-After's included.
const walkMaxDelay = 100 * time.Millisecond

// checkRetryWaits holds invariant 9. A retry is the next set_webhook with
// the same bot and body: writes to one bot are serialised, and each
// resource's url differs.
func (w *walk) checkRetryWaits(i int) {
	reqs := w.v.emu.RequestsTo("set_webhook")
	for n, r := range reqs {
		secs, err := strconv.Atoi(r.RetryAfter)
		if err != nil || r.End.IsZero() {
			continue
		}
		asked := min(time.Duration(secs)*time.Second, walkMaxDelay)
		for _, q := range reqs[n+1:] {
			if q.AccountID != r.AccountID || !bytes.Equal(q.Body, r.Body) {
				continue
			}
			// End is read before the answer leaves, Start once the retry has
			// arrived: the gap is never shorter than the wait. 5 ms spare.
			if gap := q.Start.Sub(r.End); gap < asked-5*time.Millisecond {
				w.fail(i, "set_webhook to %s was sent again %v after an answer with Retry-After: %s, want at least %v",
					r.AccountID, gap.Round(time.Millisecond), r.RetryAfter, asked)
			}
			break
		}
	}
}

// readState reads the state's viber_webhook objects.
func (w *walk) readState(i int) []walkObject {
	res := w.w.Run(walkContext(), "show", "-json")
	w.run.stats.calls++
	if res.ExitCode != 0 {
		w.fail(i, "terraform show failed:\n%s", res.Output())
		return nil
	}
	var st tfjson.State
	if err := json.Unmarshal([]byte(res.Stdout), &st); err != nil {
		w.fail(i, "terraform show -json: %v", err)
		return nil
	}
	var objs []walkObject
	if st.Values == nil || st.Values.RootModule == nil {
		return nil
	}
	for _, r := range st.Values.RootModule.Resources {
		if r.Type != "viber_webhook" || r.Mode != tfjson.ManagedResourceMode {
			continue
		}
		o := walkObject{address: r.Address, deposed: r.DeposedKey}
		o.id, _ = r.AttributeValues["id"].(string)
		o.url, _ = r.AttributeValues["url"].(string)
		o.bot, _ = r.AttributeValues["bot"].(string)
		o.events, o.eventsNull = stateEvents(r.AttributeValues["event_types"])
		objs = append(objs, o)
	}
	return objs
}

func stateEvents(v any) ([]string, bool) {
	list, ok := v.([]any)
	if !ok {
		return nil, true
	}
	out := []string{}
	for _, e := range list {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out, false
}

// viberHolds is the webhook Viber holds for the bot with account id.
func (w *walk) viberHolds(id string) (emulator.Webhook, bool) {
	for bot, b := range walkBots {
		if b.id == id {
			return w.v.emu.Webhook(walkToken(bot, w.gen[bot]))
		}
	}
	return emulator.Webhook{}, false
}

// checkStateHeld holds invariant 3. Two objects of one bot (one left over
// by a failed rename) are fine as long as Viber holds one of their urls.
func (w *walk) checkStateHeld(i int) {
	byBot := map[string][]walkObject{}
	for _, o := range w.state {
		if o.url == "" {
			continue // an import no refresh could read ("Imported webhook not read yet"): it records no webhook
		}
		byBot[o.id] = append(byBot[o.id], o)
	}
	for id, objs := range byBot {
		hook, held := w.viberHolds(id)
		if !held {
			w.fail(i, "the state records a webhook for %s (%s, url %q), but Viber holds none", id, objs[0].address, objs[0].url)
			return
		}
		ok := false
		for _, o := range objs {
			ok = ok || (o.url == hook.URL && sameEvents(o, hook))
		}
		if !ok {
			w.fail(i, "the state records %s with url %q events %v, but Viber holds url %q events %v", objs[0].address, objs[0].url, objs[0].events, hook.URL, hook.EventTypes)
			return
		}
	}
}

func sameEvents(o walkObject, hook emulator.Webhook) bool {
	var mine []string
	if !o.eventsNull {
		mine = o.events
	}
	return viber.SameSelection(mine, hook.EventTypes)
}

// checkFiles holds invariant 4 for the working directory.
func (w *walk) checkFiles(i int) {
	tokens := w.everyToken()
	err := filepath.WalkDir(w.w.Dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if w.source == sourceVariable && strings.HasPrefix(d.Name(), "tfplan") {
			return nil // an ordinary variable is saved in the plan: documented
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, tok := range tokens {
			if strings.Contains(string(raw), tok) {
				w.fail(i, "a token is in %s", strings.TrimPrefix(path, w.w.Dir+"/"))
				return filepath.SkipAll
			}
		}
		return nil
	})
	if err != nil {
		w.fail(i, "reading the working directory: %v", err)
	}
}

// checkSettled holds invariant 5.
func (w *walk) checkSettled(i int, op walkOp) {
	if op.exit != 0 {
		w.fail(i, "the settle's apply failed (faults cleared, right tokens)")
		return
	}
	inState := map[string]walkObject{}
	for _, o := range w.state {
		if o.deposed != "" {
			w.fail(i, "a deposed object is left in state after a settle: %s", o.address)
			return
		}
		inState[o.key()] = o
	}
	managed := map[string]bool{}
	for k, h := range w.hooks {
		want := walkBots[w.keys[h.Key]].id
		managed[want] = true
		o, ok := inState[k]
		switch {
		case !ok:
			w.fail(i, "%s is configured but not in state after a settle", address(k))
		case o.id != want || o.url != w.v.hookURL(h.Path):
			w.fail(i, "%s is in state as %s %q, configured for %s %q", address(k), o.id, o.url, want, w.v.hookURL(h.Path))
		}
		hook, held := w.viberHolds(want)
		if !held || hook.URL != w.v.hookURL(h.Path) || !viber.SameSelection(h.Events, hook.EventTypes) {
			w.fail(i, "after a settle Viber holds %+v (held %t) for %s, configured %q %v", hook, held, want, w.v.hookURL(h.Path), h.Events)
		}
	}
	if len(inState) != len(w.hooks) {
		w.fail(i, "the state holds %d webhooks after a settle, the configuration %d", len(inState), len(w.hooks))
	}
	for _, b := range walkBots {
		if hook, held := w.viberHolds(b.id); held && !managed[b.id] && !strings.Contains(hook.URL, "/outside/") && !w.strays[b.id] {
			w.fail(i, "after a settle the unmanaged bot %s holds %q", b.id, hook.URL)
		}
	}
	writes := len(w.v.emu.RequestsTo("set_webhook"))
	if res := w.cli("plan", "-detailed-exitcode"); res.ExitCode != 0 {
		w.fail(i, "the plan after a settle exited %d, want 0 (nothing to do)", res.ExitCode)
	}
	if n := len(w.v.emu.RequestsTo("set_webhook")); n > writes {
		w.fail(i, "the plan after a settle made %d set_webhook calls", n-writes)
	}
}

// report is the failure of a walk of seq, with how to replay it.
func (r *walkRun) report(seed uint64, seq []walkStep, cli string) string {
	f := r.failure
	var b strings.Builder
	fmt.Fprintf(&b, "seed %d, CLI %s: step %d violates an invariant: %s\n\nHistory:\n", seed, filepath.Base(cli), f.step+1, f.what)
	for _, h := range r.history {
		b.WriteString("  " + h + "\n")
	}
	b.WriteString("\nRequests of the failing step:\n")
	for _, q := range f.requests {
		b.WriteString("  " + q + "\n")
	}
	lines := strings.Split(f.output, "\n")
	if len(lines) > 80 {
		lines = lines[len(lines)-80:]
	}
	b.WriteString("\nCLI output (tail):\n" + strings.Join(lines, "\n") + "\n")
	fmt.Fprintf(&b, "\nReplay: make walk TF_CLI=%s SEEDS=%d WALK_REPLAY='%s'\n", makeCLIName(cli), seed, formatSteps(seq))
	return b.String()
}

// emulatorAnswerLatency holds set_webhook's answers after carrying it out.
func emulatorAnswerLatency(d time.Duration) emulator.Faults {
	return emulator.Faults{Methods: []string{"set_webhook"}, AnswerLatency: d}
}

// makeCLIName is the GNUmakefile's TF_CLI for the CLI binary cli.
func makeCLIName(cli string) string {
	switch {
	case clitest.IsOpenTofu(cli):
		return "tofu"
	case strings.Contains(filepath.Base(cli), "1.5."):
		return "terraform-oldest"
	}
	return "terraform"
}

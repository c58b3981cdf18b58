package provider_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/viberops/terraform-provider-viber/internal/clitest"
	"github.com/viberops/terraform-provider-viber/internal/emulator"
	"github.com/viberops/terraform-provider-viber/internal/viber"
)

// walkBots are the walk's fleet: four bots on one local Viber.
var walkBots = []struct{ name, id string }{{"w0", "pa:910"}, {"w1", "pa:920"}, {"w2", "pa:930"}, {"w3", "pa:940"}}

// walkToken is bot's token of the given generation (Viber replaces a
// token on request: a new generation).
func walkToken(bot, gen int) string {
	return fmt.Sprintf("%016x-%016x-%016x", 0x77a1c0de0000+bot, 0x6e0000+gen, 0x5eed5eed5eed)
}

// walkHook is one webhook the configuration asks for.
type walkHook struct {
	Key      string   // the bots key naming its bot
	Path     string   // its url's path on the endpoint
	Events   []string // nil: every event
	SendName bool
}

// walk is one seed's world: the configuration it writes, the truth about
// the bots, and what the steps so far have shown.
type walk struct {
	t       *testing.T
	v       *testViber
	w       *clitest.Workdir
	source  string              // where the bots map comes from
	cbd     bool                // resources create_before_destroy
	hooks   map[string]walkHook // by for_each key
	keys    map[string]int      // bots key to bot index: the truth
	gen     []int               // each bot's token generation at Viber
	stale   map[string]string   // bots keys whose map entry holds an old token
	swapped map[string]string   // keys whose tokens are swapped for one step
	moved   [][2]string         // this step's moved blocks
	names   int                 // numbers for new keys and paths
	drifted bool                // an outside change no successful refresh has seen
	settled bool                // the last apply left nothing to do
	strays  map[string]bool     // bots a create under a wrong map wrote to
	state   []walkObject        // the state after the last step
	outputs []string            // this step's CLI output
	run     *walkRun
}

// Sources of the bots map.
const (
	sourceEnv       = "VIBER_BOTS"
	sourceEphemeral = "an ephemeral variable"
	sourceVariable  = "an ordinary sensitive variable"
)

func newWalk(t *testing.T, cli string, caps walkCaps, seed uint64) *walk {
	v := newTestViber(t)
	for i, b := range walkBots {
		v.emu.AddAccount(walkToken(i, 0), emulator.Account{ID: b.id, Name: b.name})
		v.endpoint.AddToken(walkToken(i, 0))
	}
	t.Setenv("VIBER_AUTH_TOKEN", "")
	t.Setenv("VIBER_BOTS", "")
	source := []string{sourceEnv, sourceEphemeral, sourceVariable}[seed%3]
	if source == sourceEphemeral && !caps.ephemeral {
		source = sourceVariable
	}
	w := &walk{
		t: t, v: v, w: clitest.New(t, cli, clitest.ProviderDir(t)), source: source, cbd: seed/3%2 == 1,
		hooks: map[string]walkHook{}, keys: map[string]int{}, gen: make([]int, len(walkBots)),
		stale: map[string]string{}, strays: map[string]bool{}, run: &walkRun{},
	}
	for i, b := range walkBots {
		w.keys[b.name] = i
	}
	w.run.history = append(w.run.history, "bots map from "+source)
	if w.cbd {
		w.run.history = append(w.run.history, "resources create_before_destroy")
	}
	return w
}

// setup manages two bots, as a fleet starts.
func (w *walk) setup() {
	for _, bot := range []int{0, 1} {
		w.hooks[w.newName("h")] = walkHook{Key: walkBots[bot].name, Path: w.newPath()}
	}
	w.step(-1, walkStep{Kind: "settle"})
}

func (w *walk) newName(prefix string) string {
	w.names++
	return fmt.Sprintf("%s%d", prefix, w.names)
}

func (w *walk) newPath() string { return "/" + w.newName("p") }

// token is what the bots map holds under key for this step.
func (w *walk) token(key string) string {
	if t, ok := w.swapped[key]; ok {
		return t
	}
	if t, ok := w.stale[key]; ok {
		return t
	}
	bot := w.keys[key]
	return walkToken(bot, w.gen[bot])
}

// every token the walk has used, for the leak check.
func (w *walk) everyToken() []string {
	var all []string
	for bot := range walkBots {
		for g := 0; g <= w.gen[bot]; g++ {
			all = append(all, walkToken(bot, g))
		}
	}
	return all
}

// config is the configuration the walk holds now.
func (w *walk) config() string {
	var b strings.Builder
	botsArg := ""
	if w.source != sourceEnv {
		eph := ""
		if w.source == sourceEphemeral {
			eph = "  ephemeral = true\n"
		}
		fmt.Fprintf(&b, "variable \"bots\" {\n  type      = map(string)\n  sensitive = true\n%s}\n\n", eph)
		botsArg = "  bots    = var.bots\n"
	}
	fmt.Fprintf(&b, "provider \"viber\" {\n  api_url = %q\n%s%s}\n\nlocals {\n  hooks = {\n", w.v.apiURL, botsArg, fastRetry)
	for _, k := range w.hookKeys() {
		h := w.hooks[k]
		events := "null"
		if h.Events != nil {
			quoted := make([]string, len(h.Events))
			for i, e := range h.Events {
				quoted[i] = fmt.Sprintf("%q", e)
			}
			events = "[" + strings.Join(quoted, ", ") + "]"
		}
		fmt.Fprintf(&b, "    %s = { bot = %q, url = %q, events = %s, send_name = %t }\n", k, h.Key, w.v.hookURL(h.Path), events, h.SendName)
	}
	b.WriteString(`  }
}

resource "viber_webhook" "hook" {
  for_each    = local.hooks
  bot         = each.value.bot
  url         = each.value.url
  event_types = each.value.events
  send_name   = each.value.send_name
  timeouts {
    create = "3s"
    update = "3s"
    read   = "3s"
    delete = "3s"
  }
`)
	if w.cbd {
		b.WriteString("  lifecycle {\n    create_before_destroy = true\n  }\n")
	}
	b.WriteString("}\n")
	for _, m := range w.moved {
		fmt.Fprintf(&b, "\nmoved {\n  from = viber_webhook.hook[%q]\n  to   = viber_webhook.hook[%q]\n}\n", m[0], m[1])
	}
	return b.String()
}

func (w *walk) hookKeys() []string { return slices.Sorted(maps.Keys(w.hooks)) }

// botsEnv is the environment that hands the CLI this step's bots map.
func (w *walk) botsEnv() string {
	m := map[string]string{}
	for key := range w.keys {
		m[key] = w.token(key)
	}
	raw, _ := json.Marshal(m)
	if w.source == sourceEnv {
		return "VIBER_BOTS=" + string(raw)
	}
	return "TF_VAR_bots=" + string(raw)
}

// cli runs the CLI with the current configuration and bots map.
func (w *walk) cli(args ...string) clitest.Result {
	w.t.Helper()
	w.w.Write(w.config())
	w.w.Setenv(w.botsEnv())
	res := w.w.Run(walkContext(), args...)
	w.run.stats.calls++
	w.outputs = append(w.outputs, fmt.Sprintf("$ %s %s\n%s", "terraform", strings.Join(args, " "), res.Output()))
	return res
}

// interruptCLI runs the CLI, sends SIGINT once a set_webhook reached
// Viber, and reports how long the CLI took to end after it (0: it ended
// before any write, without a signal).
func (w *walk) interruptCLI(args ...string) (clitest.Result, time.Duration) {
	w.w.Write(w.config())
	w.w.Setenv(w.botsEnv())
	w.run.stats.calls++
	var stdout, stderr bytes.Buffer
	cmd := w.w.Command(walkContext(), &stdout, &stderr, args...)
	if err := cmd.Start(); err != nil {
		w.t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	result := func(err error) clitest.Result {
		res := clitest.Result{Stdout: stdout.String(), Stderr: stderr.String()}
		if err != nil {
			res.ExitCode = 1
		}
		w.outputs = append(w.outputs, fmt.Sprintf("$ terraform %s (SIGINT after its first write)\n%s", strings.Join(args, " "), res.Output()))
		return res
	}
	for len(w.v.emu.RequestsTo("set_webhook")) == 0 {
		select {
		case err := <-done:
			return result(err), 0
		case <-time.After(20 * time.Millisecond):
		}
	}
	_ = cmd.Process.Signal(os.Interrupt)
	signalled := time.Now()
	select {
	case err := <-done:
		return result(err), time.Since(signalled)
	case <-time.After(15 * time.Second):
		_ = cmd.Process.Kill()
		return result(<-done), time.Since(signalled)
	}
}

// pickHook is the n-th for_each key, "" when there is none.
func (w *walk) pickHook(n int) string {
	keys := w.hookKeys()
	if len(keys) == 0 {
		return ""
	}
	return keys[n%len(keys)]
}

// freeBot is the n-th bot no webhook is configured for, -1 when none.
func (w *walk) freeBot(n int) int {
	var free []int
	for bot := range walkBots {
		used := false
		for _, h := range w.hooks {
			used = used || w.keys[h.Key] == bot
		}
		if !used {
			free = append(free, bot)
		}
	}
	if len(free) == 0 {
		return -1
	}
	return free[n%len(free)]
}

// regenerate has Viber replace bot's token; the map takes the new one
// unless stale, when every key of the bot keeps the old one.
func (w *walk) regenerate(bot int, stale bool) {
	old := walkToken(bot, w.gen[bot])
	w.gen[bot]++
	w.v.emu.ReplaceToken(old, walkToken(bot, w.gen[bot]))
	w.v.endpoint.AddToken(walkToken(bot, w.gen[bot]))
	for key, b := range w.keys {
		if b != bot {
			continue
		}
		if stale {
			if _, ok := w.stale[key]; !ok {
				w.stale[key] = old
			}
		} else {
			delete(w.stale, key)
		}
	}
}

// swapKeys swaps the map's tokens of two keys of different bots for one
// step; false when the fleet has no two such keys.
func (w *walk) swapKeys(n int) bool {
	keys := slices.Sorted(maps.Keys(w.keys))
	return w.swapKey(keys[n%len(keys)], n)
}

// swapKey swaps key a's token with the one of the first key of another
// bot after the n-th.
func (w *walk) swapKey(a string, n int) bool {
	keys := slices.Sorted(maps.Keys(w.keys))
	for i := range keys {
		b := keys[(n+1+i)%len(keys)]
		if w.keys[b] != w.keys[a] {
			ta, tb := w.token(a), w.token(b)
			w.swapped = map[string]string{a: tb, b: ta}
			return true
		}
	}
	return false
}

// drift changes or removes a managed webhook outside Terraform.
func (w *walk) drift(n int, remove bool) {
	k := w.pickHook(n)
	if k == "" {
		return
	}
	bot := w.keys[w.hooks[k].Key]
	token := walkToken(bot, w.gen[bot])
	if remove {
		w.v.emu.SetWebhook(token, nil)
	} else {
		w.v.emu.SetWebhook(token, &emulator.Webhook{URL: w.v.hookURL("/outside" + w.newPath())})
	}
	w.drifted = true
}

// setFault makes Viber or the endpoint misbehave as variant says.
func (w *walk) setFault(variant int) {
	f := emulator.Faults{}
	switch variant {
	case 0:
		w.v.endpoint.ForceStatus(503)
	case 1:
		f.DropEvery = 2
	case 2:
		f.DropAnswerEvery = 2
	case 3:
		f.HTTPErrorEvery, f.HTTPErrorStatus, f.RetryAfter = 2, 429, "1"
	case 4:
		f.HTTPErrorEvery, f.HTTPErrorStatus = 2, 429
	case 5:
		f.RateLimitEvery = 2
	case 6:
		f.HTTPErrorEvery, f.HTTPErrorStatus = 1, 500
	case 7:
		w.v.emu.SetSilentCheckFailures(true)
		w.v.endpoint.ForceStatus(503)
	}
	w.v.emu.SetFaults(f)
}

func (w *walk) clearFaults() {
	w.v.emu.SetFaults(emulator.Faults{})
	w.v.emu.SetSilentCheckFailures(false)
	w.v.endpoint.ForceStatus(0)
}

// events is an event_types choice: every event, mandatory ones only, or
// a subset of the optional ones.
func events(n int) []string {
	switch n % 4 {
	case 0:
		return nil
	case 1:
		return []string{}
	}
	var set []string
	for i, e := range viber.OptionalEventTypes {
		if n>>(i+2)&1 == 1 {
			set = append(set, e)
		}
	}
	if set == nil {
		set = []string{viber.OptionalEventTypes[n%len(viber.OptionalEventTypes)]}
	}
	return set
}

// intended is, for this configuration, each url's bot account ID.
func (w *walk) intended() map[string]string {
	m := map[string]string{}
	for _, h := range w.hooks {
		m[w.v.hookURL(h.Path)] = walkBots[w.keys[h.Key]].id
	}
	return m
}

// risky reports whether the walk's tokens are not the bots' current ones
// (a stale map), when refusals and failures are expected.
func (w *walk) risky() bool { return len(w.stale) > 0 || len(w.swapped) > 0 }

// address of a for_each key.
func address(key string) string { return fmt.Sprintf("viber_webhook.hook[%q]", key) }

// historyLine describes step s as it ran.
func historyLine(i int, s walkStep, what string) string {
	doc := ""
	for _, k := range walkKinds {
		if k.kind == s.Kind {
			doc = k.doc
		}
	}
	if i < 0 {
		return "setup: " + what
	}
	return fmt.Sprintf("%d. %s (%s): %s", i+1, s, doc, what)
}

// said reports whether any of this step's output holds s.
func (w *walk) said(s string) bool {
	return slices.ContainsFunc(w.outputs, func(o string) bool { return strings.Contains(o, s) })
}

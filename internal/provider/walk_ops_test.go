package provider_test

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"time"
)

// walkOp is what one step did, for the checks that follow it.
type walkOp struct {
	what      string // for the history
	exit      int    // the last CLI call's exit code (0 when none ran)
	planOnly  bool   // no write may reach Viber
	noWrites  bool   // a documented no-op: no set_webhook
	refreshed bool   // an apply with refresh succeeded: drift is seen
	settle    bool   // everything must converge
	risky     bool   // failures are expected (faults, wrong tokens)
	intended  map[string]string
	// created are, for a webhook with no object in state, the bots the
	// step's bots map gives its key: a create's bot is its token's, which
	// is what the configuration means when no state pins it (the tokens
	// guide: "a new webhook is set for whichever bot the apply job's token
	// belongs to").
	created   map[string]map[string]bool
	planWrite int           // set_webhook calls made during a plan phase
	stopAfter time.Duration // how long an interrupted CLI took to end
}

// step runs s and checks the invariants after it.
func (w *walk) step(i int, s walkStep) {
	w.t.Helper()
	before := w.state
	settledBefore := w.settled
	w.outputs = nil
	w.v.emu.ResetRequests()
	op := w.do(s)
	w.swapped, w.moved = nil, nil
	w.clearFaults()
	if op.exit != 0 {
		w.settled = false
	}
	w.run.history = append(w.run.history, historyLine(i, s, op.what))
	if i >= 0 {
		w.run.stats.steps++
	}
	w.check(i, s, op, before, settledBefore)
}

// apply is a plain apply; it counts as a refresh when it succeeds.
func (w *walk) apply(op *walkOp, args ...string) {
	op.intended = w.intended()
	w.addCreated(op, true)
	res := w.cli(append([]string{"apply", "-auto-approve"}, args...)...)
	op.exit = res.ExitCode
	refreshing := res.ExitCode == 0 && !slices.Contains(args, "-refresh=false") && !slices.ContainsFunc(args, isTarget)
	op.refreshed = refreshing
	// Under a wrong map a create may take another bot: not settled.
	w.settled = refreshing && !w.risky()
}

func isTarget(arg string) bool { return len(arg) > 8 && arg[:8] == "-target=" }

// do carries out s.
func (w *walk) do(s walkStep) walkOp {
	op := walkOp{risky: w.risky(), intended: w.intended()}
	hook := func() (string, walkHook, bool) {
		k := w.pickHook(s.A)
		h, ok := w.hooks[k]
		return k, h, ok
	}
	switch s.Kind {
	case "url", "events", "send":
		k, h, ok := hook()
		if !ok {
			op.what = "no webhook to change"
			return op
		}
		switch s.Kind {
		case "url":
			h.Path = w.newPath()
		case "events":
			h.Events = events(s.B)
		default:
			h.SendName = !h.SendName
		}
		w.hooks[k] = h
		op.what = fmt.Sprintf("%s of %s", s.Kind, k)
		w.apply(&op)
	case "add":
		bot := w.freeBot(s.A)
		if bot < 0 {
			op.what = "every bot has a webhook"
			return op
		}
		k := w.newName("h")
		w.hooks[k] = walkHook{Key: walkBots[bot].name, Path: w.newPath(), Events: events(s.B)}
		op.what = fmt.Sprintf("%s for %s", k, walkBots[bot].name)
		w.apply(&op)
	case "remove":
		k, _, ok := hook()
		if !ok {
			op.what = "no webhook to remove"
			return op
		}
		delete(w.hooks, k)
		op.what = k
		w.apply(&op)
	case "rename", "rename-moved":
		k, h, ok := hook()
		if !ok {
			op.what = "no webhook to rename"
			return op
		}
		to := w.newName("h")
		delete(w.hooks, k)
		w.hooks[to] = h
		if s.Kind == "rename-moved" {
			w.moved = [][2]string{{k, to}}
			op.noWrites = true
		}
		op.what = k + " to " + to
		w.apply(&op)
	case "move-bot":
		k, h, ok := hook()
		bot := w.freeBot(s.B)
		if !ok || bot < 0 {
			op.what = "no webhook or no free bot"
			return op
		}
		h.Key = walkBots[bot].name
		w.hooks[k] = h
		op.what = fmt.Sprintf("%s to %s", k, h.Key)
		w.apply(&op)
	case "replace":
		k := w.pickHook(s.A)
		if k == "" {
			op.what = "no webhook"
			return op
		}
		op.what = address(k)
		w.apply(&op, "-replace="+address(k))
	case "alias-key":
		k, h, ok := hook()
		if !ok {
			op.what = "no webhook"
			return op
		}
		alias := w.newName(h.Key + "_")
		w.keys[alias] = w.keys[h.Key]
		if old, ok := w.stale[h.Key]; ok {
			w.stale[alias] = old
		}
		h.Key = alias
		w.hooks[k] = h
		op.noWrites = true
		op.what = fmt.Sprintf("%s to key %s", k, alias)
		w.apply(&op)
	case "regen", "regen-stale":
		bot := s.A % len(walkBots)
		w.regenerate(bot, s.Kind == "regen-stale")
		op.noWrites = s.Kind == "regen"
		op.risky = op.risky || w.risky()
		op.what = walkBots[bot].name
		w.apply(&op)
	case "swap":
		if !w.swapKeys(s.A) {
			op.what = "no two bots' keys"
			return op
		}
		if k := w.pickHook(s.B); k != "" { // a change, so that the apply writes
			h := w.hooks[k]
			h.Path = w.newPath()
			w.hooks[k] = h
		}
		op.risky = true
		op.what = fmt.Sprintf("%v", slices.Sorted(maps.Keys(w.swapped)))
		w.apply(&op)
	case "saved-plan":
		w.savedPlan(s, &op)
	case "drift":
		w.drift(s.A, s.B%2 == 1)
		w.settled = false
		op.what = map[bool]string{true: "a webhook removed", false: "a webhook's url changed"}[s.B%2 == 1]
	case "apply-norefresh":
		k, h, ok := hook()
		if !ok {
			op.what = "no webhook"
			return op
		}
		h.Path = w.newPath()
		w.hooks[k] = h
		op.what = "url of " + k
		w.apply(&op, "-refresh=false")
	case "destroy-target":
		k := w.pickHook(s.A)
		if k == "" {
			op.what = "no webhook"
			return op
		}
		args := []string{"destroy", "-auto-approve", "-target=" + address(k)}
		if s.B%2 == 1 {
			args = append(args, "-refresh=false")
		}
		op.what = fmt.Sprintf("%v", args[2:])
		op.exit = w.cli(args...).ExitCode
		w.settled = false
		// A plan with -target compares only the resources it targets (the
		// fleet guide): another object of the bot, a leftover or one a
		// create overwrote, may now record a webhook Viber no longer
		// holds, until a refresh sees it.
		if w.sharesBot(address(k)) {
			w.drifted = true
		}
	case "reimport":
		w.reimport(s, &op)
	case "fault":
		k, h, ok := hook()
		if ok {
			h.Path = w.newPath()
			w.hooks[k] = h
		}
		variant := s.B % len(faultVariants)
		w.setFault(variant)
		op.risky = true
		op.what = faultVariants[variant]
		w.apply(&op)
	case "interrupt":
		op.risky = true
		args := []string{"destroy", "-auto-approve"}
		if s.B%4 < 2 {
			args = []string{"apply", "-auto-approve"}
			if k, h, ok := hook(); ok {
				h.Path = w.newPath()
				w.hooks[k] = h
			}
		}
		latency := map[bool]time.Duration{true: time.Second, false: 30 * time.Second}[s.B%2 == 0]
		w.v.emu.SetFaults(emulatorAnswerLatency(latency))
		op.intended = w.intended()
		w.addCreated(&op, true)
		res, took := w.interruptCLI(args...)
		op.exit, op.stopAfter = res.ExitCode, took
		op.what = fmt.Sprintf("%s, answers held %v", args[0], latency)
		w.settled = false
	case "plan":
		op.planOnly = true
		op.what = "plan"
		op.exit = w.cli("plan").ExitCode
	case "settle":
		w.stale = map[string]string{}
		op.risky, op.settle = false, true
		op.what = "apply"
		w.apply(&op)
		for remedy := 0; op.exit != 0 && remedy < 2 && w.remedy(); remedy++ {
			w.run.stats.remedies++
			w.apply(&op)
		}
	}
	return op
}

// savedPlan changes a url or moves a webhook to a free bot (a
// replacement), plans to a file, lets something happen, and applies the
// plan.
func (w *walk) savedPlan(s walkStep, op *walkOp) {
	k := w.pickHook(s.A)
	h, ok := w.hooks[k]
	move := ok && s.B/len(savedPlanVariants)%2 == 1 && w.freeBot(s.A) >= 0
	switch {
	case move:
		h.Key = walkBots[w.freeBot(s.A)].name
		op.what = fmt.Sprintf("%s moved to %s, ", k, h.Key)
	case ok:
		h.Path = w.newPath()
	}
	if ok {
		w.hooks[k] = h
	}
	op.intended = w.intended()
	w.addCreated(op, true)
	res := w.cli("plan", "-out=tfplan")
	op.planWrite = len(w.v.emu.RequestsTo("set_webhook"))
	variant := s.B % len(savedPlanVariants)
	op.what += "then " + savedPlanVariants[variant]
	if res.ExitCode != 0 {
		op.exit = res.ExitCode
		op.what += ", but the plan failed"
		return
	}
	switch variant {
	case 1:
		if move { // the moved webhook's new key gets another bot's token
			w.swapKey(h.Key, s.A)
		} else {
			w.swapKeys(s.A)
		}
		if move && w.cbd && w.source != sourceVariable {
			// The documented gap (tokens guide): a create_before_destroy
			// replacement's new half takes the apply's token, unchecked.
			// (An ordinary variable's map is the one saved in the plan.)
			w.addCreatedFor(op, k)
		}
	case 2, 3:
		w.regenerate(s.A%len(walkBots), variant == 3)
	case 4:
		w.drift(s.A, s.B%2 == 1)
	}
	op.risky = op.risky || variant != 0
	// The apply job's map, for new webhooks only: a move planned with other
	// tokens is refused (the replacement's proof).
	w.addCreated(op, false)
	res = w.cli("apply", "tfplan")
	op.exit = res.ExitCode
	w.settled = false
}

// reimport forgets a webhook and imports it again by its account ID.
func (w *walk) reimport(s walkStep, op *walkOp) {
	k := w.pickHook(s.A)
	var obj *walkObject
	for i := range w.state {
		if w.state[i].address == address(k) && w.state[i].deposed == "" {
			obj = &w.state[i]
		}
	}
	if obj == nil {
		op.what = "no webhook in state"
		return
	}
	// A user imports the bot the configuration names; the state may still
	// hold another after a failed move, whose webhook state rm leaves alone.
	id := walkBots[w.keys[w.hooks[k].Key]].id
	op.what = address(k) + " as " + id
	if res := w.cli("state", "rm", address(k)); res.ExitCode != 0 {
		op.exit = res.ExitCode
		return
	}
	for _, o := range w.state { // a deposed object goes too, its webhook left at Viber
		if o.address == address(k) && o.id != id {
			w.strays[o.id] = true
		}
	}
	res := w.cli("import", address(k), id)
	if res.ExitCode != 0 {
		op.exit = res.ExitCode
		op.what += ": import refused"
		return
	}
	w.apply(op)
}

// remedy applies what a refusal's error tells the user to do, for the
// refusals the docs describe; false when the output names none.
func (w *walk) remedy() bool {
	if w.said("The auth token belongs to another bot") {
		// Objects created under a wrong map hold another bot than their key
		// now names: stop managing them (the error's last remedy), and the
		// apply creates them for the right bots.
		done := false
		for _, addr := range errorAddresses(w.outputs, "The auth token belongs to another bot") {
			w.run.history = append(w.run.history, "   remedy: terraform state rm "+addr)
			w.cli("state", "rm", addr)
			done = true
		}
		return done
	}
	if w.said("Import ID is not this bot's account ID") {
		// An import of the bot the configuration then named, which a later
		// change moved to another key before any apply: import the bot the
		// configuration names now (the error's remedy for a mistyped ID);
		// when it has no webhook, the apply creates it.
		done := false
		for _, addr := range errorAddresses(w.outputs, "Import ID is not this bot's account ID") {
			h, ok := w.hooks[walkObject{address: addr}.key()]
			if !ok {
				continue
			}
			id := walkBots[w.keys[h.Key]].id
			w.run.history = append(w.run.history, "   remedy: terraform state rm "+addr+", import as "+id)
			for _, o := range w.state {
				if o.address == addr && o.id != id {
					w.strays[o.id] = true // state rm leaves its webhook at Viber
				}
			}
			w.cli("state", "rm", addr)
			w.cli("import", addr, id)
			done = true
		}
		return done
	}
	if w.said("Two viber_webhook resources for one bot") {
		// One of the two was created under a wrong map: stop managing the
		// object whose bot is not its key's (the error's remedy).
		done := false
		for _, o := range w.state {
			if h, ok := w.hooks[o.key()]; ok && o.deposed == "" && o.id != walkBots[w.keys[h.Key]].id {
				w.run.history = append(w.run.history, "   remedy: terraform state rm "+o.address)
				w.cli("state", "rm", o.address)
				w.strays[o.id] = true
				done = true
			}
		}
		return done
	}
	if !w.said("Destroying one object would remove another resource's webhook") {
		return false
	}
	// The left-over object: an address the configuration no longer has.
	done := false
	for _, o := range w.state {
		k := o.key()
		if _, ok := w.hooks[k]; ok && o.deposed == "" {
			continue
		}
		w.run.history = append(w.run.history, "   remedy: terraform state rm "+o.address)
		w.cli("state", "rm", o.address)
		done = true
	}
	return done
}

// sharesBot reports whether another object in state holds the bot of the
// object at addr.
func (w *walk) sharesBot(addr string) bool {
	for _, o := range w.state {
		if o.address != addr || o.deposed != "" {
			continue
		}
		for _, other := range w.state {
			if other.id == o.id && (other.address != addr || other.deposed != "") {
				return true
			}
		}
	}
	return false
}

// addCreated notes, for each webhook with no object in state (or one whose
// webhook is gone at Viber), the bot the step's bots map gives its key; and
// when moves, for one whose bots key changed, since only a new key moves a
// webhook, to the bot its token names (the tokens guide).
func (w *walk) addCreated(op *walkOp, moves bool) {
	for k, h := range w.hooks {
		// An object whose webhook is gone at Viber is created again, as new:
		// its refresh drops it ("The bot's webhook is gone").
		if slices.ContainsFunc(w.state, func(o walkObject) bool {
			_, held := w.viberHolds(o.id)
			return o.key() == k && held && (o.bot == h.Key || !moves)
		}) {
			continue
		}
		w.addCreatedFor(op, k)
	}
}

// addCreatedFor notes the bot the step's bots map gives hook k's key.
func (w *walk) addCreatedFor(op *walkOp, k string) {
	if op.created == nil {
		op.created = map[string]map[string]bool{}
	}
	h := w.hooks[k]
	token := w.token(h.Key)
	for bot := range walkBots {
		if token == walkToken(bot, w.gen[bot]) {
			url := w.v.hookURL(h.Path)
			if op.created[url] == nil {
				op.created[url] = map[string]bool{}
			}
			op.created[url][walkBots[bot].id] = true
		}
	}
}

// errorAddresses are the resources an error with summary names in outputs.
func errorAddresses(outputs []string, summary string) []string {
	re := regexp.MustCompile(`Error: ` + regexp.QuoteMeta(summary) + `\s+with (viber_webhook\.hook\["[^"]+"\])`)
	seen := map[string]bool{}
	var addrs []string
	for _, o := range outputs {
		for _, m := range re.FindAllStringSubmatch(o, -1) {
			if !seen[m[1]] {
				seen[m[1]] = true
				addrs = append(addrs, m[1])
			}
		}
	}
	return addrs
}

package provider_test

import (
	"fmt"
	"strconv"
	"strings"
)

// walkStep is one thing a user or a pipeline does. A and B choose among
// what the walk holds when the step runs (a hook, a bot, a variant), so a
// step applies to any history and a shrunk sequence stays meaningful.
type walkStep struct {
	Kind string
	A, B int
}

func (s walkStep) String() string { return fmt.Sprintf("%s/%d/%d", s.Kind, s.A, s.B) }

// The kinds of step, with how often the walk draws each.
var walkKinds = []struct {
	kind   string
	weight int
	doc    string
}{
	{"url", 3, "change a webhook's url, apply"},
	{"events", 2, "change a webhook's event types, apply"},
	{"send", 1, "flip a webhook's send_name, apply"},
	{"add", 2, "add a webhook for a bot not yet managed, apply"},
	{"remove", 1, "remove a webhook's resource, apply"},
	{"rename", 1, "rename a for_each key without moved, apply"},
	{"rename-moved", 1, "rename a for_each key with a moved block, apply (calls nothing)"},
	{"move-bot", 1, "point a webhook at another bot's key, apply (a replacement)"},
	{"replace", 1, "apply -replace one webhook (the new object first under create_before_destroy)"},
	{"alias-key", 1, "point a webhook at a new key of the same bot, apply (calls nothing)"},
	{"regen", 1, "Viber replaces a bot's token, the map gets the new one, apply (calls nothing)"},
	{"regen-stale", 1, "Viber replaces a bot's token, the map keeps the old one, apply"},
	{"swap", 1, "two keys' tokens swapped for one apply of a changed url"},
	{"saved-plan", 3, "change a url or move a webhook to another bot, plan -out, something happens, apply the saved plan"},
	{"drift", 1, "a webhook changed or removed outside Terraform"},
	{"apply-norefresh", 1, "change a url, apply -refresh=false"},
	{"destroy-target", 1, "destroy [-refresh=false] -target one webhook"},
	{"reimport", 1, "terraform state rm a webhook and import it again, apply"},
	{"fault", 3, "change a url and apply while Viber or the endpoint misbehaves"},
	{"interrupt", 1, "SIGINT an apply or a destroy just after its first write reached Viber"},
	{"plan", 1, "terraform plan"},
	{"settle", 2, "faults cleared, right tokens, plain apply: everything converges"},
}

// Variants of saved-plan (what happens between plan and apply) and fault.
var (
	savedPlanVariants = []string{"nothing", "keys swapped", "a token regenerated, map updated", "a token regenerated, map stale", "an outside change"}
	faultVariants     = []string{"endpoint down", "connections dropped", "answers lost", "HTTP 429 with Retry-After", "HTTP 429", "status 12", "HTTP 500", "bare status 1"}
)

// generateWalk draws n steps for seed, and ends with a settle.
func generateWalk(seed uint64, n int) []walkStep {
	r := newRand(seed)
	total := 0
	for _, k := range walkKinds {
		total += k.weight
	}
	seq := make([]walkStep, 0, n+1)
	for range n {
		pick := r.IntN(total)
		for _, k := range walkKinds {
			if pick < k.weight {
				seq = append(seq, walkStep{Kind: k.kind, A: r.IntN(1000), B: r.IntN(1000)})
				break
			}
			pick -= k.weight
		}
	}
	return append(seq, walkStep{Kind: "settle"})
}

// parseSteps reads a step list as formatSteps writes it.
func parseSteps(s string) ([]walkStep, error) {
	var seq []walkStep
	for _, f := range strings.Fields(s) {
		parts := strings.Split(f, "/")
		if len(parts) != 3 {
			return nil, fmt.Errorf("step %q: want kind/A/B", f)
		}
		a, err1 := strconv.Atoi(parts[1])
		b, err2 := strconv.Atoi(parts[2])
		if err1 != nil || err2 != nil || !knownKind(parts[0]) {
			return nil, fmt.Errorf("step %q: want kind/A/B with a known kind and numbers", f)
		}
		seq = append(seq, walkStep{Kind: parts[0], A: a, B: b})
	}
	return seq, nil
}

func formatSteps(seq []walkStep) string {
	parts := make([]string, len(seq))
	for i, s := range seq {
		parts[i] = s.String()
	}
	return strings.Join(parts, " ")
}

func knownKind(kind string) bool {
	for _, k := range walkKinds {
		if k.kind == kind {
			return true
		}
	}
	return false
}

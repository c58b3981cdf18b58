package provider

import (
	"strings"
	"testing"
)

const (
	botA = "pa:100"
	botB = "pa:200"
)

// Each row is a path a plan, an update or a delete can take, as the
// acceptance tests walk them with the real CLI.
func TestDecide(t *testing.T) {
	known := tokenFacts{stateID: botA, tokenKnown: true, tokenUsable: true}
	with := func(f tokenFacts, change func(*tokenFacts)) tokenFacts {
		change(&f)
		return f
	}
	tests := []struct {
		name  string
		phase phase
		facts tokenFacts
		want  step
	}{
		// Plans.
		{"plan: token unknown until apply", phasePlan,
			with(known, func(f *tokenFacts) { f.tokenKnown = false; f.selectorChanged = true }), stepProceed},
		{"plan: no usable token (the error is the resolver's)", phasePlan,
			with(known, func(f *tokenFacts) { f.tokenUsable = false; f.selectorChanged = true }), stepProceed},
		{"plan: same token source, not proven: the write checks it", phasePlan,
			known, stepProceed},
		{"plan: bot key changed, not proven: look it up", phasePlan,
			with(known, func(f *tokenFacts) { f.selectorChanged = true }), stepLookUp},
		{"plan: import not read yet: look it up", phasePlan,
			with(known, func(f *tokenFacts) { f.unread = true }), stepLookUp},
		{"plan: bot key changed to another key of the same bot", phasePlan,
			with(known, func(f *tokenFacts) { f.selectorChanged = true; f.botOfToken = botA }), stepProceed},
		{"plan: bot key changed to another bot's: replace", phasePlan,
			with(known, func(f *tokenFacts) { f.selectorChanged = true; f.botOfToken = botB }), stepReplace},
		{"plan: after an import, bot changed to another bot's: replace", phasePlan,
			with(known, func(f *tokenFacts) { f.selectorChanged = true; f.botOfToken = botB }), stepReplace},
		{"plan: unread import with another bot's token", phasePlan,
			with(known, func(f *tokenFacts) { f.unread = true; f.selectorChanged = true; f.botOfToken = botB }), stepRefuseImport},
		{"plan: the import's own plan, another bot's token: a mistyped import ID, not a move", phasePlan,
			with(known, func(f *tokenFacts) { f.imported = true; f.selectorChanged = true }), stepLookUp},
		{"plan: the import's own plan, read with a provider token, another bot's configured", phasePlan,
			with(known, func(f *tokenFacts) { f.imported = true; f.selectorChanged = true; f.botOfToken = botB }), stepRefuseImport},
		{"plan: unread import with its bot's token", phasePlan,
			with(known, func(f *tokenFacts) { f.unread = true; f.botOfToken = botA }), stepProceed},
		{"plan: the refresh could not read Viber: does the configured token work?", phasePlan,
			with(known, func(f *tokenFacts) { f.unrefreshed = true }), stepLookUp},
		{"plan: the refresh could not read, the configured token is the bot's", phasePlan,
			with(known, func(f *tokenFacts) { f.unrefreshed = true; f.botOfToken = botA }), stepProceed},
		{"plan: same token source known to be another bot's", phasePlan,
			with(known, func(f *tokenFacts) { f.botOfToken = botB }), stepRefuseCrossed},

		// Updates.
		{"update: token not proven (saved plan, -refresh=false, new token)", phaseUpdate,
			with(known, func(f *tokenFacts) { f.hookChanged = true }), stepLookUp},
		{"update: token not proven, nothing Viber holds changes: still checked", phaseUpdate,
			known, stepLookUp},
		{"update: another bot's token: nothing sent", phaseUpdate,
			with(known, func(f *tokenFacts) { f.hookChanged = true; f.botOfToken = botB }), stepRefuseCrossed},
		{"update: another bot's token, token change only: nothing recorded", phaseUpdate,
			with(known, func(f *tokenFacts) { f.botOfToken = botB }), stepRefuseCrossed},
		{"update: proven, url changed", phaseUpdate,
			with(known, func(f *tokenFacts) { f.hookChanged = true; f.botOfToken = botA }), stepSet},
		{"update: proven, token or timeouts only", phaseUpdate,
			with(known, func(f *tokenFacts) { f.botOfToken = botA }), stepRecord},
		{"update: unread import, token proven: still read Viber", phaseUpdate,
			with(known, func(f *tokenFacts) { f.unread = true; f.hookChanged = true; f.botOfToken = botA }), stepLookUp},
		{"update: unread import, Viber read now holds the plan", phaseUpdate,
			with(known, func(f *tokenFacts) {
				f.unread, f.hookChanged, f.botOfToken, f.liveRead, f.liveHolds = true, true, botA, true, true
			}), stepRecord},
		{"update: unread import, Viber read now holds something else", phaseUpdate,
			with(known, func(f *tokenFacts) { f.unread, f.hookChanged, f.botOfToken, f.liveRead = true, true, botA, true }), stepSet},
		{"update: unread import read with another bot's token", phaseUpdate,
			with(known, func(f *tokenFacts) { f.unread, f.hookChanged, f.botOfToken, f.liveRead = true, true, botB, true }), stepRefuseCrossed},

		// Deletes.
		{"delete: token not proven (-refresh=false, saved plan)", phaseDelete,
			known, stepLookUp},
		{"delete: proven", phaseDelete,
			with(known, func(f *tokenFacts) { f.botOfToken = botA }), stepRemove},
		{"delete: another bot's token: another token of this bot, or nothing", phaseDelete,
			with(known, func(f *tokenFacts) { f.botOfToken = botB }), stepFallBack},
		{"delete: Viber rejects the token", phaseDelete,
			with(known, func(f *tokenFacts) { f.rejected = true }), stepFallBack},
		{"delete: proven, then rejected by the removal", phaseDelete,
			with(known, func(f *tokenFacts) { f.botOfToken = botA; f.rejected = true }), stepFallBack},
		{"delete: bots key gone or no token", phaseDelete,
			with(known, func(f *tokenFacts) { f.tokenUsable = false }), stepFallBack},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := decide(tt.phase, tt.facts); got != tt.want {
				t.Errorf("decide(%v, %+v) = %v, want %v", tt.phase, tt.facts, got, tt.want)
			}
		})
	}
}

// A write never goes ahead with a token it knows nothing about: whatever
// else holds, the first step is a look-up (or the fallback, for a delete).
func TestDecideWritesNeverTrustAnUnprovenToken(t *testing.T) {
	for _, p := range []phase{phaseUpdate, phaseDelete} {
		for _, changed := range []bool{false, true} {
			for _, unread := range []bool{false, true} {
				f := tokenFacts{stateID: botA, tokenKnown: true, tokenUsable: true, selectorChanged: changed, unread: unread, hookChanged: changed}
				if got := decide(p, f); got != stepLookUp {
					t.Errorf("decide(%v, %+v) = %v, want a look-up first", p, f, got)
				}
			}
		}
	}
}

func TestFingerprintBindsTokenToBot(t *testing.T) {
	const token = "44dafb7e0f40021e-61a47a1e6778d187-f2c5a676a07050b3"
	fp := fingerprint(botA, token)
	switch {
	case fp != fingerprint(botA, token):
		t.Error("the fingerprint is not stable")
	case fp == fingerprint(botB, token):
		t.Error("the fingerprint does not depend on the bot")
	case fp == fingerprint(botA, token[:len(token)-1]+"4"):
		t.Error("the fingerprint does not depend on the token")
	case len(fp) != 32:
		t.Errorf("fingerprint %q, want 32 hex digits", fp)
	}
	for _, part := range []string{"44dafb7e0f40021e", "61a47a1e6778d187", "f2c5a676a07050b3"} {
		if strings.Contains(fp, part) {
			t.Errorf("the fingerprint %q holds part of the token", fp)
		}
	}
}

func TestLooksLikeToken(t *testing.T) {
	for id, want := range map[string]bool{
		"44dafb7e0f40021e-61a47a1e6778d187-f2c5a676a07050b3":   true,
		" 44dafb7e0f40021e-61a47a1e6778d187-f2c5a676a07050b3 ": true,
		"44DAFB7E0F40021E61A47A1E6778D187F2C5A676A07050B3":     true,
		"445da6az1s345z78-dazcczb2542zv51a-e0vc5fva17480im9":   true,
		"pa:75346594275468546724":                              false,
		"pa:100":                                               false,
		"75346594275468546724":                                 false,
	} {
		if got := looksLikeToken(id); got != want {
			t.Errorf("looksLikeToken(%q) = %v, want %v", id, got, want)
		}
	}
}

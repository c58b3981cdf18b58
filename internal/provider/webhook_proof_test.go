package provider

import (
	"strings"
	"testing"
)

const (
	botA = "pa:100"
	botB = "pa:200"
)

// Every row of planFor, as the acceptance tests walk them with the CLI.
func TestPlanFor(t *testing.T) {
	moved := planCase{selectorChanged: true, keyChanged: true, sameTokens: true}
	tests := []struct {
		name     string
		c        planCase
		tokenBot string
		want     planAction
	}{
		{"another key of the same bot: in place", moved, botA, planUpdate},
		{"a replaced token of the same bot, other tokens than the refresh's: in place",
			planCase{selectorChanged: true}, botA, planUpdate},
		{"another bot's key: replace", moved, botB, planReplace},
		{"another bot's key, tokens not the refresh's (saved plan, -refresh=false): refused",
			planCase{selectorChanged: true, keyChanged: true}, botB, planRefuseCrossed},
		{"another bot's token in auth_token: refused, as when it is known only at apply",
			planCase{selectorChanged: true, sameTokens: true}, botB, planRefuseCrossed},
		{"the plan of an import, another bot's token: a mistyped ID",
			planCase{imported: true, selectorChanged: true, keyChanged: true, sameTokens: true}, botB, planRefuseImport},
		{"the plan of an import, its bot's token", planCase{imported: true, sameTokens: true}, botA, planUpdate},
		{"an unread import, same token source, another bot's", planCase{sameTokens: true}, botB, planRefuseCrossed},
	}
	for _, tt := range tests {
		if got := planFor(tt.c, botA, tt.tokenBot); got != tt.want {
			t.Errorf("%s: planFor = %v, want %v", tt.name, got, tt.want)
		}
	}
	if (planCase{sameTokens: true}).needsProof() {
		t.Error("an unchanged token source needs a proof at plan time; the write proves it")
	}
}

func TestFingerprintBindsTokenToBot(t *testing.T) {
	fp := fingerprint(botA, "t1")
	if fp != fingerprint(botA, " t1\n") {
		t.Error("a padded token is another token; Viber reads it trimmed")
	}
	if fp == fingerprint(botB, "t1") || fp == fingerprint(botA, "t2") {
		t.Error("the fingerprint does not bind the token to the bot")
	}
	if strings.Contains(fp, "t1") || len(fp) != 32 {
		t.Errorf("fingerprint %q", fp)
	}
}

func TestTokensDigestTellsTokenSetsApart(t *testing.T) {
	base := tokensDigest("p", map[string]string{"a": "t1", "b": "t2"})
	if base != tokensDigest("p\n", map[string]string{"b": "t2 ", "a": "t1"}) {
		t.Error("the digest depends on padding or order")
	}
	for name, other := range map[string]string{
		"swapped keys": tokensDigest("p", map[string]string{"a": "t2", "b": "t1"}),
		"renamed key":  tokensDigest("p", map[string]string{"a": "t1", "c": "t2"}),
		"provider":     tokensDigest("q", map[string]string{"a": "t1", "b": "t2"}),
		"shifted":      tokensDigest("p", map[string]string{"a": "t1\x00b", "": "t2"}),
	} {
		if other == base {
			t.Errorf("%s: same digest", name)
		}
	}
}

func TestLooksLikeToken(t *testing.T) {
	for _, id := range []string{"44dafb7e0f40021e-61a47a1e6778d187-f2c5a676a07050b3", " 445da6az1s345z78-dazcczb2542zv51a-e0vc5fva17480im9 "} {
		if !looksLikeToken(id) {
			t.Errorf("%q not taken for a token", id)
		}
	}
	for _, id := range []string{"pa:75346594275468546724", "pa:100", ""} {
		if looksLikeToken(id) {
			t.Errorf("%q taken for a token", id)
		}
	}
}

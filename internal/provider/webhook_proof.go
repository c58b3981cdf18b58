package provider

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// One proof of the bot.
//
// A webhook belongs to one bot: the account ID in state (id). Nothing is
// sent to Viber with a token not proven to be that bot's, and proveBot is
// the one way to prove it: the fingerprint the last read or write of this
// object recorded, else what this process learnt, else one get_account_info.
//
// The rules, one per operation:
//
//	plan    Proves the token only where the action depends on its bot: the
//	        configuration names another token source than the state (bot or
//	        auth_token changed), the plan follows an import, or the refresh
//	        left no proof (Viber rejected the token). planFor says what
//	        follows. Only a new bots key moves a webhook to another bot (a
//	        replacement); a token known only at apply cannot, so another
//	        bot's token anywhere else is refused, at plan or at apply alike.
//	        A new key whose token the plan cannot see plans a replacement.
//	create  Sets the webhook and learns its bot alongside: one round trip.
//	update  Proves the token before set_webhook; another bot's is refused.
//	delete  Proves the token; a rejected one or another bot's gives way to
//	        another configured token of the bot. The removal half of a
//	        replacement is refused when the provider's tokens changed since
//	        its plan: the new half could reach a bot the plan never saw.
//	read    Reads with the state's token, else another configured token of
//	        the bot, and records the proof and the tokens it saw.
//
// Invariants: a plan's action is the same when its apply plans again (the
// tokens are the plan's, so every look-up answers the same; with other
// tokens, a look-up that would change the action is refused instead);
// nothing remembered across calls is trusted beyond its object (private
// state) or a token's bot (which never changes); what Viber cannot report
// (send_name, send_photo) is never assumed applied.

// Keys of the webhook's private state. None holds a token.
const (
	// privateFingerprint proves "this token is this bot's" for the next write.
	privateFingerprint = "token_fingerprint"
	// privateTokens is the digest of the provider's tokens when the object
	// was last read or written: a plan whose tokens differ was not refreshed
	// with them (a saved plan applied with other tokens, -refresh=false).
	privateTokens = "provider_tokens"
	// privateReplacing marks a replacement's plan, with the digest of the
	// tokens it was made with, for the removal half.
	privateReplacing = "replacing"
	// privateObject names the object, so that what one process remembers
	// (claims, writes) tells one object from another over many runs.
	privateObject = "object"
)

// errNoToken is a proof asked of no token; the plan reports the missing one.
var errNoToken = errors.New("no auth token configured")

// legacyPrivateKeys are what earlier versions kept; the next write drops them.
var legacyPrivateKeys = []string{"unverified_import", "refreshed_in", "live_webhook", "unrefreshed", "planned_in"}

type privateState interface {
	GetKey(context.Context, string) ([]byte, diag.Diagnostics)
	SetKey(context.Context, string, []byte) diag.Diagnostics
}

// planAction is what a plan does about a proven token.
type planAction int

const (
	planUpdate        planAction = iota // the state's bot: change in place
	planReplace                         // another bot's key on purpose: replace
	planRefuseImport                    // another bot right after an import: a mistyped ID
	planRefuseCrossed                   // another bot that this plan cannot vouch for
)

// planCase is what a plan knows beside the two bots.
type planCase struct {
	imported        bool // the plan of an import
	unproven        bool // the refresh could not prove the state's token
	selectorChanged bool // bot or auth_token differs from the state's
	keyChanged      bool // bot names another key than the state's
	sameTokens      bool // the provider's tokens are those the state was read with
}

// planFor decides a plan whose token proved to be the bot tokenBot's, for
// a webhook of stateBot.
func planFor(c planCase, stateBot, tokenBot string) planAction {
	switch {
	case tokenBot == stateBot:
		return planUpdate
	case c.imported:
		return planRefuseImport
	case c.keyChanged && c.sameTokens:
		return planReplace
	default:
		return planRefuseCrossed
	}
}

// needsProof reports whether a plan's action depends on its token's bot.
func (c planCase) needsProof() bool { return c.selectorChanged || c.imported || c.unproven }

// proveBot returns the bot token belongs to: stateID when p's fingerprint
// proves it, else what this process learnt, else one look-up (cached).
func (r *webhookResource) proveBot(ctx context.Context, p privateState, stateID, token string) (string, error) {
	if bot := r.knownBot(ctx, p, stateID, token); bot != "" {
		return bot, nil
	}
	c, diags := r.data.client(token)
	if diags.HasError() {
		return "", errNoToken
	}
	return r.data.accountID(ctx, c, token)
}

// knownBot is the bot token is known to belong to without a call: stateID
// when p's fingerprint proves it, else what this process learnt; "" when
// neither knows.
func (r *webhookResource) knownBot(ctx context.Context, p privateState, stateID, token string) string {
	if stateID != "" && getString(ctx, p, privateFingerprint) == fingerprint(stateID, token) {
		return stateID
	}
	return r.data.identities.known(token)
}

// recordRead keeps, after a read or a write with token, the proof that it
// is accountID's ("": no proof of the state's token) and the provider
// tokens it was made with, and drops what no longer applies.
func (r *webhookResource) recordRead(ctx context.Context, p privateState, accountID, token string) diag.Diagnostics {
	proof := ""
	if token != "" {
		proof = fingerprint(accountID, token)
	}
	diags := setString(ctx, p, privateFingerprint, proof)
	diags.Append(setString(ctx, p, privateTokens, r.data.tokensDigest)...)
	for _, key := range append([]string{privateReplacing}, legacyPrivateKeys...) {
		if hasKey(ctx, p, key) {
			diags.Append(p.SetKey(ctx, key, nil)...)
		}
	}
	return diags
}

// objectOf is the object's name in p, given one when it has none.
func objectOf(ctx context.Context, p privateState) (string, diag.Diagnostics) {
	if name := getString(ctx, p, privateObject); name != "" {
		return name, nil
	}
	name := newObjectName()
	return name, setString(ctx, p, privateObject, name)
}

func newObjectName() string {
	var raw [12]byte
	_, _ = rand.Read(raw[:]) // never fails (crypto/rand panics rather)
	return hex.EncodeToString(raw[:])
}

// fingerprint stands for "token belongs to the bot accountID": a hash, so
// neither the state nor a saved plan holds the token.
func fingerprint(accountID, token string) string {
	sum := sha256.Sum256([]byte("viber_webhook token\x00" + accountID + "\x00" + botKey(token)))
	return hex.EncodeToString(sum[:16])
}

// tokensDigest stands for the provider's tokens (its auth_token and every
// bots entry), without holding any of them.
func tokensDigest(token string, bots map[string]string) string {
	keys := make([]string, 0, len(bots))
	for k := range bots {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	h := sha256.New()
	h.Write([]byte("viber provider tokens\x00" + botKey(token)))
	for _, k := range keys {
		h.Write([]byte("\x00" + k + "\x00" + botKey(bots[k])))
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// botKey is token as Viber reads it, without surrounding whitespace: the
// key of its bot in what a process remembers.
func botKey(token string) string { return strings.TrimSpace(token) }

func getString(ctx context.Context, p privateState, key string) string {
	raw, _ := p.GetKey(ctx, key)
	var s string
	if len(raw) > 0 && json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}

func setString(ctx context.Context, p privateState, key, value string) diag.Diagnostics {
	if value == "" {
		return p.SetKey(ctx, key, nil)
	}
	b, _ := json.Marshal(value) // a string always marshals
	return p.SetKey(ctx, key, b)
}

func hasKey(ctx context.Context, p privateState, key string) bool {
	v, _ := p.GetKey(ctx, key)
	return len(v) > 0
}

package provider

import (
	"crypto/sha256"
	"encoding/hex"
)

// step is what an operation on a webhook does about its token.
type step int

const (
	// stepLookUp: ask Viber whose the token is, then decide again.
	stepLookUp step = iota
	// stepProceed: plan as Terraform would, with nothing more to check.
	stepProceed
	// stepReplace: the configuration moved the webhook to another bot.
	stepReplace
	// stepRefuseImport: the imported ID is not the configured token's bot.
	stepRefuseImport
	// stepRefuseCrossed: the token is another bot's; nothing may be sent.
	stepRefuseCrossed
	// stepSet: call set_webhook with the proven token.
	stepSet
	// stepRecord: record the plan without calling Viber.
	stepRecord
	// stepRemove: remove the webhook with the proven token.
	stepRemove
	// stepFallBack: look for another configured token of the recorded bot.
	stepFallBack
)

// phase is the operation a decision is made for.
type phase int

const (
	phasePlan phase = iota
	phaseUpdate
	phaseDelete
)

// tokenFacts is what an operation knows about a webhook and the token it
// would use, all of it derived again in every operation.
type tokenFacts struct {
	// stateID is the bot the webhook belongs to (its account ID in state).
	stateID string
	// unread: imported, but no refresh has read it yet (state has no url).
	unread bool
	// imported: this is the import's own plan (its read ran in this
	// process), so the token source in state is the read's guess, not the
	// configuration's.
	imported bool
	// unrefreshed: the last refresh could not read Viber with the state's
	// token (Viber rejects it, or its bots key is gone).
	unrefreshed bool
	// selectorChanged: the configuration names another token source than
	// the state (bot key, or auth_token, changed).
	selectorChanged bool
	// tokenKnown is false while the token is unknown (plan time only).
	tokenKnown bool
	// tokenUsable is false when no token resolves (no bots entry, none set).
	tokenUsable bool
	// botOfToken is the bot the token belongs to, as far as known without a
	// call (a fingerprint in private state, the process's identity cache)
	// or from a look-up made for this decision; "" when not known yet.
	botOfToken string
	// rejected: Viber rejects the token (it was replaced); deletes only.
	rejected bool
	// hookChanged: url, event_types, send_name or send_photo differ
	// between the plan and the state.
	hookChanged bool
	// liveRead: Viber was read in this very operation; liveHolds: it
	// already holds the planned webhook.
	liveRead, liveHolds bool
}

// decide is the one place that says, for a plan, an update or a delete,
// whether to check the token's bot, call Viber, replace or refuse.
func decide(p phase, f tokenFacts) step {
	switch p {
	case phasePlan:
		return decidePlan(f)
	case phaseUpdate:
		return decideUpdate(f)
	default:
		return decideDelete(f)
	}
}

// decidePlan checks the token only where the plan must: when the
// configuration points the webhook at another token source (another bot's
// means a replacement), when an import was never read, and when the
// refresh could not read Viber (the plan then says whether the configured
// token works). Any other doubt is settled by the write, which checks
// every token it has not proven.
func decidePlan(f tokenFacts) step {
	if !f.tokenKnown || !f.tokenUsable {
		return stepProceed
	}
	if f.botOfToken == "" {
		if f.selectorChanged || f.unread || f.unrefreshed {
			return stepLookUp
		}
		return stepProceed
	}
	switch {
	case f.botOfToken == f.stateID:
		return stepProceed
	case f.unread || f.imported:
		return stepRefuseImport
	case f.selectorChanged:
		return stepReplace
	default:
		return stepRefuseCrossed
	}
}

// decideUpdate sends nothing with a token not proven to be the recorded
// bot's, and calls set_webhook only when something Viber holds changes:
// against the state, or, for an import no refresh could read, against
// Viber itself, read with that token in this update.
func decideUpdate(f tokenFacts) step {
	switch {
	case f.botOfToken == "" || (f.unread && !f.liveRead):
		return stepLookUp
	case f.botOfToken != f.stateID:
		return stepRefuseCrossed
	case f.hookChanged && !f.liveHolds:
		return stepSet
	default:
		return stepRecord
	}
}

// decideDelete removes the webhook with a token proven to be the recorded
// bot's; one that is not, or that Viber rejects, gives way to another
// configured token of that bot.
func decideDelete(f tokenFacts) step {
	switch {
	case !f.tokenUsable || f.rejected:
		return stepFallBack
	case f.botOfToken == "":
		return stepLookUp
	case f.botOfToken != f.stateID:
		return stepFallBack
	default:
		return stepRemove
	}
}

// fingerprint stands for "token belongs to the bot accountID" in private
// state: a hash, so neither the state nor a saved plan holds the token.
func fingerprint(accountID, token string) string {
	sum := sha256.Sum256([]byte("viber_webhook token\x00" + accountID + "\x00" + token))
	return hex.EncodeToString(sum[:16])
}

package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/viberops/terraform-provider-viber/internal/viber"
)

// readAccount reads the webhook's bot with the token the state resolves
// to, else (its bots key is gone, Viber rejects it, it is another bot's
// now, or an import has none) with whichever configured token is the
// bot's. When none is, it warns and keeps the state as it was. proof is
// the token the read proves to be the bot's for the next plan: "" when the
// state's token is another bot's now, so that the plan proves the
// configured one. ok is false when Read has nothing more to do.
func (r *webhookResource) readAccount(ctx context.Context, state *webhookModel, resp *resource.ReadResponse) (info *viber.AccountInfo, proof string, ok bool) {
	id := state.ID.ValueString()
	token, keyDiags := r.data.tokenFor(state.Bot, state.AuthToken)
	var err error
	if !keyDiags.HasError() && token != "" {
		c, _ := r.data.client(token)
		info, err = r.data.liveAccount(ctx, c, token)
	}
	if err != nil && !viber.TokenRejected(err) {
		resp.Diagnostics.Append(apiErrorDiag(ctx, "reading the webhook", err))
		return nil, "", false
	}
	if err == nil && info != nil && info.ID == id {
		return info, token, true
	}
	// The state's own token cannot read this bot: try the others.
	found, key, ok := r.data.findToken(ctx, id)
	if !ok {
		resp.Diagnostics.AddWarning(cannotReadSummary(*state), cannotReadDetail(*state, keyDiags, info, token))
		// Nothing proves the state's token now: the plan proves the configured one.
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateFingerprint, nil)...)
		return nil, "", false
	}
	crossed := err == nil && info != nil // the state's token reads another bot
	c, _ := r.data.client(found)
	if info, err = c.AccountInfo(ctx); err != nil {
		resp.Diagnostics.Append(apiErrorDiag(ctx, "reading the webhook", err))
		return nil, "", false
	}
	switch {
	case state.URL.IsNull(): // an import: its configuration was not seen
		if key != "" {
			state.Bot = types.StringValue(key) // as a list result's configuration names it
		}
	case crossed:
		return info, "", true
	default:
		resp.Diagnostics.AddWarning("Webhook read with another token of its bot",
			fmt.Sprintf("The webhook is the bot %q's. %s Another of the provider's tokens is the bot's, so the refresh "+
				"read the webhook with that one. A change to this webhook is sent with the configured token: configure "+
				"the bot's current token there.", id, whyUnread(*state, keyDiags, nil, token)))
	}
	return info, found, true
}

// cannotReadSummary and cannotReadDetail warn that no configured token
// reads the webhook's bot; the plan then checks the configured one.
func cannotReadSummary(state webhookModel) string {
	if state.URL.IsNull() {
		return "Imported webhook not read yet"
	}
	return "Cannot refresh the webhook with its token"
}

func cannotReadDetail(state webhookModel, keyDiags diag.Diagnostics, info *viber.AccountInfo, token string) string {
	id := state.ID.ValueString()
	if state.URL.IsNull() {
		return fmt.Sprintf("None of the provider's tokens (auth_token, bots) belongs to the bot %q, so the webhook is read "+
			"by the plan, with the token the resource's configuration gives it (its own auth_token, for instance). If "+
			"that token is not the bot's, or its bots key is missing, the plan fails. Check the import ID, and that "+
			"the provider's bots hold the bot's current token (Viber may have replaced it).", id)
	}
	return fmt.Sprintf("The webhook is the bot %q's. %s No other token of the provider (auth_token, bots) is that "+
		"bot's either. If the bot's token was replaced or its key renamed, configure the new one: the plan checks it "+
		"with Viber and, for the same bot, records it without touching the webhook. This refresh leaves the state as it was.",
		id, whyUnread(state, keyDiags, info, token))
}

// whyUnread says why the state's own token did not read its bot: info is
// the other bot it read, if any.
func whyUnread(state webhookModel, keyDiags diag.Diagnostics, info *viber.AccountInfo, token string) string {
	switch {
	case keyDiags.HasError():
		return keyDiags[0].Detail()
	case token == "":
		return "No token is configured for it."
	case info != nil:
		return fmt.Sprintf("The token configured for it (%s) belongs to the bot %q now.", tokenSource(state), info.ID)
	default:
		return "Viber rejects the token configured for it (" + tokenSource(state) + "): invalidAuthToken (2)."
	}
}

// crossedBotsDiag is the error of an operation whose token belongs to
// another bot than the webhook's: it names both bots and where the token
// comes from (never the token), and says that nothing was sent. doing reads
// after "while", e.g. "updating the webhook".
func crossedBotsDiag(doing string, stateID, source, tokenID string) diag.Diagnostic {
	return diag.NewErrorDiagnostic("The auth token belongs to another bot",
		fmt.Sprintf("This webhook is the bot %q's, but the token configured for it (%s) belongs to the bot %q. "+
			"No change was sent to Viber while %s: neither bot's webhook was touched.\n\n"+
			"If the token was swapped by mistake (a pipeline secret, a bots entry, %s), configure %q's token there "+
			"again and retry. To move this webhook to %q on purpose, either point bot at a bots key holding %q's "+
			"token (keeping %q's token where it was) and plan again, which replaces the webhook, or give the resource "+
			"a new address without a moved block, which removes %q's webhook and creates %q's. A token outside bots "+
			"(auth_token, %s) never moves a webhook: it may be known only at apply, too late to plan a replacement. "+
			"To stop managing %q's webhook without touching it: terraform state rm.",
			stateID, source, tokenID, doing, EnvAuthToken, stateID, tokenID, tokenID, stateID, stateID, tokenID, EnvAuthToken, stateID))
}

// importMismatchDiag is the error of a plan, right after an import, whose
// configured token is another bot's than the import ID.
func importMismatchDiag(importID, tokenID string) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Import ID is not this bot's account ID",
		fmt.Sprintf("The webhook imported is the bot %q's, but the token this resource uses (its bot, its auth_token, "+
			"or the provider's) belongs to the bot %q. Nothing was changed at Viber. If the import ID is mistyped, "+
			"import with %q. To move the imported webhook to %q on purpose, apply the import with %q's token first; "+
			"a later plan, with refresh, then replaces it.", importID, tokenID, tokenID, tokenID, importID))
}

// tokenSource names where an object's token comes from, never the token.
func tokenSource(m webhookModel) string {
	switch {
	case !m.Bot.IsNull():
		return fmt.Sprintf("the provider's bots entry %q", m.Bot.ValueString())
	case !m.AuthToken.IsNull():
		return "its own auth_token"
	default:
		return "the provider's auth_token or " + EnvAuthToken
	}
}

// fallbackClient is the client of whichever of the provider's tokens is
// the bot accountID's, for a delete whose own token cannot be used.
func (r *webhookResource) fallbackClient(ctx context.Context, accountID string) (*viber.Client, string, bool) {
	token, _, ok := r.data.findToken(ctx, accountID)
	if !ok {
		return nil, "", false
	}
	c, diags := r.data.client(token)
	return c, token, !diags.HasError()
}

// staleTokenDeleteDiag explains a delete no configured token can make.
func staleTokenDeleteDiag(state webhookModel, cause string) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Cannot remove the webhook: no working token for its bot",
		fmt.Sprintf("%s None of the provider's tokens belongs to the bot %q either, so nothing was sent. If Viber "+
			"replaced the token, configure the new one and run terraform apply first (it records the token without "+
			"touching the webhook), then destroy; or add it to the provider's bots. To stop managing the webhook "+
			"without removing it from Viber: terraform state rm.", cause, state.ID.ValueString()))
}

// tokenShaped matches what a Viber auth token looks like (three groups of
// 16 characters, hex in practice, letters in Viber's own examples), give or
// take the grouping; an account ID ("pa:...") never does.
var tokenShaped = regexp.MustCompile(`^[0-9A-Za-z-]{32,}$`)

// looksLikeToken reports whether an import ID is more likely a pasted auth
// token than an account ID.
func looksLikeToken(id string) bool {
	return tokenShaped.MatchString(strings.TrimSpace(id))
}

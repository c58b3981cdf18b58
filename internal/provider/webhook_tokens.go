package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/viberops/terraform-provider-viber/internal/viber"
)

// Keys of the webhook's private state. Each says what the last refresh or
// write found, and the next one replaces it; none records a decision.
const (
	// privateFingerprint: the fingerprint of the last token a refresh or a
	// write proved to be the bot's, so that the next write with that token
	// needs no look-up.
	privateFingerprint = "token_fingerprint"
	// privateUnrefreshed: the last refresh could not read Viber with the
	// state's token, so the plan checks the configured one.
	privateUnrefreshed = "unrefreshed"
)

// legacyPrivateKeys are what earlier versions kept in private state; the
// next refresh or write drops them.
var legacyPrivateKeys = []string{"unverified_import", "refreshed_in", "live_webhook"}

type privateState interface {
	GetKey(context.Context, string) ([]byte, diag.Diagnostics)
	SetKey(context.Context, string, []byte) diag.Diagnostics
}

// jsonString is s as private state holds it: JSON.
func jsonString(s string) []byte {
	b, _ := json.Marshal(s) // a string always marshals
	return b
}

// botOf is the bot token is known to belong to without asking Viber: the
// recorded bot when the private fingerprint proves it, else whatever the
// process's identity cache learnt; "" when neither knows.
func (r *webhookResource) botOf(ctx context.Context, p privateState, stateID, token string) string {
	if stateID != "" {
		if fp, _ := p.GetKey(ctx, privateFingerprint); string(fp) == string(jsonString(fingerprint(stateID, token))) {
			return stateID
		}
	}
	return r.data.identities.known(token)
}

// recordProof keeps the fingerprint of a token that just worked for the
// bot accountID, and drops what it makes stale.
func recordProof(ctx context.Context, p privateState, accountID, token string) diag.Diagnostics {
	fp := jsonString(fingerprint(accountID, token))
	old, _ := p.GetKey(ctx, privateFingerprint)
	if string(old) == string(fp) && !hasKey(ctx, p, privateUnrefreshed) && !hasKey(ctx, p, privatePlanned) {
		return nil
	}
	diags := p.SetKey(ctx, privateFingerprint, fp)
	for _, key := range append([]string{privateUnrefreshed, privatePlanned}, legacyPrivateKeys...) {
		diags.Append(p.SetKey(ctx, key, nil)...)
	}
	return diags
}

// hasKey reports whether private state holds key.
func hasKey(ctx context.Context, p privateState, key string) bool {
	v, _ := p.GetKey(ctx, key)
	return len(v) > 0
}

// readAccount reads the bot's account for Read with the token the state
// resolves to, or, for an import no refresh has read yet, with whichever of
// the provider's tokens is that bot's. When Viber rejects the token or the
// bot key is gone, it keeps the state as it is and warns. ok is false when
// Read has nothing more to do.
func (r *webhookResource) readAccount(ctx context.Context, state *webhookModel, resp *resource.ReadResponse) (info *viber.AccountInfo, token string, ok bool) {
	token, keyDiags := r.data.tokenFor(state.Bot, state.AuthToken)
	var err error
	if !keyDiags.HasError() && token != "" {
		c, _ := r.data.client(token)
		info, err = c.AccountInfo(ctx)
	}
	notThisBot := keyDiags.HasError() || token == "" || viber.TokenRejected(err) || (err == nil && info.ID != state.ID.ValueString())
	if state.URL.IsNull() && notThisBot { // an import: its configuration was not seen
		found, key, ok := r.data.findToken(ctx, state.ID.ValueString())
		if !ok {
			resp.Diagnostics.AddWarning("Imported webhook not read yet",
				fmt.Sprintf("None of the provider's tokens (auth_token, bots) belongs to the bot %q, so the webhook is read "+
					"by the plan, with the token the resource's configuration gives it (its own auth_token, for instance). If "+
					"that token is not the bot's, or its bots key is missing, the plan fails. Check the import ID, and that "+
					"the provider's bots hold the bot's current token (Viber may have replaced it).", state.ID.ValueString()))
			return nil, "", false
		}
		c, _ := r.data.client(found)
		token, keyDiags = found, nil
		info, err = c.AccountInfo(ctx)
		if key != "" {
			state.Bot = types.StringValue(key) // as a list result's configuration names it
		}
	}
	switch {
	case keyDiags.HasError() || viber.TokenRejected(err):
		why := "Viber rejects the token configured for it (" + tokenSource(*state) + "): invalidAuthToken (2)."
		if keyDiags.HasError() {
			why = keyDiags[0].Detail()
		}
		resp.Diagnostics.AddWarning("Cannot refresh the webhook with its token",
			why+" If the bot's token was replaced or its key renamed, configure the new one: the plan checks it "+
				"with Viber and, for the same bot, records it without touching the webhook. This refresh leaves the state as it was.")
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateUnrefreshed, []byte("true"))...)
		return nil, "", false
	case token == "":
		resp.Diagnostics.Append(missingTokenDiag())
		return nil, "", false
	case err != nil:
		resp.Diagnostics.Append(apiErrorDiag(ctx, "reading the webhook", err))
		return nil, "", false
	}
	return info, token, true
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
			"again and retry. To move this webhook to %q on purpose, keep %q's token where it was, point bot (or "+
			"auth_token) at a source of %q's token, and plan again: that plan replaces the webhook. To stop managing "+
			"%q's webhook without touching it: terraform state rm.",
			stateID, source, tokenID, doing, EnvAuthToken, stateID, tokenID, stateID, tokenID, stateID))
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

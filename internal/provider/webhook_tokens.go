package provider

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/viberops/terraform-provider-viber/internal/viber"
)

// Keys of the webhook's private state: what one operation leaves for the
// next about the token, where the configuration is not available.
const (
	// privateUnverified: imported, and the import ID not yet checked against
	// the token the resource's configuration uses (ImportState sees none).
	privateUnverified = "unverified_import"
	// privateUnrefreshed: the last refresh could not read Viber (it rejects
	// the token in use, or the bot key is gone), so the plan reads it with
	// the configured token instead.
	privateUnrefreshed = "unrefreshed"
	// privateRefreshedIn: the provider configuration (walk) of the last
	// refresh. A plan that refreshed sees its own walk; the plan that apply
	// makes again sees the earlier one.
	privateRefreshedIn = "refreshed_in"
	// privateLive: whether the webhook Viber holds is the planned one,
	// when the plan had to read it itself ("same" or "differs").
	privateLive = "live_webhook"
)

// webhookFlags is the webhook's private state, decoded.
type webhookFlags struct {
	unverified, unrefreshed bool
	refreshedIn, live       string
}

type privateState interface {
	GetKey(context.Context, string) ([]byte, diag.Diagnostics)
	SetKey(context.Context, string, []byte) diag.Diagnostics
}

func readFlags(ctx context.Context, p privateState) (webhookFlags, diag.Diagnostics) {
	var f webhookFlags
	var diags diag.Diagnostics
	get := func(key string) []byte {
		v, d := p.GetKey(ctx, key)
		diags.Append(d...)
		return v
	}
	getString := func(key string) string {
		var s string
		if v := get(key); len(v) > 0 && json.Unmarshal(v, &s) != nil {
			diags.AddError("Unreadable private state", fmt.Sprintf("The webhook's private state %q is not a JSON string. "+
				"This is a provider bug: please report it.", key))
		}
		return s
	}
	f.unverified = len(get(privateUnverified)) > 0
	f.unrefreshed = len(get(privateUnrefreshed)) > 0
	f.refreshedIn = getString(privateRefreshedIn)
	f.live = getString(privateLive)
	return f, diags
}

// jsonString is s as private state holds it: JSON.
func jsonString(s string) []byte {
	b, _ := json.Marshal(s) // a string always marshals
	return b
}

func markRefreshed(ctx context.Context, p privateState, walk string) diag.Diagnostics {
	return p.SetKey(ctx, privateRefreshedIn, jsonString(walk))
}

func setUnrefreshed(ctx context.Context, p privateState, unrefreshed bool) diag.Diagnostics {
	if unrefreshed {
		return p.SetKey(ctx, privateUnrefreshed, []byte("true"))
	}
	return p.SetKey(ctx, privateUnrefreshed, nil)
}

// clearFlags forgets what a successful update has settled.
func clearFlags(ctx context.Context, p privateState) diag.Diagnostics {
	var diags diag.Diagnostics
	for _, key := range []string{privateUnverified, privateUnrefreshed, privateLive} {
		diags.Append(p.SetKey(ctx, key, nil)...)
	}
	return diags
}

// needsSet reports whether an update changes anything Viber holds: the
// webhook as read by the plan when the refresh could not read it, else as
// recorded in state. send_name and send_photo are never reported by Viber.
func (f webhookFlags) needsSet(plan, state webhookModel) bool {
	if !plan.SendName.Equal(state.SendName) || !plan.SendPhoto.Equal(state.SendPhoto) {
		return true
	}
	if f.live != "" {
		return f.live != "same"
	}
	return !plan.URL.Equal(state.URL) || !plan.EventTypes.Equal(state.EventTypes)
}

// readAccount reads the bot's account for Read with the token the state
// resolves to, or, for an import not yet checked, with whichever of the
// provider's tokens is that bot's. When Viber rejects the token or the
// bot key is gone, it keeps the state as it is and warns: the plan then
// reads Viber with the configured token, so that a replaced token can be
// applied. ok is false when Read has nothing more to do.
func (r *webhookResource) readAccount(ctx context.Context, state *webhookModel, flags webhookFlags, resp *resource.ReadResponse) (info *viber.AccountInfo, token string, ok bool) {
	token, keyDiags := r.data.tokenFor(state.Bot, state.AuthToken)
	var err error
	if !keyDiags.HasError() && token != "" {
		c, _ := r.data.client(token)
		info, err = c.AccountInfo(ctx)
	}
	notThisBot := keyDiags.HasError() || token == "" || viber.TokenRejected(err) || (err == nil && info.ID != state.ID.ValueString())
	if flags.unverified && notThisBot {
		found, key, ok := r.data.findToken(ctx, state.ID.ValueString())
		if !ok {
			resp.Diagnostics.AddWarning("Imported webhook not read yet",
				fmt.Sprintf("None of the provider's tokens (auth_token, bots) belongs to the bot %q, so the webhook is read "+
					"by the next plan, with the token the resource is configured with (its own auth_token). If no token "+
					"of that bot is configured, that plan fails: check the import ID.", state.ID.ValueString()))
			resp.Diagnostics.Append(setUnrefreshed(ctx, resp.Private, true)...)
			return nil, "", false
		}
		c, _ := r.data.client(found)
		token, keyDiags = found, nil
		info, err = c.AccountInfo(ctx)
		if key != "" && state.AuthToken.IsNull() {
			state.Bot = types.StringValue(key) // as a list result's configuration names it
		}
	}
	switch {
	case keyDiags.HasError() || viber.TokenRejected(err):
		why := "Viber rejects the token it was last applied with (" + tokenSource(*state) + "): invalidAuthToken (2)."
		if keyDiags.HasError() {
			why = keyDiags[0].Detail()
		}
		resp.Diagnostics.AddWarning("Cannot refresh the webhook with its token",
			why+" If the bot's token was replaced or its key renamed, configure the new one: the plan checks it "+
				"with Viber and, for the same bot, records it without touching the webhook. This refresh leaves the state as it was.")
		resp.Diagnostics.Append(setUnrefreshed(ctx, resp.Private, true)...)
		return nil, "", false
	case token == "":
		resp.Diagnostics.Append(missingTokenDiag())
		return nil, "", false
	case err != nil:
		resp.Diagnostics.Append(apiErrorDiag(ctx, "reading the webhook", err))
		return nil, "", false
	}
	resp.Diagnostics.Append(setUnrefreshed(ctx, resp.Private, false)...)
	return info, token, true
}

// checkBot is ModifyPlan's check of the bot behind the configured token,
// when the plan cannot take it from the refresh: the token is not the one
// in use, the import ID is unchecked, or the refresh could not read Viber.
func (r *webhookResource) checkBot(ctx context.Context, c *viber.Client, token string, plan, state webhookModel, flags webhookFlags, resp *resource.ModifyPlanResponse) {
	oldToken, _ := r.data.tokenFor(state.Bot, state.AuthToken)
	var id string
	switch {
	case flags.unrefreshed:
		info, err := c.AccountInfo(ctx)
		if err != nil {
			resp.Diagnostics.Append(apiErrorDiag(ctx, "reading the webhook with the configured token (the refresh could not)", err))
			return
		}
		r.data.identities.remember(token, info.ID)
		id = info.ID
		if id != state.ID.ValueString() {
			break
		}
		if flags.unverified && state.URL.IsNull() && info.Webhook == "" {
			resp.Diagnostics.AddError("No webhook to import",
				fmt.Sprintf("The bot %q has no webhook set. Remove the import and let terraform apply create it.", id))
			return
		}
		live := "same"
		if liveDiffers(ctx, plan, info) {
			live = "differs"
		}
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateLive, jsonString(live))...)
	case flags.unverified || token != oldToken:
		var err error
		if id, err = r.data.accountID(ctx, c, token); err != nil {
			// A warning, not an error: other bots in the configuration can still
			// be applied, and this one fails on its own at apply time.
			d := apiErrorDiag(ctx, "identifying the bot at plan time", err)
			resp.Diagnostics.AddWarning(d.Summary(), d.Detail()+"\n\nApplying this resource will fail until this is fixed.")
			return
		}
	default:
		return
	}
	switch {
	case id == state.ID.ValueString():
	case flags.unverified:
		resp.Diagnostics.Append(importMismatchDiag(state.ID.ValueString(), id))
	case flags.refreshedIn == r.data.walk:
		// A plan, with the token known: another bot's webhook is another object.
		changed := path.Root("auth_token")
		if !plan.Bot.Equal(state.Bot) {
			changed = path.Root("bot")
		}
		resp.RequiresReplace = append(resp.RequiresReplace, changed)
	default:
		// The plan apply makes again, for a token that was unknown when the
		// plan was made: replacing now would contradict that plan.
		resp.Diagnostics.Append(crossedBotsDiag(state.ID.ValueString(), id))
	}
}

// liveDiffers reports whether the webhook Viber holds differs from the
// planned one; an unknown planned value counts as a difference.
func liveDiffers(ctx context.Context, plan webhookModel, info *viber.AccountInfo) bool {
	if plan.URL.IsUnknown() || plan.EventTypes.IsUnknown() {
		return true
	}
	hook, diags := plan.webhook(ctx)
	return diags.HasError() || !sameURL(hook.URL, info.Webhook) || !viber.SameSelection(hook.EventTypes, info.EventTypes)
}

// crossedBotsDiag is the error for a token that turned out, too late to
// plan a replacement, to belong to another bot.
func crossedBotsDiag(stateID, tokenID string) diag.Diagnostic {
	return diag.NewErrorDiagnostic("The auth token now belongs to another bot",
		fmt.Sprintf("This webhook belongs to the bot %q, but the token configured for it, which was not known when the "+
			"plan was made, belongs to the bot %q. Nothing was changed: neither bot's webhook was touched. The next "+
			"plan (terraform apply again, with refresh, the default) replaces the webhook: it removes %q's and sets %q's. "+
			"If that is not what you meant, configure %q's token again.", stateID, tokenID, stateID, tokenID, stateID))
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
// the bot accountID's, for a delete whose own token no longer works.
func (r *webhookResource) fallbackClient(ctx context.Context, accountID string) (*viber.Client, bool) {
	token, _, ok := r.data.findToken(ctx, accountID)
	if !ok {
		return nil, false
	}
	c, diags := r.data.client(token)
	return c, !diags.HasError()
}

// staleTokenDeleteDiag explains a delete no configured token can make.
func staleTokenDeleteDiag(state webhookModel, cause string) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Cannot remove the webhook: no working token for its bot",
		fmt.Sprintf("%s None of the provider's tokens belongs to the bot %q either. If Viber replaced the token, "+
			"configure the new one and run terraform apply first (it records the token without touching the webhook), "+
			"then destroy; or add it to the provider's bots. To stop managing the webhook without removing it from "+
			"Viber: terraform state rm.", cause, state.ID.ValueString()))
}

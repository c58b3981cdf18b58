package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/viberops/terraform-provider-viber/internal/viber"
)

var (
	_ resource.ResourceWithConfigure      = (*webhookResource)(nil)
	_ resource.ResourceWithImportState    = (*webhookResource)(nil)
	_ resource.ResourceWithValidateConfig = (*webhookResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*webhookResource)(nil)
	_ resource.ResourceWithIdentity       = (*webhookResource)(nil)
)

// NewWebhookResource returns the viber_webhook resource.
func NewWebhookResource() resource.Resource { return &webhookResource{} }

type webhookResource struct {
	data *providerData
}

func (r *webhookResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webhook"
}

// ModifyPlan fails a plan that needs a token when none is configured, and
// proves the bot behind the configured token where the plan's action
// depends on it (webhook_proof.go says when, planFor what follows).
// Creates leave the look-up to Create, so that a plan and its apply look
// each bot up once. Last, it refuses a second resource for one bot, and a
// destroy that would remove the webhook another resource manages
// (webhook_claims.go).
func (r *webhookResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if !req.State.Raw.IsNull() {
		// Only this plan's replacement marks the removal half (below).
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateReplacing, nil)...)
	}
	if req.Plan.Raw.IsNull() {
		if r.data != nil && !req.State.Raw.IsNull() { // a destroy
			var state webhookModel
			if resp.Diagnostics.Append(req.State.Get(ctx, &state)...); !resp.Diagnostics.HasError() {
				resp.Diagnostics.Append(r.claimDestroy(ctx, req.Private, state)...)
			}
		}
		return
	}
	var plan, state webhookModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	hasState := !req.State.Raw.IsNull()
	if hasState {
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	if r.data == nil { // a provider whose configuration is not known yet
		if hasState {
			planUnseenToken(plan, state, true, resp)
		}
		return
	}
	// Last, so that a more precise error (a mistyped import ID) comes first.
	defer func() {
		if !resp.Diagnostics.HasError() {
			resp.Diagnostics.Append(r.claimBot(ctx, req.Private, plan, state)...)
		}
	}()
	if plan.AuthToken.IsUnknown() || plan.Bot.IsUnknown() {
		if hasState {
			planUnseenToken(plan, state, false, resp)
		}
		return
	}
	c, token, diags := r.client(plan)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() || !hasState {
		return
	}
	stateID := state.ID.ValueString()
	pc := planCase{
		imported:        r.data.importedHere(getString(ctx, req.Private, privateObject)),
		selectorChanged: !plan.Bot.Equal(state.Bot) || !plan.AuthToken.Equal(state.AuthToken),
		keyChanged:      keyChanged(plan, state),
		sameTokens:      getString(ctx, req.Private, privateTokens) == r.data.tokensDigest,
		unproven:        !hasKey(ctx, req.Private, privateFingerprint),
	}
	unread := state.URL.IsNull() // an import no refresh could read
	if !pc.needsProof() && !unread {
		return // the write proves the token
	}
	var tokenBot string
	var err error
	if unread {
		var info *viber.AccountInfo
		if info, err = r.data.liveAccount(ctx, c, token); err == nil {
			tokenBot = info.ID
			if info.ID == stateID && info.Webhook == "" {
				resp.Diagnostics.AddError("No webhook to import", noWebhookToImport(info.ID))
				return
			}
		}
	} else {
		tokenBot, err = r.proveBot(ctx, req.Private, stateID, token)
	}
	if err != nil && pc.unproven && !pc.selectorChanged {
		resp.Diagnostics.Append(apiErrorDiag(ctx, "reading the webhook with the configured token (the refresh could not)", err))
		return
	}
	if err != nil {
		d := apiErrorDiag(ctx, "identifying the bot at plan time", err)
		switch {
		case pc.keyChanged && !pc.imported && !unread: // as for a token the plan cannot see (planUnseenToken)
			resp.RequiresReplace = append(resp.RequiresReplace, path.Root("bot"))
			resp.Diagnostics.Append(setString(ctx, resp.Private, privateReplacing, r.data.tokensDigest)...)
			resp.Diagnostics.AddWarning(d.Summary(), d.Detail()+"\n\nThe webhook moves to a new bots key whose bot this "+
				"plan could not identify, so it is replaced: the apply removes the webhook with the recorded bot's token "+
				"and sets it with the new key's.")
		default:
			// A warning, not an error: other bots in the configuration can still
			// be applied, and this one is proven again before anything is sent.
			resp.Diagnostics.AddWarning(d.Summary(), d.Detail()+"\n\nApplying this resource will fail until this is fixed.")
		}
		return
	}
	switch planFor(pc, stateID, tokenBot) {
	case planReplace:
		resp.RequiresReplace = append(resp.RequiresReplace, path.Root("bot"))
		// The removal half checks that its apply has the plan's tokens.
		resp.Diagnostics.Append(setString(ctx, resp.Private, privateReplacing, r.data.tokensDigest)...)
	case planRefuseImport:
		resp.Diagnostics.Append(importMismatchDiag(stateID, tokenBot))
	case planRefuseCrossed:
		d := crossedBotsDiag("planning", stateID, tokenSource(plan), tokenBot)
		if pc.selectorChanged && !pc.sameTokens {
			d = diag.NewErrorDiagnostic(d.Summary(), d.Detail()+"\n\n"+staleTokensAdvice)
		}
		resp.Diagnostics.Append(d)
	}
}

// keyChanged reports whether plan names another bots key than state: the
// one way to move a webhook to another bot.
func keyChanged(plan, state webhookModel) bool {
	return !plan.Bot.IsNull() && !plan.Bot.Equal(state.Bot)
}

// planUnseenToken plans a webhook whose token is known only at apply (its
// own, its key, or the provider's configuration). The apply's planning, the
// first to see the token, cannot turn an update into a replacement, so a
// new bots key is replaced now; anything else stays in place, and the apply
// refuses another bot's token.
func planUnseenToken(plan, state webhookModel, providerUnknown bool, resp *resource.ModifyPlanResponse) {
	if keyChanged(plan, state) {
		resp.RequiresReplace = append(resp.RequiresReplace, path.Root("bot"))
		return
	}
	if providerUnknown {
		return // said once by the provider, not by every resource
	}
	resp.Diagnostics.AddWarning("Token known only at apply",
		fmt.Sprintf("The token this webhook will use is not known until apply, so this plan cannot check that it "+
			"is the bot %q's. If it turns out to be another bot's, the apply stops before anything is sent to "+
			"Viber; plan again once the value is known.", state.ID.ValueString()))
}

// staleTokensAdvice explains a move to another bot that a plan cannot
// vouch for: its tokens are not those the state was read with.
const staleTokensAdvice = "This plan runs with other provider tokens than the webhook was last read with: the apply of " +
	"a saved plan in a job whose secrets differ from the plan job's, or a plan with -refresh=false after a token " +
	"changed. Its plan may have found another bot under this token source, so this change is refused rather than " +
	"made. If the tokens are right, plan again with refresh (the default): that plan replaces the webhook."

func (r *webhookResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data, diags := providerDataFrom(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	r.data = data
}

// writing notes that a write has begun: the plan whose claims
// (webhook_claims.go) this process holds is over.
func (r *webhookResource) writing() {
	if r.data != nil {
		r.data.claims.reset()
	}
}

// client returns the API client for the token m resolves to.
func (r *webhookResource) client(m webhookModel) (*viber.Client, string, diag.Diagnostics) {
	if r.data == nil {
		return nil, "", diag.Diagnostics{missingTokenDiag()}
	}
	token, diags := r.data.tokenFor(m.Bot, m.AuthToken)
	if diags.HasError() {
		return nil, "", diags
	}
	c, diags := r.data.client(token)
	return c, token, diags
}

func (r *webhookResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	r.writing()
	var plan webhookModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, diags := withTimeout(ctx, plan.Timeouts.Create, defaultCreateTimeout)
	resp.Diagnostics.Append(diags...)
	defer cancel()
	c, token, diags := r.client(plan)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	hook, diags := plan.webhook(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	// The bot's ID (once per token per process) is looked up while the
	// webhook is set, so a create waits for one round trip, not two.
	type lookup struct {
		id  string
		err error
	}
	looked := make(chan lookup, 1)
	go func() {
		id, err := r.data.accountID(ctx, c, token)
		looked <- lookup{id, err}
	}()
	// A new object: what this process remembers of its writes names it.
	object := newObjectName()
	resp.Diagnostics.Append(setString(ctx, resp.Private, privateObject, object)...)
	// A read-back cannot show what Viber held before: send_name or
	// send_photo other than Viber's default stay unproven after a lost answer.
	flags := plan.SendName.ValueBool() || plan.SendPhoto.ValueBool()
	setErr := r.setWebhook(ctx, c, token, object, hook, flags, &resp.Diagnostics)
	l := <-looked
	switch {
	case errors.Is(setErr, errSendFlagsUnproven):
		d := sendFlagsUnprovenDiag(setErr)
		resp.Diagnostics.AddError(d.Summary(), d.Detail()+" Nothing is recorded in state: the next apply sets the webhook again.")
		return
	case setErr != nil && l.err != nil && viber.TokenRejected(l.err):
		resp.Diagnostics.Append(apiErrorDiag(ctx, "identifying the bot", l.err)) // one diagnostic for a bad token
		return
	case setErr != nil:
		resp.Diagnostics.Append(apiErrorDiag(ctx, "setting the webhook", setErr))
		return
	case l.err != nil && ctx.Err() != nil:
		// Interrupted or out of time after the set took effect: one read-back
		// names the bot, so that the state holds what Viber does.
		sctx, cancel := settleContext(ctx)
		defer cancel()
		if info, err := c.AccountInfo(sctx); err == nil && holdsWebhook(info, hook) {
			r.data.identities.remember(token, info.ID)
			l = lookup{id: info.ID}
			break
		}
		resp.Diagnostics.AddError("Webhook set, but its bot not identified",
			fmt.Sprintf("Viber accepted the webhook, then the operation was stopped (%v) before the bot's ID was read, and "+
				"reading it back failed too, so nothing is recorded in state. Apply again: setting the same webhook again "+
				"changes nothing at Viber, and that apply records it.", ctx.Err()))
		return
	case l.err != nil:
		d := apiErrorDiag(ctx, "identifying the bot", l.err)
		resp.Diagnostics.AddError(d.Summary(), d.Detail()+"\n\nThe webhook itself was set, but without the bot's ID "+
			"nothing is recorded in state. Apply again once this is fixed: setting the same webhook again changes "+
			"nothing at Viber, and that apply records it.")
		return
	}
	id := l.id
	tflog.Info(ctx, "Set Viber webhook", map[string]any{"account_id": id, "url": hook.URL})
	plan.ID = types.StringValue(id)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, id)...)
	resp.Diagnostics.Append(r.recordRead(ctx, resp.Private, id, token)...)
}

// Update calls set_webhook only when something Viber holds changes: a
// change of token or timeouts alone is recorded without a call, so it
// never waits on Viber's availability check of the endpoint. Whatever the
// plan says, and however long ago it was made, it sends nothing with a
// token it has not proven to be the recorded bot's.
func (r *webhookResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	r.writing()
	var plan, state webhookModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, diags := withTimeout(ctx, plan.Timeouts.Update, defaultUpdateTimeout)
	resp.Diagnostics.Append(diags...)
	defer cancel()
	c, token, diags := r.client(plan)
	resp.Diagnostics.Append(diags...)
	hook, diags := plan.webhook(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	stateID := state.ID.ValueString()
	changed := hookChanged(plan, state)
	var tokenBot string
	var err error
	if state.URL.IsNull() { // an import no refresh could read: what does Viber hold?
		var info *viber.AccountInfo
		if info, err = r.data.liveAccount(ctx, c, token); err == nil {
			tokenBot = info.ID
			changed = !holdsWebhook(info, hook) || !plan.SendName.Equal(state.SendName) || !plan.SendPhoto.Equal(state.SendPhoto)
		}
	} else {
		tokenBot, err = r.proveBot(ctx, req.Private, stateID, token)
	}
	switch {
	case err != nil:
		d := apiErrorDiag(ctx, "checking which bot the token belongs to", err)
		resp.Diagnostics.AddError(d.Summary(), d.Detail()+"\n\nNothing was sent to change the webhook.")
		return
	case tokenBot != stateID: // resp.State is still the prior state
		resp.Diagnostics.Append(crossedBotsDiag("updating the webhook", stateID, tokenSource(plan), tokenBot))
		return
	case changed:
		object, diags := objectOf(ctx, resp.Private)
		resp.Diagnostics.Append(diags...)
		// A read-back that shows a new url or event types shows the whole
		// set_webhook took effect; one that shows what was there proves nothing.
		onlyFlags := plan.URL.Equal(state.URL) && plan.EventTypes.Equal(state.EventTypes) && !state.URL.IsNull()
		err := r.setWebhook(ctx, c, token, object, hook, onlyFlags, &resp.Diagnostics)
		if errors.Is(err, errSendFlagsUnproven) {
			// url and event types are set; send_name and send_photo may not be.
			plan.SendName, plan.SendPhoto = state.SendName, state.SendPhoto
			d := sendFlagsUnprovenDiag(err)
			resp.Diagnostics.AddError(d.Summary(), d.Detail()+" The state keeps their previous values: the next apply sends them again.")
		} else if err != nil {
			resp.Diagnostics.Append(apiErrorDiag(ctx, "updating the webhook", err))
			return
		}
		tflog.Info(ctx, "Updated Viber webhook", map[string]any{"account_id": stateID, "url": hook.URL})
	default:
		tflog.Debug(ctx, "Nothing Viber holds changed; not calling set_webhook", map[string]any{"account_id": stateID})
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, stateID)...)
	resp.Diagnostics.Append(r.recordRead(ctx, resp.Private, stateID, token)...)
}

// noWebhookToImport explains an import of a bot that has no webhook.
func noWebhookToImport(accountID string) string {
	return fmt.Sprintf("The bot %q has no webhook set, so there is nothing to import. Remove its import, and "+
		"terraform apply creates the webhook. For an import block with for_each, leave this bot out of the "+
		"for_each, as the guide \"Adopting a fleet\" shows.", accountID)
}

func (r *webhookResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state webhookModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, diags := withTimeout(ctx, state.Timeouts.Read, defaultReadTimeout)
	resp.Diagnostics.Append(diags...)
	defer cancel()
	// The framework wants an identity back from every successful read, also
	// one that returns early or removes the object, and a CLI without identity
	// support (Terraform < 1.12) never sends one: it is the recorded bot.
	if id := state.ID.ValueString(); id != "" {
		resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, id)...)
	}
	if r.data == nil {
		// The provider's configuration is not known until apply: nothing to
		// read with. The state stays as it is; apply reads nothing either.
		tflog.Debug(ctx, "Provider not configured yet; webhook not refreshed")
		return
	}
	object, diags := objectOf(ctx, resp.Private)
	resp.Diagnostics.Append(diags...)
	// An import's own read marks it for the plan that follows in this
	// process; a later refresh (terraform test's next run) ends that.
	r.data.markImported(object, state.URL.IsNull())
	justImported := r.data.justImported(state.ID.ValueString())
	// Whatever this read finds, it was made with these tokens.
	resp.Diagnostics.Append(setString(ctx, resp.Private, privateTokens, r.data.tokensDigest)...)
	prior := state
	info, token, ok := r.readAccount(ctx, &state, resp)
	if !ok {
		return
	}
	resp.Diagnostics.Append(r.recordRead(ctx, resp.Private, info.ID, token)...)
	if info.Webhook == "" {
		if justImported { // the import itself, not a later refresh of an import no token could read
			resp.Diagnostics.AddError("No webhook to import",
				noWebhookToImport(info.ID))
			return
		}
		resp.Diagnostics.AddWarning("The bot's webhook is gone",
			fmt.Sprintf("The bot %q holds no webhook at Viber, so it is removed from state and this plan sets it "+
				"again. Someone may have removed it outside Terraform. Or, in the last apply, this resource moved "+
				"from one provider configuration (an alias) to another without a moved block: the two are applied "+
				"by separate provider processes, and the removal of the old object can come after the new webhook "+
				"was set. Add a moved block when a resource changes provider configuration.", info.ID))
		resp.State.RemoveResource(ctx)
		return
	}
	if sameURL(state.URL.ValueString(), info.Webhook) {
		r.data.writes.holds(token, object) // what Viber holds is this object's
	} else {
		state.URL = types.StringValue(info.Webhook)
	}
	resp.Diagnostics.Append(state.refreshEventTypes(ctx, info.EventTypes)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// resp.State starts as the prior state: write it only when the refresh
	// found something new, which spares the common case the framework's
	// reflection (a refresh of every bot is most of a plan's cost).
	if !state.URL.Equal(prior.URL) || !state.EventTypes.Equal(prior.EventTypes) || !state.Bot.Equal(prior.Bot) {
		resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	}
}

// Delete removes the webhook with a token proven to be the recorded bot's:
// the one the state resolves to, else (it is another bot's now, Viber
// rejects it, or its bots key is gone) another configured token of the
// same bot. Without one it sends nothing and the object stays in state.
func (r *webhookResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state webhookModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, diags := withTimeout(ctx, state.Timeouts.Delete, defaultDeleteTimeout)
	resp.Diagnostics.Append(diags...)
	defer cancel()
	if r.data == nil {
		resp.Diagnostics.Append(unconfiguredDiag("Removing the webhook"))
		return
	}
	r.writing()
	stateID := state.ID.ValueString()
	if was := getString(ctx, req.Private, privateReplacing); was != "" && was != r.data.tokensDigest {
		resp.Diagnostics.AddError("The provider's tokens changed since this replacement was planned",
			fmt.Sprintf("This apply replaces the bot %q's webhook with one for another bot, but its provider tokens "+
				"(auth_token, bots, %s, %s) are not those the plan was made with, so the new webhook could reach a bot "+
				"the plan never saw. Nothing was removed or sent. If the tokens are right, plan again and apply that plan.",
				stateID, EnvAuthToken, EnvBots))
		return
	}
	object := getString(ctx, req.Private, privateObject)
	c, token, tokenDiags := r.client(state)
	var tokenBot string
	var err error
	if !tokenDiags.HasError() {
		tokenBot, err = r.proveBot(ctx, req.Private, stateID, token)
	}
	switch {
	case tokenDiags.HasError(), viber.TokenRejected(err), err == nil && tokenBot != stateID:
		// another configured token of the bot may stand in, below
	case err != nil:
		d := apiErrorDiag(ctx, "checking which bot the token belongs to", err)
		resp.Diagnostics.AddError(d.Summary(), d.Detail()+"\n\nThe webhook was not removed.")
		return
	default:
		if err = r.removeWebhook(ctx, c, token, object, &resp.Diagnostics); !viber.TokenRejected(err) {
			if err != nil {
				resp.Diagnostics.Append(apiErrorDiag(ctx, "removing the webhook", err))
			}
			return
		}
	}
	fallback, fallbackToken, ok := r.fallbackClient(ctx, stateID)
	switch {
	case !ok && ctx.Err() != nil:
		resp.Diagnostics.Append(apiErrorDiag(ctx, "looking for another token of the bot to remove the webhook with", ctx.Err()))
		return
	case !ok && tokenBot != "" && tokenBot != stateID:
		resp.Diagnostics.Append(crossedBotsDiag("removing the webhook", stateID, tokenSource(state), tokenBot))
		return
	case !ok:
		cause := "Viber rejects the token configured for this webhook (" + tokenSource(state) + "): invalidAuthToken (2)."
		if tokenDiags.HasError() {
			cause = tokenDiags[0].Detail()
		}
		resp.Diagnostics.Append(staleTokenDeleteDiag(state, cause))
		return
	}
	tflog.Debug(ctx, "Removing the webhook with another configured token of its bot", map[string]any{"account_id": stateID})
	if err := r.removeWebhook(ctx, fallback, fallbackToken, object, &resp.Diagnostics); err != nil {
		resp.Diagnostics.Append(apiErrorDiag(ctx, "removing the webhook", err))
	}
}

// ImportState accepts the bot's account ID, as an import ID or as the
// account_id of an identity. An import gets no resource configuration, so
// the token the resource will use is unknown here: Read finds the bot among
// the provider's tokens, and the first plan checks the ID with the
// resource's own token. A pasted token is refused before it reaches state.
func (r *webhookResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := req.ID
	if id == "" && req.Identity != nil {
		var identity webhookIdentity
		resp.Diagnostics.Append(req.Identity.Get(ctx, &identity)...)
		id = identity.AccountID.ValueString()
	}
	switch {
	case id == "":
		resp.Diagnostics.AddError("Missing account ID to import",
			"Import a viber_webhook by the bot's account ID (e.g. pa:75346594275468546724), as the import ID "+
				"or as identity = { account_id = \"...\" } in an import block. The viber_account data source shows it.")
		return
	case looksLikeToken(id):
		resp.Diagnostics.AddError("The import ID looks like an auth token",
			"A viber_webhook is imported by the bot's account ID (e.g. pa:75346594275468546724), not by its auth token, "+
				"and the import ID is stored in the state in clear text: nothing was imported or stored. Give the "+
				"token to the provider (bots, auth_token or "+EnvAuthToken+") and import by the account ID, which the "+
				"viber_account data source shows. If the token was written into a file or a pipeline log, treat it as leaked.")
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, id)...)
	if r.data != nil {
		r.data.importing.Store(id, true) // for the read that follows, in this process
	}
	// Viber does not report send_name and send_photo; false is its default.
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("send_name"), false)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("send_photo"), false)...)
}

// setWebhook sets the webhook of token's bot for the named object, after
// any removal of it under way in this process. A lost answer counts as set
// when Viber reads back the url and event types, unless flagsUnproven: the
// call's send_name or send_photo would not show in a read-back that Viber
// held the same url and event types before (errSendFlagsUnproven).
func (r *webhookResource) setWebhook(ctx context.Context, c *viber.Client, token, object string, hook viber.Webhook, flagsUnproven bool, diags *diag.Diagnostics) error {
	unlock, err := r.data.writes.lock(ctx, token)
	if err != nil {
		return err
	}
	defer unlock()
	_, err = c.SetWebhook(ctx, hook)
	if err != nil {
		if !tookEffect(ctx, c, err, func(info *viber.AccountInfo) bool { return holdsWebhook(info, hook) }, diags) {
			return err
		}
		if flagsUnproven {
			err = &unprovenSet{cause: err}
		} else {
			diags.AddWarning("Viber's answer was lost, but the webhook is set",
				fmt.Sprintf("Setting the webhook failed in transit (%v), but Viber now holds the requested webhook, so it counts as set.", err))
			err = nil
		}
	}
	r.data.writes.set(token, object) // Viber holds this object's url and event types
	return err
}

// errSendFlagsUnproven: a set_webhook whose answer was lost, which Viber
// shows took effect for url and event types; send_name and send_photo it
// never reports.
var errSendFlagsUnproven = errors.New("send_name and send_photo cannot be read back")

type unprovenSet struct{ cause error }

func (e *unprovenSet) Error() string   { return e.cause.Error() }
func (e *unprovenSet) Unwrap() []error { return []error{errSendFlagsUnproven, e.cause} }

// sendFlagsUnprovenDiag explains a set whose send_name or send_photo
// change is unproven.
func sendFlagsUnprovenDiag(err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Viber's answer was lost: send_name and send_photo unproven",
		fmt.Sprintf("Setting the webhook failed in transit (%v). Viber now holds the requested url and event types, "+
			"but it never reports send_name or send_photo, so whether it took their new values is unknown.", err))
}

// removeWebhook removes the webhook of token's bot, unless another object
// set it later in this process (a replacement that creates before it
// destroys, a renamed for_each key): that webhook is the one the
// configuration wants. A lost answer is settled under the same lock, so a
// set that follows cannot make it look as if the removal failed.
func (r *webhookResource) removeWebhook(ctx context.Context, c *viber.Client, token, object string, diags *diag.Diagnostics) error {
	unlock, err := r.data.writes.lock(ctx, token)
	if err != nil {
		return err
	}
	defer unlock()
	if r.data.writes.heldByAnother(token, object) {
		tflog.Info(ctx, "Not removing the webhook: another object set it since")
		return nil
	}
	err = c.RemoveWebhook(ctx)
	if err != nil && tookEffect(ctx, c, err, func(info *viber.AccountInfo) bool { return info.Webhook == "" }, diags) {
		diags.AddWarning("Viber's answer was lost, but the webhook is gone",
			fmt.Sprintf("Removing the webhook failed in transit (%v), but Viber no longer holds a webhook for the bot, so it counts as removed.", err))
		err = nil
	}
	if err == nil {
		r.data.writes.removed(token)
	}
	return err
}

// tookEffect reports whether a call that failed with err took effect after
// all. Only failures whose outcome is unknown (no answer, a gateway error,
// the timeout) can have; for those it asks Viber what it now holds, and
// warns when that read fails too, since the outcome then stays open.
func tookEffect(ctx context.Context, c *viber.Client, err error, holds func(*viber.AccountInfo) bool, diags *diag.Diagnostics) bool {
	if !viber.OutcomeUnknown(err) {
		return false
	}
	sctx, cancel := settleContext(ctx)
	defer cancel()
	info, lookErr := c.AccountInfo(sctx)
	if lookErr != nil {
		diags.AddWarning("Whether Viber applied the change is unknown",
			fmt.Sprintf("The call failed in transit, and reading Viber back to settle it failed too (%v). Viber may or may "+
				"not hold the change. Run terraform plan: its refresh reads what Viber holds and plans what is still needed.", lookErr))
		return false
	}
	return holds(info)
}

// settleContext gives one last look-up time of its own when the
// operation's deadline has passed, and a little when the user interrupted
// (the grace a CI runner gives before it kills is 7.5 s, and the write may
// have used viber.CancelGrace of it).
func settleContext(ctx context.Context) (context.Context, context.CancelFunc) {
	deadline, ok := ctx.Deadline()
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded) || ok && !time.Now().Before(deadline):
		// Past the operation's own deadline, an interrupt must still end it.
		parent, ok := ctx.Value(beforeTimeout{}).(context.Context)
		switch {
		case ok && parent.Err() != nil: // interrupted too: as short as an interrupt's
			return context.WithTimeout(context.WithoutCancel(ctx), settleAfterInterrupt)
		case !ok:
			parent = context.WithoutCancel(ctx)
		}
		return context.WithTimeout(parent, 15*time.Second)
	case ctx.Err() != nil:
		return context.WithTimeout(context.WithoutCancel(ctx), settleAfterInterrupt)
	}
	return ctx, func() {}
}

// settleAfterInterrupt bounds the read-back after an interrupt.
const settleAfterInterrupt = 2 * time.Second

// withTimeout bounds ctx by the configured timeout or its default.
func withTimeout(ctx context.Context, get func(context.Context, time.Duration) (time.Duration, diag.Diagnostics), def time.Duration) (context.Context, context.CancelFunc, diag.Diagnostics) {
	d, diags := get(ctx, def)
	ctx, cancel := context.WithTimeout(context.WithValue(ctx, beforeTimeout{}, ctx), d)
	return ctx, cancel, diags
}

// beforeTimeout keys the context an operation's timeout was set on: the
// request's, which Terraform cancels when it stops.
type beforeTimeout struct{}

package provider

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

// A bot has one webhook, so two viber_webhook resources for one bot would
// overwrite each other at every apply. A plan runs in one provider process
// per provider configuration, and every resource instance of it is planned
// there: the claims below are what that process has seen since it last
// applied anything. Each claim names its owner: the object (private state
// names it), or for a create its token source and url. The same owner may
// claim again: the apply plans again, a replacement plans its new half, and
// terraform test serves every run of a file from one process, so the book
// starts again at every write (the plan it checked is over).

type claimKind int

const (
	claimAccount claimKind = iota // the bot's account ID, as the refreshed state holds it
	claimToken                    // the token the configuration resolves to
	claimDestroy                  // the account ID of an object the plan destroys
)

type claimKey struct {
	kind  claimKind
	value string
}

// claimant is who claimed a bot, and what an error tells of it: nothing
// secret, enough to find it in the configuration.
type claimant struct {
	owner  string
	url    string // "" when not known at plan time
	source string // where its token comes from, as tokenSource words it
}

// same reports whether c and other are one claimant: the same object, or
// the same create, whose url the apply may know where the plan did not.
func (c claimant) same(other claimant) bool {
	if c.owner != other.owner {
		return false
	}
	return !strings.HasPrefix(c.owner, newOwner) || c.url == other.url || c.url == "" || other.url == ""
}

// claimBook holds the bots claimed in one provider process.
type claimBook struct {
	mu   sync.Mutex
	held map[claimKey]claimant
}

// take claims every key for c, unless one of them conflicts with another
// owner's claim: then it claims nothing and returns the key it conflicts
// with and that key's claimant. A bot's account conflicts with the same
// account claimed again or destroyed, and a token with the same token;
// two destroys of one bot do not conflict.
func (b *claimBook) take(keys []claimKey, c claimant) (claimKey, claimant, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, k := range keys {
		for _, against := range conflictsOf(k) {
			if other, ok := b.held[against]; ok && !other.same(c) {
				return against, other, false
			}
		}
	}
	if b.held == nil {
		b.held = map[claimKey]claimant{}
	}
	for _, k := range keys {
		b.held[k] = c
	}
	return claimKey{}, claimant{}, true
}

// reset forgets every claim: a write has begun, so the plan they checked
// is over.
func (b *claimBook) reset() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.held = nil
}

// conflictsOf are the claims that k cannot stand beside.
func conflictsOf(k claimKey) []claimKey {
	switch k.kind {
	case claimAccount:
		return []claimKey{k, {claimDestroy, k.value}}
	case claimDestroy:
		return []claimKey{{claimAccount, k.value}}
	default:
		return []claimKey{k}
	}
}

// newOwner starts the owner of a create's claims.
const newOwner = "new\x00"

// ownerOf names who claims for an object: its name in private state, else
// (a create) its token source and token; claimant.same compares the url.
func ownerOf(ctx context.Context, p privateState, m webhookModel, token string) string {
	if name := getString(ctx, p, privateObject); name != "" {
		return name
	}
	if id := m.ID.ValueString(); id != "" && !m.ID.IsUnknown() {
		return "unnamed\x00" + id // state written by an earlier version, not refreshed since
	}
	return newOwner + tokenSource(m) + "\x00" + fingerprint("", token)
}

// claimDestroy refuses a plan that destroys an object of a bot whose
// webhook another resource keeps in state (an old for_each key or a
// deleted resource block left behind by a failed or targeted apply, or a
// deposed object): the removal would take that resource's webhook away,
// and the apply could not see it, since the write it would undo was made
// by an earlier one.
func (r *webhookResource) claimDestroy(ctx context.Context, p privateState, state webhookModel) diag.Diagnostics {
	var diags diag.Diagnostics
	id := state.ID.ValueString()
	if id == "" {
		return diags
	}
	me := claimant{owner: ownerOf(ctx, p, state, ""), url: state.URL.ValueString(), source: tokenSource(state)}
	if _, other, ok := r.data.claims.take([]claimKey{{claimDestroy, id}}, me); !ok {
		diags.Append(destroyingManagedDiag(id, true, other))
	}
	return diags
}

// claimBot refuses a plan in which this resource and another one of the
// same provider configuration are for one bot: the same account ID in the
// refreshed state, or the same token. It costs no request. A create with
// another token of a bot already managed here is not caught: knowing its
// bot would take a look-up per create.
func (r *webhookResource) claimBot(ctx context.Context, p privateState, plan, state webhookModel) diag.Diagnostics {
	var diags diag.Diagnostics
	var keys []claimKey
	stateID := state.ID.ValueString()
	if stateID != "" {
		keys = append(keys, claimKey{claimAccount, stateID})
	}
	var token string
	if !plan.Bot.IsUnknown() && !plan.AuthToken.IsUnknown() {
		token, _ = r.data.tokenFor(plan.Bot, plan.AuthToken) // a missing token or key is reported by the plan
	}
	if token != "" {
		keys = append(keys, claimKey{claimToken, botKey(token)})
	}
	subject := plan
	if stateID != "" {
		subject.ID = state.ID
	}
	me := claimant{owner: ownerOf(ctx, p, subject, token), url: plan.URL.ValueString(), source: tokenSource(plan)}
	key, other, ok := r.data.claims.take(keys, me)
	if ok {
		return diags
	}
	if key.kind == claimDestroy {
		diags.Append(destroyingManagedDiag(stateID, false, other))
		return diags
	}
	bot := stateID
	if key.kind == claimToken {
		bot = r.knownBot(ctx, p, stateID, token)
	}
	diags.Append(oneBotTwiceDiag(selectorPath(plan), bot, key.kind, me, other))
	return diags
}

// selectorPath is where to point an error about m's token: its bot
// attribute, else the resource. Never auth_token: the CLI would quote the
// line, and with it a token written into the configuration.
func selectorPath(m webhookModel) path.Path {
	if !m.Bot.IsNull() {
		return path.Root("bot")
	}
	return path.Empty()
}

// oneBotTwiceDiag is the error of a second resource for a bot: it names
// the bot ("" when not known without a call) and where each resource's
// token comes from, never a token.
func oneBotTwiceDiag(at path.Path, bot string, kind claimKind, me, other claimant) diag.Diagnostic {
	named := ""
	if bot != "" {
		named = fmt.Sprintf(" %q", bot)
	}
	why := fmt.Sprintf("This resource and another viber_webhook of this provider configuration use the same token, so "+
		"the same bot%s. This one takes it from %s, the other from %s.", named, me.source, other.source)
	if kind == claimAccount {
		why = fmt.Sprintf("This resource and another viber_webhook of this provider configuration both hold the webhook "+
			"of the bot%s in state.", named)
	}
	where := "The other one's url is not known yet."
	switch {
	case other.url == me.url && me.url != "":
		where = "The other one has the same url."
	case other.url != "":
		where = fmt.Sprintf("The other one has url = %q.", other.url)
	}
	detail := why + " " + where + " A bot has one webhook, so the two resources would overwrite each other at every " +
		"apply, and every plan would show a change. Nothing was sent to Viber.\n\n" +
		"Manage each bot with one resource. If the two should be different bots, give one of them its own bot's " +
		"token. Two bots entries with one token mean that one of them holds the wrong token.\n\n" +
		"If both are already applied, stop managing one of them without removing the webhook: run terraform state rm " +
		"on its address (a for_each instance too), or replace a whole resource block with a removed block with " +
		"lifecycle { destroy = false } (Terraform 1.7+; a removed block cannot name one for_each instance). " +
		"Deleting it from the configuration alone plans its destroy, which is refused too. To destroy " +
		"both, run terraform destroy -refresh=false: a destroy's refresh runs this check too."
	const summary = "Two viber_webhook resources for one bot"
	if at.Equal(path.Empty()) {
		return diag.NewErrorDiagnostic(summary, detail)
	}
	return diag.NewAttributeErrorDiagnostic(at, summary, detail)
}

// destroyingManagedDiag is the error of a plan that would destroy one
// object of a bot while another resource manages the bot's webhook: this
// object is the one destroyed (destroying) or the one managing.
func destroyingManagedDiag(bot string, destroying bool, other claimant) diag.Diagnostic {
	what := fmt.Sprintf("This plan destroys another viber_webhook object of the bot %q, which this resource manages", bot)
	if destroying {
		what = fmt.Sprintf("This plan destroys this viber_webhook object of the bot %q, which another resource manages", bot)
	}
	if other.url != "" {
		what += fmt.Sprintf(" (the other one has url = %q)", other.url)
	}
	return diag.NewErrorDiagnostic("Destroying one object would remove another resource's webhook",
		what+". A bot has one webhook, so removing it for the destroyed object would leave the other resource "+
			"without one. Nothing was sent to Viber.\n\n"+
			"The destroyed object is left over: a for_each key or resource block that was renamed without a moved "+
			"block while an apply failed or was targeted, or a deposed object of an interrupted create_before_destroy "+
			"replacement. Stop managing it without removing the webhook. For a deleted resource block, add a removed "+
			"block with lifecycle { destroy = false } (Terraform 1.7+) or run terraform state rm on it. For a "+
			"for_each key or count index, run terraform state rm on its address. For a deposed object, run "+
			"terraform state rm on the resource and import it again.")
}

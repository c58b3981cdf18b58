package provider

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

// A bot has one webhook, so two viber_webhook resources for one bot would
// overwrite each other at every apply. A plan runs in one provider process
// per provider configuration, and every resource instance of it is planned
// there: the claims below are what that process has seen so far.

// privatePlanned marks a planned object with the plan's process, so that
// the second planning of a replacement (its create half, which Terraform
// plans with the first planning's private state) is not taken for a second
// resource. Only the process that wrote it recognises it.
const privatePlanned = "planned_in"

type claimKind int

const (
	claimAccount claimKind = iota // the bot's account ID, as the refreshed state holds it
	claimToken                    // the token the configuration resolves to
)

type claimKey struct {
	kind  claimKind
	value string
}

// claimant is what an error tells of the resource that claimed a bot
// first: nothing secret, enough to find it in the configuration.
type claimant struct {
	url    string // "" when not known at plan time
	source string // where its token comes from, as tokenSource words it
}

// claimBook holds the bots claimed in one provider process.
type claimBook struct {
	mu   sync.Mutex
	mark string
	held map[claimKey]claimant
}

// planMark is a value no other process writes: the private marker of the
// objects this process planned.
func (b *claimBook) planMark() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.mark == "" {
		var raw [12]byte
		_, _ = rand.Read(raw[:]) // never fails (crypto/rand panics rather)
		b.mark = hex.EncodeToString(raw[:])
	}
	return b.mark
}

// take claims every key for c, unless one of them is claimed already: then
// it claims nothing and returns that key and its claimant.
func (b *claimBook) take(keys []claimKey, c claimant) (claimKey, claimant, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, k := range keys {
		if other, ok := b.held[k]; ok {
			return k, other, false
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

// claimBot refuses a plan in which this resource and another one of the
// same provider configuration are for one bot: the same account ID in the
// refreshed state, or the same token. It costs no request. A create with
// another token of a bot already managed here is not caught: knowing its
// bot would take a look-up per create.
func (r *webhookResource) claimBot(ctx context.Context, p privateState, plan, state webhookModel, hasState bool) diag.Diagnostics {
	var diags diag.Diagnostics
	mark := jsonString(r.data.claims.planMark())
	if was, _ := p.GetKey(ctx, privatePlanned); string(was) == string(mark) {
		return diags // the create half of a replacement claimed by its first planning
	}
	if hasState {
		diags.Append(p.SetKey(ctx, privatePlanned, mark)...)
	}
	var keys []claimKey
	stateID := state.ID.ValueString()
	if hasState && stateID != "" {
		keys = append(keys, claimKey{claimAccount, stateID})
	}
	var token string
	if !plan.Bot.IsUnknown() && !plan.AuthToken.IsUnknown() {
		token, _ = r.data.tokenFor(plan.Bot, plan.AuthToken) // a missing token or key is reported by the plan
	}
	if token != "" {
		keys = append(keys, claimKey{claimToken, token})
	}
	me := claimant{url: plan.URL.ValueString(), source: tokenSource(plan)}
	key, other, ok := r.data.claims.take(keys, me)
	if ok {
		return diags
	}
	bot := stateID
	if key.kind == claimToken {
		bot = r.botOf(ctx, p, stateID, token)
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
		"If both are already applied, stop managing one of them without removing the webhook. Replace it with a " +
		"removed block with lifecycle { destroy = false } (Terraform 1.7+), or run terraform state rm on it. " +
		"Deleting it from the configuration alone would remove the webhook the other one manages. To destroy " +
		"both, run terraform destroy -refresh=false: a destroy's refresh runs this check too."
	const summary = "Two viber_webhook resources for one bot"
	if at.Equal(path.Empty()) {
		return diag.NewErrorDiagnostic(summary, detail)
	}
	return diag.NewAttributeErrorDiagnostic(at, summary, detail)
}

package provider

import (
	"context"
	"net/url"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/viberops/terraform-provider-viber/internal/viber"
)

// webhookModel is a viber_webhook object as the framework reads and writes it.
type webhookModel struct {
	ID         types.String   `tfsdk:"id"`
	Bot        types.String   `tfsdk:"bot"`
	AuthToken  types.String   `tfsdk:"auth_token"`
	URL        types.String   `tfsdk:"url"`
	EventTypes types.Set      `tfsdk:"event_types"`
	SendName   types.Bool     `tfsdk:"send_name"`
	SendPhoto  types.Bool     `tfsdk:"send_photo"`
	Timeouts   timeouts.Value `tfsdk:"timeouts"`
}

// webhookIdentity is the resource identity (Terraform 1.12+, OpenTofu 1.12+):
// the bot whose webhook it is. It never changes over the object's life;
// another bot's key means another webhook, so a replacement.
type webhookIdentity struct {
	AccountID types.String `tfsdk:"account_id"`
}

// hookChanged reports whether an update changes anything Viber holds, as
// the state records it. send_name and send_photo are never reported by
// Viber, so the state is all there is to compare with.
func hookChanged(plan, state webhookModel) bool {
	return !plan.URL.Equal(state.URL) || !plan.EventTypes.Equal(state.EventTypes) ||
		!plan.SendName.Equal(state.SendName) || !plan.SendPhoto.Equal(state.SendPhoto)
}

// holdsWebhook reports whether the account Viber reports holds hook's URL
// and event types (it never reports send_name and send_photo).
func holdsWebhook(info *viber.AccountInfo, hook viber.Webhook) bool {
	return sameURL(hook.URL, info.Webhook) && viber.SameSelection(hook.EventTypes, info.EventTypes)
}

// webhook is the set_webhook request the model asks for.
func (m webhookModel) webhook(ctx context.Context) (viber.Webhook, diag.Diagnostics) {
	w := viber.Webhook{URL: m.URL.ValueString(), SendName: m.SendName.ValueBool(), SendPhoto: m.SendPhoto.ValueBool()}
	var diags diag.Diagnostics
	if !m.EventTypes.IsNull() {
		w.EventTypes = []string{} // non-nil: [] must reach Viber as [], not as "every event"
		diags = m.EventTypes.ElementsAs(ctx, &w.EventTypes, false)
		sort.Strings(w.EventTypes)
	}
	return w, diags
}

// refreshEventTypes folds the event types Viber reports into the model.
// When they deliver what the state already means, the state stays exactly
// as written (null, [] or a list with mandatory types in it); otherwise it
// takes the canonical form, so the plan shows the change. This is done here
// rather than by semantic equality because the framework skips semantic
// equality whenever either side is null, and null (every event) is the
// common case.
func (m *webhookModel) refreshEventTypes(ctx context.Context, live []string) diag.Diagnostics {
	var prior []string
	if !m.EventTypes.IsNull() {
		prior = []string{}
		if diags := m.EventTypes.ElementsAs(ctx, &prior, false); diags.HasError() {
			return diags
		}
	}
	if viber.SameSelection(prior, live) {
		return nil
	}
	set, diags := canonicalEventTypes(live)
	m.EventTypes = set
	return diags
}

// canonicalEventTypes is event_types as written for the event types Viber
// reports: null for every event, else the optional types that are on.
func canonicalEventTypes(live []string) (types.Set, diag.Diagnostics) {
	canonical := viber.Canonical(live)
	if canonical == nil {
		return types.SetNull(types.StringType), nil
	}
	elems := make([]attr.Value, len(canonical))
	for i, t := range canonical {
		elems[i] = types.StringValue(t)
	}
	return types.SetValue(types.StringType, elems)
}

// sameURL reports whether Viber's live webhook URL is the one configured,
// allowing for Viber dropping the query string.
func sameURL(configured, live string) bool {
	if configured == live {
		return true
	}
	u, err := url.Parse(configured)
	if err != nil {
		return false
	}
	u.RawQuery, u.ForceQuery = "", false
	return u.String() == live
}

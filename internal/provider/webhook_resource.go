package provider

import (
	"context"
	"fmt"
	"net/url"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/viberops/terraform-provider-viber/internal/validators"
	"github.com/viberops/terraform-provider-viber/internal/viber"
)

var (
	_ resource.ResourceWithConfigure      = (*webhookResource)(nil)
	_ resource.ResourceWithImportState    = (*webhookResource)(nil)
	_ resource.ResourceWithValidateConfig = (*webhookResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*webhookResource)(nil)
)

// NewWebhookResource returns the viber_webhook resource.
func NewWebhookResource() resource.Resource { return &webhookResource{} }

type webhookResource struct {
	data *providerData
}

type webhookModel struct {
	ID         types.String `tfsdk:"id"`
	URL        types.String `tfsdk:"url"`
	EventTypes types.Set    `tfsdk:"event_types"`
	SendName   types.Bool   `tfsdk:"send_name"`
	SendPhoto  types.Bool   `tfsdk:"send_photo"`
}

func (r *webhookResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webhook"
}

func (r *webhookResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The webhook of a Viber bot: the HTTPS URL Viber delivers the bot's events to. " +
			"A bot has one webhook; destroying this resource removes it (which also stops 1-on-1 conversations with the bot).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The bot's account ID, as `get_account_info` reports it (e.g. `pa:75346594275468546724`). Also the import ID.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"url": schema.StringAttribute{
				MarkdownDescription: "The `https://` URL Viber will POST the bot's events to. Before accepting it, Viber sends a " +
					"signed `webhook` event there and needs HTTP 200 back, so the endpoint must be up and use a certificate " +
					"from a trusted CA. Changing it updates the webhook in place. To remove the webhook, destroy the resource.",
				Required:   true,
				Validators: []validator.String{validators.URL("https")},
			},
			"event_types": schema.SetAttribute{
				MarkdownDescription: "The events to deliver besides the mandatory ones. Allowed values: `delivered`, `seen`, " +
					"`failed`, `subscribed`, `unsubscribed`, `conversation_started`. **Omit it to receive every event**; " +
					"`[]` receives the mandatory events only. `message`, `subscribed` and `unsubscribed` are always " +
					"delivered, so listing `subscribed` or `unsubscribed` changes nothing and `message` may not be listed.",
				ElementType: types.StringType,
				Optional:    true,
				Validators:  []validator.Set{setvalidator.ValueStringsAre(validators.EventType())},
			},
			"send_name": schema.BoolAttribute{
				MarkdownDescription: "Whether Viber includes the user's name in events. It only takes effect for users who " +
					"allow Content Personalization; others appear with a placeholder. Defaults to `false`.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
			"send_photo": schema.BoolAttribute{
				MarkdownDescription: "Whether Viber includes the user's photo in events. It only takes effect for users who " +
					"allow Content Personalization. Defaults to `false`.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
		},
	}
}

// ValidateConfig warns about a query string, which Viber is reported to
// drop from webhook URLs: the endpoint would never see it.
func (r *webhookResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var raw types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("url"), &raw)...)
	if raw.IsNull() || raw.IsUnknown() {
		return
	}
	if u, err := url.Parse(raw.ValueString()); err == nil && u.RawQuery != "" {
		resp.Diagnostics.AddAttributeWarning(path.Root("url"), "Query string in webhook url",
			"Viber is reported to drop the query string of a webhook URL, so the endpoint may never receive \"?"+u.RawQuery+
				"\". Carry such values in the path instead.")
	}
}

// ModifyPlan fails a plan that creates or changes a webhook when no token is
// configured, so a pipeline learns it at plan time rather than mid-apply.
func (r *webhookResource) ModifyPlan(_ context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.data == nil {
		return // a destroy, or a provider whose configuration is not known yet
	}
	if r.data.token == "" {
		resp.Diagnostics.Append(missingTokenDiag())
	}
}

func (r *webhookResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if req.ProviderData == nil {
		return
	}
	data, ok := req.ProviderData.(*providerData)
	if !ok {
		resp.Diagnostics.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *providerData, got %T. This is a provider bug: please report it.", req.ProviderData))
		return
	}
	r.data = data
}

// client returns the API client for the configured token.
func (r *webhookResource) client() (*viber.Client, diag.Diagnostics) {
	var diags diag.Diagnostics
	if r.data == nil || r.data.token == "" {
		diags.Append(missingTokenDiag())
		return nil, diags
	}
	return viber.New(viber.Config{
		BaseURL: r.data.baseURL, Token: r.data.token, UserAgent: r.data.userAgent, HTTP: r.data.http,
	}), diags
}

func (r *webhookResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan webhookModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	c, diags := r.client()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Identify the bot first: a bad token then fails before anything changes.
	info, err := c.AccountInfo(ctx)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag(ctx, "identifying the bot", err))
		return
	}
	hook, diags := plan.webhook(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if _, err := c.SetWebhook(ctx, hook); err != nil {
		resp.Diagnostics.Append(apiErrorDiag(ctx, "setting the webhook", err))
		return
	}
	tflog.Info(ctx, "Set Viber webhook", map[string]any{"account_id": info.ID, "url": hook.URL})
	plan.ID = types.StringValue(info.ID)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *webhookResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan webhookModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	c, diags := r.client()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	hook, diags := plan.webhook(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if _, err := c.SetWebhook(ctx, hook); err != nil {
		resp.Diagnostics.Append(apiErrorDiag(ctx, "updating the webhook", err))
		return
	}
	tflog.Info(ctx, "Updated Viber webhook", map[string]any{"account_id": plan.ID.ValueString(), "url": hook.URL})
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *webhookResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state webhookModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	c, diags := r.client()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	info, err := c.AccountInfo(ctx)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag(ctx, "reading the webhook", err))
		return
	}
	if info.Webhook == "" {
		tflog.Warn(ctx, "Viber webhook is gone; removing it from state", map[string]any{"account_id": info.ID})
		resp.State.RemoveResource(ctx)
		return
	}
	state.ID = types.StringValue(info.ID)
	if !sameURL(state.URL.ValueString(), info.Webhook) {
		state.URL = types.StringValue(info.Webhook)
	}
	resp.Diagnostics.Append(state.refreshEventTypes(ctx, info.EventTypes)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *webhookResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	c, diags := r.client()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := c.RemoveWebhook(ctx); err != nil {
		resp.Diagnostics.Append(apiErrorDiag(ctx, "removing the webhook", err))
	}
}

// ImportState accepts the bot's account ID, which must be the account of
// the configured token; Read then fills in the rest.
func (r *webhookResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	c, diags := r.client()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	info, err := c.AccountInfo(ctx)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag(ctx, "identifying the bot to import", err))
		return
	}
	if req.ID != info.ID {
		resp.Diagnostics.AddError("Import ID is not this bot's account ID",
			fmt.Sprintf("The import ID is %q, but the configured auth token belongs to the bot %q (%s). "+
				"Import with that account ID, or configure the token of the bot you meant.", req.ID, info.ID, info.Name))
		return
	}
	if info.Webhook == "" {
		resp.Diagnostics.AddError("No webhook to import",
			fmt.Sprintf("The bot %q (%s) has no webhook set. Remove the import and let terraform apply create it.", info.ID, info.Name))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), info.ID)...)
	// Viber does not report send_name and send_photo; false is its default.
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("send_name"), false)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("send_photo"), false)...)
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
	canonical := viber.Canonical(live)
	if canonical == nil {
		m.EventTypes = types.SetNull(types.StringType)
		return nil
	}
	elems := make([]attr.Value, len(canonical))
	for i, t := range canonical {
		elems[i] = types.StringValue(t)
	}
	set, diags := types.SetValue(types.StringType, elems)
	m.EventTypes = set
	return diags
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

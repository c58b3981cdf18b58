package provider

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/viberops/terraform-provider-viber/internal/validators"
)

// Default timeouts: creating and updating wait for Viber's availability
// check of an endpoint that may still be starting; reads and deletes don't.
const (
	defaultCreateTimeout = 5 * time.Minute
	defaultUpdateTimeout = 5 * time.Minute
	defaultReadTimeout   = 2 * time.Minute
	defaultDeleteTimeout = 2 * time.Minute
)

func (r *webhookResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	timeoutsBlock := timeouts.Block(ctx, timeouts.Opts{
		Create: true, Read: true, Update: true, Delete: true,
		CreateDescription: timeoutDescription("Setting the webhook", defaultCreateTimeout),
		UpdateDescription: timeoutDescription("Changing the webhook", defaultUpdateTimeout),
		ReadDescription:   timeoutDescription("Reading the webhook back", defaultReadTimeout),
		DeleteDescription: timeoutDescription("Removing the webhook", defaultDeleteTimeout),
	})
	if b, ok := timeoutsBlock.(schema.SingleNestedBlock); ok {
		b.MarkdownDescription = "How long each operation may take, retries of transient failures included. A change " +
			"of timeouts alone is recorded without calling `set_webhook`."
		timeoutsBlock = b
	}
	resp.Schema = schema.Schema{
		Blocks: map[string]schema.Block{"timeouts": timeoutsBlock},
		MarkdownDescription: "The webhook of a Viber bot: the HTTPS URL Viber delivers the bot's events to. " +
			"A bot has one webhook; destroying this resource removes it (which also stops 1-on-1 conversations with the bot).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The bot's account ID, as `get_account_info` reports it (e.g. `pa:75346594275468546724`). Also the import ID.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"bot": schema.StringAttribute{
				MarkdownDescription: "The key of the provider's `bots` entry whose token this webhook uses: the way to manage many bots " +
					"from one provider block, with `for_each` over the keys and no token in state. Takes precedence over the " +
					"provider's `auth_token`; cannot be set with `auth_token`. A key the map lacks fails the plan, naming the keys " +
					"there are. Changing it to the key of another bot replaces the webhook; to another key of the same bot, or " +
					"from `auth_token` to the key of the same bot, changes nothing at Viber.",
				Optional: true,
				Validators: []validator.String{
					stringvalidator.LengthAtLeast(1),
					stringvalidator.ConflictsWith(path.MatchRoot("auth_token")),
				},
			},
			"auth_token": schema.StringAttribute{
				MarkdownDescription: "This bot's authentication token, overriding the provider's `auth_token` (and `" + EnvAuthToken + "`). " +
					"Unlike the provider's tokens, it is stored in the state (marked sensitive): prefer `bot` with the provider's " +
					"`bots` map, as the guide [Keeping auth tokens out of state](../guides/tokens-out-of-state.md) shows. A new token of the same bot (Viber " +
					"replaces a compromised one on request) is applied in place without touching the webhook, even when Viber " +
					"already rejects the old one. Another bot's token fails with \"The auth token belongs to another bot\": only a new " +
					"`bot` key moves a webhook to another bot.",
				Optional:   true,
				Sensitive:  true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"url": schema.StringAttribute{
				MarkdownDescription: "The `https://` URL Viber will POST the bot's events to. Before accepting it, Viber sends a " +
					"signed `webhook` event there and needs HTTP 200 back, so the endpoint must be up and use a certificate " +
					"from a trusted CA. Changing it updates the webhook in place. To remove the webhook, destroy the resource.",
				Required:   true,
				Validators: []validator.String{validators.WebhookURL()},
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

func (r *webhookResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"account_id": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       identityAccountIDDescription,
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

func timeoutDescription(what string, def time.Duration) string {
	return fmt.Sprintf("%s, retries included, may take this long (e.g. `30s`, `10m`). Defaults to `%s`.", what, def)
}

// identityAccountIDDescription is shown by the CLI and on the resource's
// registry page (its Identity section).
const identityAccountIDDescription = "The bot's account ID, as get_account_info reports it (e.g. pa:75346594275468546724): " +
	"the same value as the resource's id. The token the resource uses must belong to this bot."

// setIdentity records the bot's account ID as the object's identity. The
// framework leaves resp nil for a CLI without identity support.
func setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, accountID string) diag.Diagnostics {
	if identity == nil {
		return nil
	}
	return identity.Set(ctx, webhookIdentity{AccountID: types.StringValue(accountID)})
}

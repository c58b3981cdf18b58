package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
)

var _ list.ListResourceWithConfigure = (*webhookListResource)(nil)

// NewWebhookListResource returns the viber_webhook list resource, which
// `terraform query` (Terraform 1.14+) uses to find the webhook of the
// provider configuration's bot, so that it can be imported with generated
// configuration.
func NewWebhookListResource() list.ListResource { return &webhookListResource{} }

type webhookListResource struct {
	data *providerData
}

func (r *webhookListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webhook"
}

func (r *webhookListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Finds the webhook of the provider configuration's bot (its `auth_token` or `" + EnvAuthToken + "`). " +
			"A bot has at most one webhook, so a query yields one result, or none when the bot has no webhook. " +
			"For many bots, write one `list` block per provider configuration (`provider = viber.<alias>`).",
	}
}

func (r *webhookListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data, diags := providerDataFrom(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	r.data = data
}

func (r *webhookListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	fail := func(d diag.Diagnostic) { stream.Results = list.ListResultsStreamDiagnostics(diag.Diagnostics{d}) }
	if r.data == nil {
		fail(missingTokenDiag())
		return
	}
	c, diags := r.data.client(r.data.token) // with no token: the missing-token error
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	ctx, cancel := context.WithTimeout(ctx, defaultReadTimeout)
	defer cancel()
	info, err := c.AccountInfo(ctx)
	if err != nil {
		fail(apiErrorDiag(ctx, "finding the bot's webhook", err))
		return
	}
	r.data.identities.remember(r.data.token, info.ID)
	if info.Webhook == "" {
		stream.Results = list.NoListResults
		return
	}
	result := req.NewListResult(ctx)
	result.DisplayName = displayName(info.Name, info.ID)
	result.Diagnostics.Append(setIdentity(ctx, result.Identity, info.ID)...)
	if req.IncludeResource {
		result.Diagnostics.Append(webhookResourceFromInfo(ctx, result.Resource, info.ID, info.Webhook, info.EventTypes)...)
	}
	stream.Results = func(push func(list.ListResult) bool) { push(result) }
}

// displayName names a bot as terraform query lists it: "Name (pa:...)".
func displayName(name *string, id string) string {
	if name == nil || *name == "" {
		return id
	}
	return fmt.Sprintf("%s (%s)", *name, id)
}

// webhookResourceFromInfo fills res with the webhook Viber holds, in the
// form a configuration would write it: event_types canonical, and
// send_name and send_photo false, since Viber does not report them.
func webhookResourceFromInfo(ctx context.Context, res *tfsdk.Resource, id, url string, eventTypes []string) diag.Diagnostics {
	set, diags := canonicalEventTypes(eventTypes)
	for name, v := range map[string]any{"id": id, "url": url, "event_types": set, "send_name": false, "send_photo": false} {
		diags.Append(res.SetAttribute(ctx, path.Root(name), v)...)
	}
	return diags
}

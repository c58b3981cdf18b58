package provider

import (
	"context"
	"fmt"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/viberops/terraform-provider-viber/internal/viber"
)

var _ list.ListResourceWithConfigure = (*webhookListResource)(nil)

// NewWebhookListResource returns the viber_webhook list resource, which
// `terraform query` (Terraform 1.14+) uses to find the webhooks of the
// provider configuration's bots, so that they can be imported with
// generated configuration.
func NewWebhookListResource() list.ListResource { return &webhookListResource{} }

type webhookListResource struct {
	data *providerData
}

func (r *webhookListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webhook"
}

func (r *webhookListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Finds the webhooks of the provider configuration's bots: the bot of its `auth_token` (or `" + EnvAuthToken +
			"`) and every bot in its `bots` map, one result per bot that has a webhook. Each result's configuration names " +
			"the bot by its `bots` key (never by its token), so that generated configuration imports with no token in state. " +
			"Bots are looked up ten at a time, each within two minutes, and listed in the order of their keys (the " +
			"provider's own token's bot last), up to the `list` block's `limit`. A bot that cannot be read (a token Viber " +
			"rejects, Viber unreachable) is reported as a warning beside the others' results; when no bot is listed, it " +
			"fails the query.",
		Attributes: map[string]listschema.Attribute{
			"bot": listschema.StringAttribute{
				MarkdownDescription: "Only the bot of this `bots` key. A key the map lacks is an error naming the keys there are.",
				Optional:            true,
			},
		},
	}
}

type webhookListConfig struct {
	Bot types.String `tfsdk:"bot"`
}

func (r *webhookListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data, diags := providerDataFrom(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	r.data = data
}

func (r *webhookListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	if r.data == nil {
		stream.Results = list.ListResultsStreamDiagnostics(diag.Diagnostics{unconfiguredDiag("Listing viber_webhook")})
		return
	}
	var cfg webhookListConfig
	diags := req.Config.Get(ctx, &cfg)
	var tokens, keys []string
	if !diags.HasError() && !cfg.Bot.IsNull() {
		token, d := r.data.tokenFor(cfg.Bot, types.StringNull())
		diags.Append(d...)
		tokens, keys = []string{token}, []string{cfg.Bot.ValueString()}
	} else {
		tokens, keys = r.data.knownTokens()
	}
	if len(tokens) == 0 && !diags.HasError() {
		diags.Append(missingTokenDiag())
	}
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	stream.Results = func(push func(list.ListResult) bool) {
		r.stream(ctx, req, tokens, keys, push)
	}
}

// listParallelism is how many bots are looked up at once: Terraform's own
// default parallelism.
const listParallelism = 10

// stream looks the bots up concurrently, each within its own read timeout,
// and pushes their results in the order of keys (stable across runs), at
// most req.Limit of them. Terraform drops every result of a query that has
// an error, so a bot that fails is reported as a warning on the first
// result, and is an error only when no bot is listed.
func (r *webhookListResource) stream(ctx context.Context, req list.ListRequest, tokens, keys []string, push func(list.ListResult) bool) {
	type found struct {
		result list.ListResult
		id     string // the bot's account ID; "" when the look-up failed
		ok     bool   // false: no webhook
	}
	done := make([]found, len(tokens))
	slots := make(chan struct{}, listParallelism)
	var wg sync.WaitGroup
	for i := range tokens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			slots <- struct{}{}
			defer func() { <-slots }()
			bctx, cancel := context.WithTimeout(ctx, defaultReadTimeout)
			defer cancel()
			result, id, ok := r.find(bctx, req, tokens[i], keys[i])
			done[i] = found{result, id, ok}
		}()
	}
	wg.Wait()

	var failed diag.Diagnostics
	var results []list.ListResult
	seen := map[string]bool{}
	for _, f := range done {
		switch {
		case f.result.Diagnostics.HasError():
			failed.Append(f.result.Diagnostics...)
		case f.ok && !seen[f.id]: // not the same bot under an earlier key
			seen[f.id] = true
			results = append(results, f.result)
		}
	}
	if req.Limit > 0 && int64(len(results)) > req.Limit {
		results = results[:req.Limit]
	}
	if len(results) == 0 {
		if failed.HasError() {
			push(list.ListResult{Diagnostics: failed})
		}
		return
	}
	for _, d := range failed {
		results[0].Diagnostics.AddWarning(d.Summary(), d.Detail()+"\n\nThe other bots are listed; this one is not.")
	}
	for _, result := range results {
		if !push(result) {
			return
		}
	}
}

// find is the result for the bot of token (under bots key, "" for the
// provider's token), with the bot's account ID: ok is false when it has no
// webhook. A failure is a result holding only the diagnostic, with no ID.
func (r *webhookListResource) find(ctx context.Context, req list.ListRequest, token, key string) (result list.ListResult, id string, ok bool) {
	result = req.NewListResult(ctx)
	c, diags := r.data.client(token)
	if diags.HasError() {
		result.Diagnostics.Append(diags...)
		return result, "", true
	}
	info, err := c.AccountInfo(ctx)
	if err != nil {
		doing := "finding the webhook of the provider's auth_token's bot"
		if key != "" {
			doing = fmt.Sprintf("finding the webhook of the bot %q", key)
		}
		result.Diagnostics.Append(apiErrorDiag(ctx, doing, err))
		return result, "", true
	}
	r.data.identities.remember(token, info.ID)
	if info.Webhook == "" {
		return result, info.ID, false
	}
	result.DisplayName = displayName(info.Name, info.ID)
	result.Diagnostics.Append(setIdentity(ctx, result.Identity, info.ID)...)
	if req.IncludeResource {
		result.Diagnostics.Append(webhookResourceFromInfo(ctx, result.Resource, key, info)...)
	}
	return result, info.ID, true
}

// displayName names a bot as terraform query lists it: "Name (pa:...)".
func displayName(name *string, id string) string {
	if name == nil || *name == "" {
		return id
	}
	return fmt.Sprintf("%s (%s)", *name, id)
}

// webhookResourceFromInfo fills res with the webhook Viber holds, in the
// form a configuration would write it: the bot by its key (none for the
// provider's token), event_types canonical, and send_name and send_photo
// false, since Viber does not report them.
func webhookResourceFromInfo(ctx context.Context, res *tfsdk.Resource, key string, info *viber.AccountInfo) diag.Diagnostics {
	set, diags := canonicalEventTypes(info.EventTypes)
	bot := types.StringNull()
	if key != "" {
		bot = types.StringValue(key)
	}
	for name, v := range map[string]any{
		"id": info.ID, "bot": bot, "url": info.Webhook, "event_types": set, "send_name": false, "send_photo": false,
	} {
		diags.Append(res.SetAttribute(ctx, path.Root(name), v)...)
	}
	return diags
}

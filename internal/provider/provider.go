// Package provider is the Terraform face of the Viber Bot API: schemas,
// plan-time checks, and the mapping between Terraform state and Viber's
// answers. HTTP details live in package viber.
package provider

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/viberops/terraform-provider-viber/internal/retry"
	"github.com/viberops/terraform-provider-viber/internal/validators"
	"github.com/viberops/terraform-provider-viber/internal/viber"
)

// Environment variables the provider falls back to.
const (
	EnvAuthToken = "VIBER_AUTH_TOKEN"
	EnvAPIURL    = "VIBER_API_URL"
)

var (
	_ provider.Provider                  = (*ViberProvider)(nil)
	_ provider.ProviderWithListResources = (*ViberProvider)(nil)
)

// ViberProvider is the viber provider.
type ViberProvider struct {
	version string
}

// New returns a constructor of the provider at version (set at release).
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &ViberProvider{version: version} }
}

type providerModel struct {
	AuthToken types.String `tfsdk:"auth_token"`
	APIURL    types.String `tfsdk:"api_url"`
	Retry     *retryModel  `tfsdk:"retry"`
}

type retryModel struct {
	MinDelayMS  types.Int64 `tfsdk:"min_delay_ms"`
	MaxDelayMS  types.Int64 `tfsdk:"max_delay_ms"`
	MaxAttempts types.Int64 `tfsdk:"max_attempts"`
}

func (p *ViberProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "viber"
	resp.Version = p.version
}

func (p *ViberProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages Viber bots through the [Viber Bot API](https://developers.viber.com/docs/api/rest-bot-api/).",
		Attributes: map[string]schema.Attribute{
			"auth_token": schema.StringAttribute{
				MarkdownDescription: "The bot's authentication token, from the bot's Info screen in the Viber Admin Panel " +
					"(three 16-character groups joined by hyphens). Falls back to the `" + EnvAuthToken + "` environment variable. " +
					"It is sent only in the `X-Viber-Auth-Token` header and never stored in state or logged.",
				Optional:   true,
				Sensitive:  true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"api_url": schema.StringAttribute{
				MarkdownDescription: "Base URL of the Bot API. Falls back to the `" + EnvAPIURL + "` environment variable, then to `" +
					viber.DefaultBaseURL + "`. Calls go to `<api_url>/set_webhook` and `<api_url>/get_account_info`. " +
					"`http://` is accepted so that local emulators work.",
				Optional:   true,
				Validators: []validator.String{validators.URL("https", "http")},
			},
		},
		Blocks: map[string]schema.Block{
			"retry": schema.SingleNestedBlock{
				MarkdownDescription: "How transient failures are retried: network errors, HTTP 429 and 5xx answers, Viber's " +
					"`tooManyRequests (12)`, and, for `set_webhook`, a failed availability check of the webhook URL (an endpoint " +
					"still being deployed). Each wait doubles, from `min_delay_ms` up to `max_delay_ms`, with random jitter; " +
					"retries go on until the operation's timeout (see `timeouts` on the resources) or `max_attempts`.",
				Attributes: map[string]schema.Attribute{
					"min_delay_ms": schema.Int64Attribute{
						MarkdownDescription: fmt.Sprintf("The first wait, in milliseconds. Defaults to `%d`.", retry.Default.MinDelay.Milliseconds()),
						Optional:            true,
						Validators:          []validator.Int64{int64validator.Between(1, 60_000)},
					},
					"max_delay_ms": schema.Int64Attribute{
						MarkdownDescription: fmt.Sprintf("The longest wait, in milliseconds; at least `min_delay_ms`. Defaults to `%d`.", retry.Default.MaxDelay.Milliseconds()),
						Optional:            true,
						Validators: []validator.Int64{
							int64validator.Between(1, 600_000),
							int64validator.AtLeastSumOf(path.MatchRelative().AtParent().AtName("min_delay_ms")),
						},
					},
					"max_attempts": schema.Int64Attribute{
						MarkdownDescription: "Stop after this many attempts, even before the timeout; `1` disables retries. " +
							"By default, attempts go on until the timeout.",
						Optional:   true,
						Validators: []validator.Int64{int64validator.AtLeast(1)},
					},
				},
			},
		},
	}
}

func (p *ViberProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	for attr, v := range map[string]types.String{"auth_token": cfg.AuthToken, "api_url": cfg.APIURL} {
		if v.IsUnknown() {
			resp.Diagnostics.AddAttributeError(path.Root(attr), "Unknown provider "+attr,
				"The provider's "+attr+" depends on a value that is only known after apply. "+
					"Give it a value known at plan time, or apply the resources it depends on first with -target.")
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}

	data := &providerData{
		retry:     cfg.Retry.policy(),
		token:     stringOr(cfg.AuthToken, os.Getenv(EnvAuthToken)),
		baseURL:   stringOr(cfg.APIURL, os.Getenv(EnvAPIURL)),
		userAgent: fmt.Sprintf("terraform-provider-viber/%s Terraform/%s", p.version, req.TerraformVersion),
		http: &http.Client{
			// Viber's availability check runs inside set_webhook; this only
			// stops a silent server from hanging an apply for ever.
			Timeout:   2 * time.Minute,
			Transport: newTransport(),
		},
	}
	if data.baseURL == "" {
		data.baseURL = viber.DefaultBaseURL
	} else if err := validators.CheckURL(data.baseURL, "https", "http"); err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("api_url"), "Invalid Viber API URL",
			fmt.Sprintf("api_url (or %s) %s.", EnvAPIURL, err))
		return
	}
	tflog.Debug(ctx, "Configured Viber provider", map[string]any{"api_url": data.baseURL, "auth_token_set": data.token != ""})
	resp.ResourceData = data
	resp.DataSourceData = data
	resp.ListResourceData = data
}

// policy is the retry policy the block asks for; defaults where it is silent.
func (m *retryModel) policy() retry.Policy {
	p := retry.Default
	if m == nil {
		return p
	}
	if !m.MinDelayMS.IsNull() {
		p.MinDelay = time.Duration(m.MinDelayMS.ValueInt64()) * time.Millisecond
	}
	if !m.MaxDelayMS.IsNull() {
		p.MaxDelay = time.Duration(m.MaxDelayMS.ValueInt64()) * time.Millisecond
	}
	p.MaxDelay = max(p.MaxDelay, p.MinDelay)
	p.MaxAttempts = int(m.MaxAttempts.ValueInt64())
	return p
}

// newTransport keeps enough idle connections per host that Terraform's
// parallel operations (10 by default) reuse them instead of dialling anew.
func newTransport() http.RoundTripper {
	t, ok := http.DefaultTransport.(*http.Transport)
	if !ok { // replaced by some instrumentation: use it as it is
		return http.DefaultTransport
	}
	t = t.Clone()
	t.MaxIdleConnsPerHost = 32
	return t
}

// stringOr returns v's value, or fallback when v is null or empty.
func stringOr(v types.String, fallback string) string {
	if s := v.ValueString(); s != "" {
		return s
	}
	return fallback
}

func (p *ViberProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{NewWebhookResource}
}

func (p *ViberProvider) ListResources(context.Context) []func() list.ListResource {
	return []func() list.ListResource{NewWebhookListResource}
}

func (p *ViberProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{NewAccountDataSource}
}

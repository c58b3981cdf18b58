// Package provider is the Terraform face of the Viber Bot API: schemas,
// plan-time checks, and the mapping between Terraform state and Viber's
// answers. HTTP details live in package viber.
package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
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
	"github.com/viberops/terraform-provider-viber/internal/versions"
	"github.com/viberops/terraform-provider-viber/internal/viber"
)

// Environment variables the provider falls back to.
const (
	EnvAuthToken = "VIBER_AUTH_TOKEN"
	EnvBots      = "VIBER_BOTS"
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
	Bots      types.Map    `tfsdk:"bots"`
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
			"bots": schema.MapAttribute{
				MarkdownDescription: "Many bots' tokens, by a key of your choosing (e.g. `{ sales = \"...\", support = \"...\" }`): " +
					"a `viber_webhook`, `viber_account` or `list` block names its bot with `bot = \"<key>\"`, so one provider " +
					"block serves any number of bots and `for_each` can go over the keys. Like `auth_token`, the tokens are " +
					"never stored in state. Given from an `ephemeral` variable or resource (" + versions.EphemeralVariables.Needs() + "), " +
					"they stay out of saved plans too. Keys are not secret and appear in state and messages; tokens never do. Falls back to " +
					"the `" + EnvBots + "` environment variable, a JSON object (`{\"sales\":\"...\"}`), when not set here. " +
					"A bot's token replaced here (Viber replaces a compromised one on request) plans no change.",
				ElementType: types.StringType,
				Optional:    true,
				Sensitive:   true,
				Validators: []validator.Map{
					mapvalidator.KeysAre(stringvalidator.LengthAtLeast(1)),
					mapvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1)),
				},
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
				MarkdownDescription: "Tunes the retries of transient failures, which the provider page's Retries section lists. " +
					"Each wait doubles, from `min_delay_ms` up to `max_delay_ms`, with jitter; retries stop at the operation's " +
					"timeout or after `max_attempts`.",
				Attributes: map[string]schema.Attribute{
					"min_delay_ms": schema.Int64Attribute{
						MarkdownDescription: fmt.Sprintf("The first wait before jitter, in milliseconds. With jitter, the first wait is between half and all of it. "+
							"Defaults to `%d`.", retry.Default.MinDelay.Milliseconds()),
						Optional:   true,
						Validators: []validator.Int64{int64validator.Between(1, 60_000)},
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
	// A configuration that depends on values known only after apply (a token
	// read from a secret created in the same apply) is unknown while
	// planning: leave the provider unconfigured, so that resources skip
	// their plan-time look-ups. Apply configures it again with known values.
	for name, v := range map[string]attr.Value{"auth_token": cfg.AuthToken, "api_url": cfg.APIURL, "bots": cfg.Bots} {
		if tv, err := v.ToTerraformValue(ctx); err == nil && !tv.IsFullyKnown() {
			tflog.Debug(ctx, "Viber provider configuration not known yet; planning without it", map[string]any{"attribute": name})
			return
		}
	}
	bots, diags := botsFrom(ctx, cfg.Bots)
	resp.Diagnostics.Append(diags...)
	for k, t := range bots {
		bots[k] = botKey(t) // as Viber reads it: a token file's trailing newline is not part of it
	}
	if resp.Diagnostics.HasError() {
		return
	}
	data := &providerData{
		retry:     cfg.Retry.policy(),
		token:     botKey(stringOr(cfg.AuthToken, os.Getenv(EnvAuthToken))),
		bots:      bots,
		baseURL:   stringOr(cfg.APIURL, os.Getenv(EnvAPIURL)),
		userAgent: fmt.Sprintf("terraform-provider-viber/%s Terraform/%s", p.version, req.TerraformVersion),
		http: &http.Client{
			// Viber's availability check runs inside set_webhook; this only
			// stops a silent server from hanging an apply for ever.
			Timeout:   2 * time.Minute,
			Transport: newTransport(),
		},
	}
	data.tokensDigest = tokensDigest(data.token, data.bots)
	if data.baseURL == "" {
		data.baseURL = viber.DefaultBaseURL
	} else if err := validators.CheckURL(data.baseURL, "https", "http"); err != nil { // its text hides any password
		resp.Diagnostics.AddAttributeError(path.Root("api_url"), "Invalid Viber API URL",
			fmt.Sprintf("api_url (or %s) %s.", EnvAPIURL, err))
		return
	}
	if u, err := url.Parse(data.baseURL); err == nil && u.Scheme == "http" && !isLoopback(u.Hostname()) {
		what := "the bot's token"
		if u.User != nil { // Go sends them as a basic Authorization header
			what += " and api_url's user:password"
		}
		resp.Diagnostics.AddAttributeWarning(path.Root("api_url"), "The Viber API URL sends tokens in clear text",
			fmt.Sprintf("api_url (or %s) is an http:// URL on %q, which is not this machine, so every call sends %s "+
				"unencrypted across the network. Use https://; http:// is meant for a local emulator (127.0.0.1, ::1, localhost).",
				EnvAPIURL, u.Hostname(), what))
	}
	// api_url may carry a proxy's user:password@: log it without the password.
	tflog.Debug(ctx, "Configured Viber provider", map[string]any{
		"api_url": validators.RedactURL(data.baseURL), "auth_token_set": data.token != "", "bots": data.botKeys(),
	})
	resp.ResourceData = data
	resp.DataSourceData = data
	resp.ListResourceData = data
}

// botsFrom returns the bots map the configuration sets, else the one in
// VIBER_BOTS. Neither error quotes the variable, which holds tokens.
func botsFrom(ctx context.Context, m types.Map) (map[string]string, diag.Diagnostics) {
	bots := map[string]string{}
	if !m.IsNull() {
		diags := m.ElementsAs(ctx, &bots, false)
		return bots, diags
	}
	var diags diag.Diagnostics
	raw := os.Getenv(EnvBots)
	if raw == "" {
		return bots, diags
	}
	if err := json.Unmarshal([]byte(raw), &bots); err != nil {
		diags.AddAttributeError(path.Root("bots"), "Invalid "+EnvBots,
			EnvBots+" must be a JSON object of bot keys to tokens, e.g. {\"sales\":\"<token>\",\"support\":\"<token>\"}; "+
				"it is not ("+jsonProblem(err)+").")
		return nil, diags
	}
	for k, t := range bots {
		if k == "" || t == "" {
			diags.AddAttributeError(path.Root("bots"), "Invalid "+EnvBots,
				fmt.Sprintf("%s holds an empty key or token (key %q): every bot needs a key and its token.", EnvBots, k))
		}
	}
	return bots, diags
}

// jsonProblem describes a decoding error by kind and position only: the
// error's own text can quote the input.
func jsonProblem(err error) string {
	var syntax *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return fmt.Sprintf("malformed JSON at byte %d", syntax.Offset)
	case errors.As(err, &typeErr):
		return fmt.Sprintf("a %s where a string or object belongs, at byte %d", typeErr.Value, typeErr.Offset)
	default:
		return "malformed JSON"
	}
}

// policy is the retry policy the block asks for; defaults where it is silent.
func (m *retryModel) policy() retry.Policy {
	p := retry.Default
	if m == nil {
		return p
	}
	set := func(v types.Int64) bool { return !v.IsNull() && !v.IsUnknown() } // unknown: the default
	if set(m.MinDelayMS) {
		p.MinDelay = time.Duration(m.MinDelayMS.ValueInt64()) * time.Millisecond
	}
	if set(m.MaxDelayMS) {
		p.MaxDelay = time.Duration(m.MaxDelayMS.ValueInt64()) * time.Millisecond
	}
	p.MaxDelay = max(p.MaxDelay, p.MinDelay)
	if set(m.MaxAttempts) {
		p.MaxAttempts = int(m.MaxAttempts.ValueInt64())
	}
	return p
}

// isLoopback reports whether host names this machine: a loopback address,
// or localhost, which resolves to one.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
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

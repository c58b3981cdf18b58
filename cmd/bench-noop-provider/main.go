// Command bench-noop-provider is the benchmarks' plugin floor: a provider
// built with the same framework, set up as the viber provider is, whose one
// resource takes viber_webhook's arguments and does nothing, to measure
// what any plugin costs for the same data. It is never shipped.
package main

import (
	"context"
	"log"
	"os"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/viberops/terraform-provider-viber/internal/pluginlog"
)

func main() {
	const address = "registry.terraform.io/viberops/noop"
	pluginlog.QuietUnlessRequested(address, os.Environ(), os.Setenv) // as the viber provider does
	if err := providerserver.Serve(context.Background(), func() provider.Provider { return noopProvider{} },
		providerserver.ServeOpts{Address: address}); err != nil {
		log.Fatal(err)
	}
}

type noopProvider struct{}

func (noopProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "noop"
}

func (noopProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}

func (noopProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (noopProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return thing{} }}
}

func (noopProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

// thing takes the same arguments as viber_webhook (a bot key, a sensitive
// token, a URL, event types, two flags, a computed id, timeouts) and has
// the same identity, so that Terraform handles the same data for it, and
// does nothing with them.
type thing struct{}

type thingModel struct {
	ID         types.String   `tfsdk:"id"`
	Bot        types.String   `tfsdk:"bot"`
	AuthToken  types.String   `tfsdk:"auth_token"`
	URL        types.String   `tfsdk:"url"`
	EventTypes types.Set      `tfsdk:"event_types"`
	SendName   types.Bool     `tfsdk:"send_name"`
	SendPhoto  types.Bool     `tfsdk:"send_photo"`
	Timeouts   timeouts.Value `tfsdk:"timeouts"`
}

func (thing) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_thing"
}

func (thing) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	flag := func() schema.BoolAttribute {
		return schema.BoolAttribute{MarkdownDescription: "Stored.", Optional: true, Computed: true, Default: booldefault.StaticBool(false)}
	}
	resp.Schema = schema.Schema{
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true}),
		},
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{MarkdownDescription: "Derived from url.", Computed: true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}},
			"bot":         schema.StringAttribute{MarkdownDescription: "Stored.", Optional: true},
			"auth_token":  schema.StringAttribute{MarkdownDescription: "Stored.", Optional: true, Sensitive: true},
			"url":         schema.StringAttribute{MarkdownDescription: "Stored.", Required: true},
			"event_types": schema.SetAttribute{MarkdownDescription: "Stored.", ElementType: types.StringType, Optional: true},
			"send_name":   flag(),
			"send_photo":  flag(),
		},
	}
}

// IdentitySchema is viber_webhook's: Terraform 1.12+ stores and checks an
// identity with every object.
func (thing) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{Attributes: map[string]identityschema.Attribute{
		"account_id": identityschema.StringAttribute{Description: "Stored.", RequiredForImport: true},
	}}
}

// Create waits NOOP_CREATE_DELAY (a Go duration, none by default) when
// set: with the round trip of an API call, the floor is what a provider
// that spends nothing but one round trip per create would measure.
func (thing) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	if d, err := time.ParseDuration(os.Getenv("NOOP_CREATE_DELAY")); err == nil {
		time.Sleep(d)
	}
	var m thingModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	m.ID = types.StringValue("noop:" + m.URL.ValueString())
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, m.ID)...)
}

// Read keeps the object as it is. A CLI without identities (Terraform
// before 1.12) sends none, and the framework wants one back, as
// viber_webhook's Read gives it.
func (thing) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	if resp.Identity == nil || !resp.Identity.Raw.IsFullyNull() {
		return
	}
	var id types.String
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("id"), &id)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, id)...)
}

// setIdentity records the object's identity: a CLI without identities
// sends none, so updates and reads give it back as creates do.
func setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, id types.String) diag.Diagnostics {
	if identity == nil {
		return nil
	}
	return identity.SetAttribute(ctx, path.Root("account_id"), id)
}

func (thing) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m thingModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, m.ID)...)
}

func (thing) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

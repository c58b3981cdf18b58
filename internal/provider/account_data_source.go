package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/viberops/terraform-provider-viber/internal/viber"
)

var _ datasource.DataSourceWithConfigure = (*accountDataSource)(nil)

// NewAccountDataSource returns the viber_account data source.
func NewAccountDataSource() datasource.DataSource { return &accountDataSource{} }

type accountDataSource struct {
	data *providerData
}

type accountModel struct {
	Bot              types.String   `tfsdk:"bot"`
	AuthToken        types.String   `tfsdk:"auth_token"`
	ID               types.String   `tfsdk:"id"`
	Name             types.String   `tfsdk:"name"`
	URI              types.String   `tfsdk:"uri"`
	Icon             types.String   `tfsdk:"icon"`
	Background       types.String   `tfsdk:"background"`
	Category         types.String   `tfsdk:"category"`
	Subcategory      types.String   `tfsdk:"subcategory"`
	Location         types.Object   `tfsdk:"location"`
	Country          types.String   `tfsdk:"country"`
	Webhook          types.String   `tfsdk:"webhook"`
	EventTypes       types.Set      `tfsdk:"event_types"`
	SubscribersCount types.Int64    `tfsdk:"subscribers_count"`
	Members          types.List     `tfsdk:"members"`
	Timeouts         timeouts.Value `tfsdk:"timeouts"`
}

// defaultAccountReadTimeout bounds a read, retries included, as the
// webhook's read is bounded.
const defaultAccountReadTimeout = 2 * time.Minute

var (
	locationAttrTypes = map[string]attr.Type{"lat": types.Float64Type, "lon": types.Float64Type}
	memberAttrTypes   = map[string]attr.Type{
		"id": types.StringType, "name": types.StringType, "avatar": types.StringType, "role": types.StringType,
	}
)

func (d *accountDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_account"
}

func (d *accountDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computed := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Viber bot account, as `get_account_info` describes it: its identity, profile, " +
			"subscribers and current webhook. Fields Viber leaves out of its answer are null.",
		Attributes: map[string]schema.Attribute{
			"bot": schema.StringAttribute{
				MarkdownDescription: "The key of the provider's `bots` entry whose bot to read. Takes precedence over the provider's " +
					"`auth_token`; cannot be set with `auth_token`. A key the map lacks fails the plan, naming the keys there are.",
				Optional: true,
				Validators: []validator.String{
					stringvalidator.LengthAtLeast(1),
					stringvalidator.ConflictsWith(path.MatchRoot("auth_token")),
				},
			},
			"auth_token": schema.StringAttribute{
				MarkdownDescription: "The bot's authentication token, overriding the provider's `auth_token` (and `" + EnvAuthToken + "`). " +
					"Unlike the provider's tokens, it is stored in the state (marked sensitive): prefer `bot`.",
				Optional:   true,
				Sensitive:  true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"id":          computed("The bot's account ID, e.g. `pa:75346594275468546724`: the import ID of its `viber_webhook`."),
			"name":        computed("The bot's name."),
			"uri":         computed("The bot's unique URI (its `viber://pa?chatURI=` part)."),
			"icon":        computed("URL of the bot's avatar."),
			"background":  computed("URL of the bot's background image."),
			"category":    computed("The bot's category."),
			"subcategory": computed("The bot's subcategory."),
			"location": schema.SingleNestedAttribute{
				MarkdownDescription: "The bot's location.",
				Computed:            true,
				Attributes: map[string]schema.Attribute{
					"lat": schema.Float64Attribute{MarkdownDescription: "Latitude.", Computed: true},
					"lon": schema.Float64Attribute{MarkdownDescription: "Longitude.", Computed: true},
				},
			},
			"country": computed("The bot's country, as an ISO 3166 alpha-2 code."),
			"webhook": computed("The current webhook URL; an empty string when no webhook is set."),
			"event_types": schema.SetAttribute{
				MarkdownDescription: "The event types the webhook receives, mandatory ones (`message`, `subscribed`, `unsubscribed`) " +
					"included and Viber's server-only types (`webhook`, `client_status`, `action`) left out. " +
					"Empty when no webhook is set. Because it lists `message`, which `viber_webhook`'s `event_types` " +
					"does not accept, copy it there as `setsubtract(data.viber_account.<name>.event_types, [\"message\"])`.",
				ElementType: types.StringType,
				Computed:    true,
			},
			"subscribers_count": schema.Int64Attribute{MarkdownDescription: "How many users subscribe to the bot.", Computed: true},
			"members": schema.ListNestedAttribute{
				MarkdownDescription: "The account's administrators (deprecated by Viber, but still reported).",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"id":     computed("The member's Viber user ID."),
						"name":   computed("The member's name."),
						"avatar": computed("URL of the member's avatar."),
						"role":   computed("`admin` or `superadmin`."),
					},
				},
			},
		},
		Blocks: map[string]schema.Block{"timeouts": accountTimeoutsBlock(ctx)},
	}
}

// accountTimeoutsBlock is the read timeout, described as the resource's are.
func accountTimeoutsBlock(ctx context.Context) schema.Block {
	b := timeouts.Block(ctx)
	if nested, ok := b.(schema.SingleNestedBlock); ok {
		nested.MarkdownDescription = "How long reading the account may take, retries of transient failures included."
		if read, ok := nested.Attributes["read"].(schema.StringAttribute); ok {
			read.MarkdownDescription = timeoutDescription("Reading the account", defaultAccountReadTimeout)
			nested.Attributes["read"] = read
		}
		b = nested
	}
	return b
}

func (d *accountDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	data, diags := providerDataFrom(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	d.data = data
}

func (d *accountDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m accountModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if d.data == nil {
		resp.Diagnostics.Append(unconfiguredDiag("Reading viber_account"))
		return
	}
	ctx, cancel, diags := withTimeout(ctx, m.Timeouts.Read, defaultAccountReadTimeout)
	resp.Diagnostics.Append(diags...)
	defer cancel()
	token, diags := d.data.tokenFor(m.Bot, m.AuthToken)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	c, diags := d.data.client(token)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	info, err := c.AccountInfo(ctx)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag(ctx, "reading the bot account", err))
		return
	}
	d.data.identities.remember(token, info.ID)
	resp.Diagnostics.Append(m.fill(info)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// fill copies Viber's answer into the model; what Viber left out is null.
func (m *accountModel) fill(info *viber.AccountInfo) diag.Diagnostics {
	var diags, d diag.Diagnostics
	m.ID = types.StringNull()
	if info.ID != "" {
		m.ID = types.StringValue(info.ID)
	}
	m.Name = types.StringPointerValue(info.Name)
	m.URI = types.StringPointerValue(info.URI)
	m.Icon = types.StringPointerValue(info.Icon)
	m.Background = types.StringPointerValue(info.Background)
	m.Category = types.StringPointerValue(info.Category)
	m.Subcategory = types.StringPointerValue(info.Subcategory)
	m.Country = types.StringPointerValue(info.Country)
	m.Webhook = types.StringValue(info.Webhook)
	m.SubscribersCount = types.Int64PointerValue(info.SubscribersCount)

	m.Location = types.ObjectNull(locationAttrTypes)
	if info.Location != nil {
		m.Location, d = types.ObjectValue(locationAttrTypes, map[string]attr.Value{
			"lat": types.Float64PointerValue(info.Location.Lat),
			"lon": types.Float64PointerValue(info.Location.Lon),
		})
		diags.Append(d...)
	}

	var known []attr.Value
	for _, t := range viber.KnownEventTypes(info.EventTypes) {
		known = append(known, types.StringValue(t))
	}
	m.EventTypes, d = types.SetValue(types.StringType, known)
	diags.Append(d...)

	memberType := types.ObjectType{AttrTypes: memberAttrTypes}
	m.Members = types.ListNull(memberType)
	if info.Members != nil {
		members := make([]attr.Value, 0, len(info.Members))
		for _, mb := range info.Members {
			v, d := types.ObjectValue(memberAttrTypes, map[string]attr.Value{
				"id": types.StringPointerValue(mb.ID), "name": types.StringPointerValue(mb.Name),
				"avatar": types.StringPointerValue(mb.Avatar), "role": types.StringPointerValue(mb.Role),
			})
			diags.Append(d...)
			members = append(members, v)
		}
		m.Members, d = types.ListValue(memberType, members)
		diags.Append(d...)
	}
	return diags
}

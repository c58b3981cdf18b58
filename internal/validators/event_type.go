package validators

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/viberops/terraform-provider-viber/internal/viber"
)

// EventType returns a validator for one element of a webhook's event_types.
// It does what stringvalidator.OneOf does, and also explains why "message",
// which every Viber user expects to find, is not among the allowed values.
func EventType() validator.String {
	return eventTypeValidator{}
}

type eventTypeValidator struct{}

func (eventTypeValidator) Description(context.Context) string {
	return "value must be one of: " + quoted(viber.SelectableEventTypes)
}

func (v eventTypeValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (eventTypeValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	value := req.ConfigValue.ValueString()
	if viber.IsSelectable(value) {
		return
	}
	detail := fmt.Sprintf("%s contains %q, which is not an event type Viber lets a webhook select. Allowed values: %s.",
		req.Path.ParentPath(), value, quoted(viber.SelectableEventTypes))
	if value == viber.EventMessage {
		detail += ` "message" is always delivered, whatever event_types says: remove it from the list.`
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid event type", detail)
}

func quoted(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(q, ", ")
}

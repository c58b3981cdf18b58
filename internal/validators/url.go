// Package validators holds the plan-time checks that
// terraform-plugin-framework-validators does not provide.
package validators

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// URL returns a validator that accepts an absolute URL with a host whose
// scheme is one of schemes.
func URL(schemes ...string) validator.String {
	return urlValidator{schemes: schemes}
}

// WebhookURL is URL("https") for a webhook, whose empty value people may
// mean as "no webhook": the error then says how to remove one.
func WebhookURL() validator.String {
	return urlValidator{schemes: []string{"https"},
		emptyHint: "To remove the webhook, destroy the resource (or remove it from the configuration)."}
}

type urlValidator struct {
	schemes   []string
	emptyHint string // added to the error for an empty value
}

func (v urlValidator) Description(context.Context) string {
	return fmt.Sprintf("value must be an absolute %s URL with a host", strings.Join(v.schemes, " or "))
}

func (v urlValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v urlValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	raw := req.ConfigValue.ValueString()
	if err := CheckURL(raw, v.schemes...); err != nil {
		detail := fmt.Sprintf("%s %s.", req.Path, err)
		if raw == "" && v.emptyHint != "" {
			detail += " " + v.emptyHint
		}
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid URL", detail)
	}
}

// CheckURL returns what is wrong with raw as an absolute URL with a host and
// one of schemes, or nil. The error reads after the attribute's name.
func CheckURL(raw string, schemes ...string) error {
	want := strings.Join(schemes, "://, ") + "://"
	if raw == "" {
		return fmt.Errorf("must not be empty: give an absolute URL starting with %s", want)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("is not a valid URL (%q: %v)", raw, unwrapURLError(err))
	}
	ok := false
	for _, s := range schemes {
		ok = ok || u.Scheme == s
	}
	switch {
	case !ok:
		return fmt.Errorf("must start with %s, got %q", want, raw)
	case u.Opaque != "" || u.Host == "":
		return fmt.Errorf("must be an absolute URL with a host, like %sbot.example.com/viber, got %q", schemes[0]+"://", raw)
	case u.Hostname() == "":
		return fmt.Errorf("has no host name, got %q", raw)
	}
	return nil
}

func unwrapURLError(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}

package validators

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestCheckURL(t *testing.T) {
	cases := []struct {
		raw     string
		wantErr string // "" = valid
	}{
		{"https://bot.example.com/viber", ""},
		{"https://127.0.0.1:8443/hook", ""},
		{"https://[::1]:8443/hook", ""},
		{"https://bot.example.com/viber?x=1", ""},
		{"", "must not be empty"},
		{"http://bot.example.com/viber", "must start with https://"},
		{"HTTPS://bot.example.com", ""}, // schemes are case-insensitive
		{"bot.example.com/viber", "must start with https://"},
		{"/viber", "must start with https://"},
		{"https:///viber", "absolute URL with a host"},
		{"https:bot.example.com", "absolute URL with a host"},
		{"https://:443/x", "no host name"},
		{"https://bot example.com/%zz", "not a valid URL"},
		{" https://bot.example.com", "not a valid URL"},
	}
	for _, c := range cases {
		err := CheckURL(c.raw, "https")
		switch {
		case c.wantErr == "" && err != nil:
			t.Errorf("CheckURL(%q) = %v, want nil", c.raw, err)
		case c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)):
			t.Errorf("CheckURL(%q) = %v, want an error containing %q", c.raw, err, c.wantErr)
		}
	}
}

func TestURLValidatorNamesTheAttribute(t *testing.T) {
	req := validator.StringRequest{Path: path.Root("url"), ConfigValue: types.StringValue("http://x")}
	var resp validator.StringResponse
	URL("https").ValidateString(context.Background(), req, &resp)
	if !resp.Diagnostics.HasError() {
		t.Fatal("no error for http://")
	}
	if d := resp.Diagnostics[0].Detail(); !strings.HasPrefix(d, "url must start with https://") {
		t.Errorf("detail = %q", d)
	}
	for _, v := range []types.String{types.StringNull(), types.StringUnknown()} {
		resp = validator.StringResponse{}
		URL("https").ValidateString(context.Background(), validator.StringRequest{Path: path.Root("url"), ConfigValue: v}, &resp)
		if resp.Diagnostics.HasError() {
			t.Errorf("error for %v: %v", v, resp.Diagnostics)
		}
	}
}

func TestEventType(t *testing.T) {
	p := path.Root("event_types").AtSetValue(types.StringValue("x"))
	for value, want := range map[string]string{
		"seen":                 "",
		"conversation_started": "",
		"message":              `"message" is always delivered`,
		"webhook":              `Allowed values: "delivered", "seen", "failed", "subscribed", "unsubscribed", "conversation_started"`,
		"Seen":                 `contains "Seen"`,
	} {
		var resp validator.StringResponse
		EventType().ValidateString(context.Background(), validator.StringRequest{Path: p, ConfigValue: types.StringValue(value)}, &resp)
		switch {
		case want == "" && resp.Diagnostics.HasError():
			t.Errorf("%q rejected: %v", value, resp.Diagnostics)
		case want != "" && (!resp.Diagnostics.HasError() || !strings.Contains(resp.Diagnostics[0].Detail(), want)):
			t.Errorf("%q: diagnostics %v, want one containing %q", value, resp.Diagnostics, want)
		case want != "" && !strings.HasPrefix(resp.Diagnostics[0].Detail(), "event_types contains"):
			t.Errorf("%q: detail %q does not start with the attribute name", value, resp.Diagnostics[0].Detail())
		}
	}
}

package validators

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The webhook URL validator never panics, and the oracle holds whatever
// its implementation: a URL it accepts parses, is absolute, is https, has
// a host, holds no credentials, fragment or whitespace, and makes an HTTP
// request (as Viber's callback would); a URL it rejects gets one error, on
// the url attribute, that names the attribute.
func FuzzCheckURL(f *testing.F) {
	for _, seed := range []string{"https://bot.example.com/viber", "http://x", "", "/path", "https:///x", "https://:443",
		"https://[::1]:8443/h", "https://bot example.com", "HTTPS://Bot.Example.COM/%41", "https://u:p@h/x?q=1#f", "javascript:alert(1)",
		"https:bot.example.com", "https://%zz", "//bot.example.com/x", "https://bot.example.com/my hook", "https://bot.example.com/x\n"} {
		f.Add(seed)
	}
	attr := path.Root("url")
	f.Fuzz(func(t *testing.T, raw string) {
		resp := &validator.StringResponse{}
		WebhookURL().ValidateString(context.Background(), validator.StringRequest{Path: attr, ConfigValue: types.StringValue(raw)}, resp)
		if resp.Diagnostics.HasError() {
			d := resp.Diagnostics.Errors()
			withPath, ok := d[0].(interface{ Path() path.Path })
			if len(d) != 1 || !ok || !withPath.Path().Equal(attr) || !strings.Contains(d[0].Detail(), "url") {
				t.Fatalf("rejecting %q: %v, want one error on url that names it", raw, d)
			}
			return
		}
		u, err := url.Parse(raw)
		if err != nil || !u.IsAbs() || !strings.EqualFold(u.Scheme, "https") || u.Hostname() == "" {
			t.Fatalf("accepted %q, which is not an absolute https URL with a host (parsed: %+v, %v)", raw, u, err)
		}
		if u.User != nil || strings.Contains(raw, "#") || strings.ContainsFunc(raw, unicode.IsSpace) {
			t.Fatalf("accepted %q, which holds credentials, a fragment or whitespace", raw)
		}
		if _, err := http.NewRequest(http.MethodPost, raw, nil); err != nil {
			t.Fatalf("accepted %q, but no HTTP request can be made to it: %v", raw, err)
		}
	})
}

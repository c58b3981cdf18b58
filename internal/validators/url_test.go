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
		{"https://bot example.com/%zz", "not a valid URL: it contains a space"},
		{" https://bot.example.com", "not a valid URL: it starts with a space"},
		{"https://bot.example.com/my hook", `it contains a space ("https://bot.example.com/my hook"). Remove it, or write a space that belongs in the path as %20`},
		{"https://bot.example.com/viber ", "it ends with a space"},
		{"https://bot.example.com/viber\n", `it ends with a newline ("https://bot.example.com/viber\n")`},
		{"https://bot.example.com/viber\r\n", "it ends with a carriage return"},
		{"\thttps://bot.example.com/viber", "it starts with a tab"},
		{"https://bot.example.com/a\tb", "it contains a tab"},
		{"https://bot.example.com/a\u00a0b", "it contains a no-break space"},
		{"https://bot.example.com/a\u2003b", "it contains whitespace (U+2003)"},
		// Credentials are not CheckURL's business (an api_url may hold them), but never quoted.
		{"https://user:s3cret@bot.example.com/viber", ""},
		{"ftp://user:s3cret@bot.example.com/viber", `got "ftp://user:xxxxx@bot.example.com/viber"`},
		{"https://user:s3cret@:443/x", `no host name, got "https://user:xxxxx@:443/x"`},
		{"https://user:s3cret@bot.example.com:abc/x", `not a valid URL ("https://bot.example.com:abc/x", credentials hidden)`},
		{"https://user:s3c ret@bot.example.com/x", `it contains a space ("https://bot.example.com/x")`},
	}
	for _, c := range cases {
		err := CheckURL(c.raw, "https")
		switch {
		case c.wantErr == "" && err != nil:
			t.Errorf("CheckURL(%q) = %v, want nil", c.raw, err)
		case c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)):
			t.Errorf("CheckURL(%q) = %v, want an error containing %q", c.raw, err, c.wantErr)
		case err != nil && strings.Contains(err.Error(), "s3c"):
			t.Errorf("CheckURL(%q) = %v, which quotes the password", c.raw, err)
		}
	}
}

func TestCheckWebhookURL(t *testing.T) {
	cases := []struct {
		raw     string
		wantErr string // "" = valid
	}{
		{"https://bot.example.com/viber", ""},
		{"https://bot.example.com/viber?bot=sales", ""},
		{"https://bot.example.com/@sales/viber", ""}, // an '@' in the path is no credential
		{"https://bot.example.com/a%23b", ""},        // nor is an escaped '#'
		{"http://bot.example.com/viber", "must start with https://"},
		{"", "must not be empty"},
		{"https://bot.example.com/my hook", "it contains a space"},
		{"https://bot.example.com/viber#top", `must not have a #fragment: HTTP clients drop the fragment before they send a request, so the endpoint would never see it. Remove it ("https://bot.example.com/viber")`},
		{"https://bot.example.com/viber#", "must not have a #fragment"},
		{"https://bot.example.com/viber?x=1#top", `Remove it ("https://bot.example.com/viber?x=1")`},
		{"https://user:s3cret@bot.example.com/viber", `must not hold credentials (user:password@): Viber would store them`},
		{"https://user:s3cret@bot.example.com/viber", `Viber signs every callback (the X-Viber-Content-Signature header, an HMAC-SHA256 of the body keyed with the bot's token)`},
		{"https://user:s3cret@bot.example.com/viber#top", `Write "https://bot.example.com/viber" and check the signature instead`},
		{"https://s3cret@bot.example.com/viber", "must not hold credentials"},
		{"https://:s3cret@bot.example.com/viber", "must not hold credentials"},
		{"https://@bot.example.com/viber", "must not hold credentials"},
		{"http://user:s3cret@bot.example.com/viber", `must start with https://, got "http://user:xxxxx@bot.example.com/viber"`},
	}
	for _, c := range cases {
		err := CheckWebhookURL(c.raw)
		switch {
		case c.wantErr == "" && err != nil:
			t.Errorf("CheckWebhookURL(%q) = %v, want nil", c.raw, err)
		case c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)):
			t.Errorf("CheckWebhookURL(%q) = %v, want an error containing %q", c.raw, err, c.wantErr)
		case err != nil && strings.Contains(err.Error(), "s3cret"):
			t.Errorf("CheckWebhookURL(%q) = %v, which quotes the password", c.raw, err)
		}
	}
}

func TestRedactURL(t *testing.T) {
	for raw, want := range map[string]string{
		"https://chatapi.viber.com/pa":             "https://chatapi.viber.com/pa",
		"http://user:s3cret@127.0.0.1:8080/pa":     "http://user:xxxxx@127.0.0.1:8080/pa",
		"https://user@proxy.example.com/pa":        "https://user@proxy.example.com/pa", // no password to hide
		"https://proxy.example.com/pa?to=a@b":      "https://proxy.example.com/pa?to=a@b",
		"https://user:s3c ret@proxy.example.com/":  "https://proxy.example.com/",  // unparsable: userinfo dropped
		"https://user:s3c/ret@proxy.example.com/x": "https://proxy.example.com/x", // '/' in the password
		"https://user:s3cret%zz@proxy.example.com": "https://proxy.example.com",   // a bad escape in it
		"user:s3cret@proxy.example.com/pa":         "user:proxy.example.com/pa",   // no scheme: user: read as one
		"https:user:s3cret@proxy.example.com":      "https:proxy.example.com",     // opaque
		"not a url":                                "not a url",
		"":                                         "",
	} {
		if got := RedactURL(raw); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", raw, got, want)
		}
	}
}

func TestWebhookURLValidatorNamesTheAttribute(t *testing.T) {
	for raw, want := range map[string]string{
		"https://bot.example.com/my hook":           "url is not a valid URL: it contains a space",
		"https://bot.example.com/viber#x":           "url must not have a #fragment",
		"https://user:s3cret@bot.example.com/viber": "url must not hold credentials",
		"":                                "url must not be empty: give an absolute URL starting with https://. To remove the webhook, destroy",
		"https://bot.example.com/viber\n": "url is not a valid URL: it ends with a newline",
	} {
		var resp validator.StringResponse
		WebhookURL().ValidateString(context.Background(), validator.StringRequest{Path: path.Root("url"), ConfigValue: types.StringValue(raw)}, &resp)
		if len(resp.Diagnostics) != 1 || !resp.Diagnostics.HasError() {
			t.Errorf("%q: diagnostics %v, want one error", raw, resp.Diagnostics)
			continue
		}
		if d := resp.Diagnostics[0].Detail(); !strings.HasPrefix(d, want) || strings.Contains(d, "s3cret") || strings.Contains(d, "..") {
			t.Errorf("%q: detail %q, want it to start %q and quote no password", raw, d, want)
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

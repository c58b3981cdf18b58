package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The missing-token error names every place a token can be set, in the
// order the provider looks, whichever operation raises it.
func TestMissingTokenNamesEveryPlace(t *testing.T) {
	t.Setenv(EnvAuthToken, "")
	t.Setenv(EnvBots, "")
	data := &providerData{}
	token, diags := data.tokenFor(types.StringNull(), types.StringNull())
	if diags.HasError() || token != "" {
		t.Fatalf("with nothing configured, tokenFor = %q, %v; want no token and no error", token, diags)
	}
	_, fromClient := data.client(token)
	_, _, fromResource := (&webhookResource{}).client(webhookModel{})
	for name, got := range map[string]diag.Diagnostics{"providerData.client": fromClient, "webhookResource.client": fromResource} {
		if len(got) != 1 || got[0].Summary() != "Missing Viber auth token" {
			t.Fatalf("%s: got %v, want the missing-token error", name, got)
		}
		detail := got[0].Detail()
		at := -1
		for _, place := range []string{
			`bot = "<key>"`, "provider's bots map", EnvBots,
			"auth_token on this resource or data source",
			"auth_token in the provider block",
			EnvAuthToken,
		} {
			i := strings.Index(detail, place)
			if i < 0 {
				t.Errorf("%s: the error does not name %q:\n%s", name, place, detail)
				continue
			}
			if i < at {
				t.Errorf("%s: the error names %q out of the order the provider looks:\n%s", name, place, detail)
			}
			at = i
		}
	}
}

// The order the error states is the order tokenFor looks: a bots key, the
// object's auth_token, then the provider's token (its auth_token, else
// VIBER_AUTH_TOKEN: stringOr in Configure).
func TestTokenForLooksInTheOrderTheErrorStates(t *testing.T) {
	data := &providerData{token: "provider", bots: map[string]string{"sales": "from-bots"}}
	for _, c := range []struct {
		name     string
		bot, own types.String
		want     string
	}{
		{"bots key first", types.StringValue("sales"), types.StringValue("own"), "from-bots"},
		{"then the object's auth_token", types.StringNull(), types.StringValue("own"), "own"},
		{"then the provider's", types.StringNull(), types.StringNull(), "provider"},
	} {
		if got, diags := data.tokenFor(c.bot, c.own); diags.HasError() || got != c.want {
			t.Errorf("%s: tokenFor = %q, %v; want %q", c.name, got, diags, c.want)
		}
	}
	if got := stringOr(types.StringValue("block"), "env"); got != "block" {
		t.Errorf("stringOr = %q: the provider block's auth_token must win over %s", got, EnvAuthToken)
	}
}

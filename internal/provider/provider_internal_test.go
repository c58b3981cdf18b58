package provider

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/viberops/terraform-provider-viber/internal/retry"
	"github.com/viberops/terraform-provider-viber/internal/viber"
)

func TestIsLoopback(t *testing.T) {
	for host, want := range map[string]bool{
		"127.0.0.1": true, "127.1.2.3": true, "::1": true, "localhost": true, "LOCALHOST": true, "viber.localhost": true,
		"10.0.0.1": false, "chatapi.viber.com": false, "localhost.example.com": false, "::": false, "": false,
	} {
		if got := isLoopback(host); got != want {
			t.Errorf("isLoopback(%q) = %v, want %v", host, got, want)
		}
	}
}

func TestRetryPolicyUnknownFieldsMeanDefaults(t *testing.T) {
	m := &retryModel{MinDelayMS: types.Int64Unknown(), MaxDelayMS: types.Int64Unknown(), MaxAttempts: types.Int64Unknown()}
	if got := m.policy(); got != retry.Default {
		t.Errorf("policy with unknown fields = %+v, want the defaults %+v", got, retry.Default)
	}
	m = &retryModel{MinDelayMS: types.Int64Value(10), MaxDelayMS: types.Int64Null(), MaxAttempts: types.Int64Value(3)}
	if got := m.policy(); got.MinDelay != 10*time.Millisecond || got.MaxAttempts != 3 || got.MaxDelay != retry.Default.MaxDelay {
		t.Errorf("policy = %+v", got)
	}
}

// configureWith runs the provider's Configure with api_url set to apiURL
// (null when empty) and returns its debug log and diagnostics.
func configureWith(t *testing.T, apiURL string) (string, diag.Diagnostics) {
	t.Helper()
	var logs bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &logs)
	p := New("test")()
	var sr provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &sr)
	typ := sr.Schema.Type().TerraformType(ctx)
	obj, ok := typ.(tftypes.Object)
	if !ok {
		t.Fatalf("the provider schema's type is %T", typ)
	}
	var url any
	if apiURL != "" {
		url = apiURL
	}
	raw := tftypes.NewValue(typ, map[string]tftypes.Value{
		"auth_token": tftypes.NewValue(obj.AttributeTypes["auth_token"], "44dafb7e0f40021e-61a47a1e6778d187-f2c5a676a07050b3"),
		"bots":       tftypes.NewValue(obj.AttributeTypes["bots"], nil),
		"api_url":    tftypes.NewValue(obj.AttributeTypes["api_url"], url),
		"retry":      tftypes.NewValue(obj.AttributeTypes["retry"], nil),
	})
	var resp provider.ConfigureResponse
	p.Configure(ctx, provider.ConfigureRequest{Config: tfsdk.Config{Schema: sr.Schema, Raw: raw}}, &resp)
	return logs.String(), resp.Diagnostics
}

// An api_url may carry a proxy's user:password@: the password shows in
// neither the debug log nor any diagnostic, from the attribute or from
// VIBER_API_URL.
func TestConfigureNeverQuotesAPIURLPassword(t *testing.T) {
	const password = "pr0xy-s3cret"
	cases := []struct {
		name, apiURL, env string
		wantLog           string // "" when Configure fails before logging
		wantDiag          string
	}{
		{"loopback", "http://user:" + password + "@127.0.0.1:8080/pa", "", "http://user:xxxxx@127.0.0.1:8080/pa", ""},
		{"from the environment", "", "https://user:" + password + "@proxy.example.com/pa", "https://user:xxxxx@proxy.example.com/pa", ""},
		{"clear text", "http://user:" + password + "@proxy.example.com/pa", "", "http://user:xxxxx@proxy.example.com/pa",
			`sends the bot's token and api_url's user:password unencrypted`},
		{"wrong scheme", "ftp://user:" + password + "@proxy.example.com/pa", "", "",
			`api_url (or VIBER_API_URL) must start with https://, http://, got "ftp://user:xxxxx@proxy.example.com/pa".`},
		{"unparsable", "https://user:" + password + "@proxy.example.com:port/pa", "", "",
			`is not a valid URL ("https://proxy.example.com:port/pa", credentials hidden)`},
		{"whitespace", "https://user:" + password + "@proxy.example.com/pa\n", "", "", "it ends with a newline"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv(EnvAPIURL, c.env)
			t.Setenv(EnvBots, "")
			logs, diags := configureWith(t, c.apiURL)
			if c.wantLog != "" && (!strings.Contains(logs, "Configured Viber provider") || !strings.Contains(logs, c.wantLog)) {
				t.Errorf("the debug log lacks %q:\n%s", c.wantLog, logs)
			}
			if c.wantDiag != "" && (len(diags) != 1 || !strings.Contains(diags[0].Detail(), c.wantDiag)) {
				t.Errorf("diagnostics %v, want one containing %q", diags, c.wantDiag)
			}
			if c.wantDiag == "" && len(diags) > 0 {
				t.Errorf("diagnostics %v, want none", diags)
			}
			for _, d := range diags {
				if strings.Contains(d.Summary()+d.Detail(), password) {
					t.Errorf("diagnostic %q quotes the password: %s", d.Summary(), d.Detail())
				}
			}
			if strings.Contains(logs, password) {
				t.Errorf("the log quotes the password:\n%s", logs)
			}
		})
	}
}

// A status-0 answer with a field missing names the field, and does not
// claim the answer is not the Bot API's; an undecodable one still does.
func TestAPIErrorDiagNamesTheField(t *testing.T) {
	ctx := context.Background()
	missing := &viber.HTTPError{Method: "get_account_info", StatusCode: 200, Body: `{"status":0,"status_message":"ok"}`,
		Err: &viber.FieldError{Field: "id", Msg: `status 0 without the account's "id"`}}
	d := apiErrorDiag(ctx, "identifying the bot", missing)
	for _, want := range []string{`Error while identifying the bot. viber get_account_info: HTTP 200, unusable answer (status 0 without the account's "id")`,
		`its "id" field is missing`, "the answer was not used"} {
		if !strings.Contains(d.Detail(), want) {
			t.Errorf("detail %q lacks %q", d.Detail(), want)
		}
	}
	if strings.Contains(d.Detail(), "not an answer of the Viber Bot API") {
		t.Errorf("detail %q says a Bot API document is not one", d.Detail())
	}
	page := &viber.HTTPError{Method: "get_account_info", StatusCode: 200, Body: "<html>", Err: errors.New("the body is not JSON")}
	if d := apiErrorDiag(ctx, "identifying the bot", page); !strings.Contains(d.Detail(), "not an answer of the Viber Bot API") {
		t.Errorf("an HTML page: detail %q", d.Detail())
	}
}

// Retries that a Retry-After past the deadline stopped say what was asked
// and what to do.
func TestAPIErrorDiagSaysWhatRetryAfterAsked(t *testing.T) {
	last := &viber.HTTPError{Method: "set_webhook", StatusCode: 429, Wait: 2 * time.Minute, HasWait: true}
	err := &retry.ExhaustedError{Attempts: 3, Elapsed: 4 * time.Second, Last: last, Asked: 2 * time.Minute}
	d := apiErrorDiag(context.Background(), "setting the webhook", err)
	for _, want := range []string{"Tried 3 times over 4s", "asked to retry after 2m0s (Retry-After", "raise the timeout", "HTTP 429 asking to retry after 2m0s"} {
		if !strings.Contains(d.Detail(), want) {
			t.Errorf("detail %q lacks %q", d.Detail(), want)
		}
	}
}

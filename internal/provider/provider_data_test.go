package provider

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestIdentityCacheLooksUpOncePerToken(t *testing.T) {
	var c identityCache
	var calls atomic.Int32
	fetch := func() (string, error) {
		calls.Add(1)
		return "pa:1", nil
	}
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if id, err := c.lookup("token-a", fetch); err != nil || id != "pa:1" {
				t.Errorf("lookup = %q, %v", id, err)
			}
		}()
	}
	wg.Wait()
	if n := calls.Load(); n != 1 {
		t.Errorf("20 concurrent lookups of one token fetched %d times, want 1", n)
	}
	if _, err := c.lookup("token-b", fetch); err != nil || calls.Load() != 2 {
		t.Errorf("another token was not looked up on its own (calls %d, err %v)", calls.Load(), err)
	}
}

func TestIdentityCacheDoesNotCacheFailures(t *testing.T) {
	var c identityCache
	if _, err := c.lookup("t", func() (string, error) { return "", errors.New("down") }); err == nil {
		t.Fatal("no error")
	}
	id, err := c.lookup("t", func() (string, error) { return "pa:9", nil })
	if err != nil || id != "pa:9" {
		t.Fatalf("after a failure, lookup = %q, %v; want a fresh lookup", id, err)
	}
	c.remember("u", "pa:7")
	if id, _ := c.lookup("u", func() (string, error) { return "", errors.New("must not be called") }); id != "pa:7" {
		t.Errorf("remembered identity not used: %q", id)
	}
}

func TestTokenForPrecedence(t *testing.T) {
	d := &providerData{token: "provider-token", bots: map[string]string{"sales": "sales-token", "support": "support-token"}}
	for _, c := range []struct {
		name     string
		bot, own types.String
		want     string
	}{
		{"bot key", types.StringValue("sales"), types.StringNull(), "sales-token"},
		{"own token", types.StringNull(), types.StringValue("own-token"), "own-token"},
		{"provider token", types.StringNull(), types.StringNull(), "provider-token"},
		{"bot before own", types.StringValue("support"), types.StringValue("own-token"), "support-token"},
	} {
		if got, diags := d.tokenFor(c.bot, c.own); diags.HasError() || got != c.want {
			t.Errorf("%s: tokenFor = %q, %v; want %q", c.name, got, diags, c.want)
		}
	}
}

func TestTokenForUnknownKeyNamesKeysNotTokens(t *testing.T) {
	d := &providerData{bots: map[string]string{"sales": "sales-token", "support": "support-token"}}
	_, diags := d.tokenFor(types.StringValue("salse"), types.StringNull())
	if !diags.HasError() {
		t.Fatal("an unknown key resolved")
	}
	detail := diags[0].Detail()
	if !strings.Contains(detail, `"salse"`) || !strings.Contains(detail, "sales, support") {
		t.Errorf("detail %q does not name the key and the keys there are", detail)
	}
	if strings.Contains(detail, "-token") {
		t.Errorf("detail %q shows a token", detail)
	}
	_, diags = (&providerData{}).tokenFor(types.StringValue("sales"), types.StringNull())
	if !diags.HasError() || !strings.Contains(diags[0].Detail(), "no bots") {
		t.Errorf("with no bots map: %v", diags)
	}
}

func TestKnownTokensOncePerToken(t *testing.T) {
	d := &providerData{token: "t1", bots: map[string]string{"b": "t2", "a": "t1", "c": "t2"}}
	tokens, keys := d.knownTokens()
	if strings.Join(tokens, ",") != "t1,t2" || strings.Join(keys, ",") != "a,b" {
		t.Errorf("knownTokens = %v %v, want each token once under its first key", tokens, keys)
	}
}

func TestBotsFromEnvironment(t *testing.T) {
	ctx := context.Background()
	t.Setenv(EnvBots, `{"sales":"secret-sales-token"}`)
	bots, diags := botsFrom(ctx, types.MapNull(types.StringType))
	if diags.HasError() || bots["sales"] != "secret-sales-token" {
		t.Errorf("botsFrom(VIBER_BOTS) = %v, %v", bots, diags)
	}
	configured := types.MapValueMust(types.StringType, map[string]attr.Value{"ops": types.StringValue("ops-token")})
	if bots, _ := botsFrom(ctx, configured); len(bots) != 1 || bots["ops"] != "ops-token" {
		t.Errorf("the configured map does not take precedence over VIBER_BOTS: %v", bots)
	}
	for _, raw := range []string{`{"sales":"secret-sales-token"`, `["secret-sales-token"]`, `{"sales":""}`, `{"sales":1}`} {
		t.Setenv(EnvBots, raw)
		_, diags := botsFrom(ctx, types.MapNull(types.StringType))
		if !diags.HasError() {
			t.Errorf("VIBER_BOTS=%s was accepted", raw)
			continue
		}
		if d := diags[0].Detail(); strings.Contains(d, "secret") || !strings.Contains(d, EnvBots) {
			t.Errorf("VIBER_BOTS=%s: detail %q quotes the variable or does not name it", raw, d)
		}
	}
}

package provider

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/viberops/terraform-provider-viber/internal/retry"
	"github.com/viberops/terraform-provider-viber/internal/viber"
)

// providerData is what resources and data sources get from a configured
// provider: one HTTP client for every bot, so connections are reused.
type providerData struct {
	token     string            // the provider-level token; "" when none is configured
	bots      map[string]string // bot key to token, from bots or VIBER_BOTS
	baseURL   string
	userAgent string
	http      *http.Client
	retry     retry.Policy
	// tokensDigest stands for token and bots together (webhook_proof.go).
	tokensDigest string

	identities identityCache
	// imported holds the objects whose import was read in this process: an
	// import block's plan, where another bot's token is a mistyped ID.
	imported sync.Map
	// importing holds the account IDs ImportState took in this process,
	// until the read that follows.
	importing sync.Map
	// claims are the bots this process's plans have given a resource.
	claims claimBook
	// writes are the webhooks this process set, so that removing an old
	// object of the same bot does not undo them.
	writes writeLog
}

// markImported notes whether the named object was just imported: its
// import's own read, not a later refresh.
func (d *providerData) markImported(object string, imported bool) {
	if imported {
		d.imported.Store(object, true)
	} else {
		d.imported.Delete(object)
	}
}

// justImported reports, once, whether accountID was imported in this
// process: the read that follows an import, not a later refresh of an
// import no token could read then.
func (d *providerData) justImported(accountID string) bool {
	_, ok := d.importing.LoadAndDelete(accountID)
	return ok
}

func (d *providerData) importedHere(object string) bool {
	_, ok := d.imported.Load(object)
	return ok
}

// providerDataFrom returns the configured provider's data, as resources
// and data sources receive it in Configure: nil before the provider is
// configured.
func providerDataFrom(data any) (*providerData, diag.Diagnostics) {
	var diags diag.Diagnostics
	if data == nil {
		return nil, diags
	}
	d, ok := data.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *providerData, got %T. This is a provider bug: please report it.", data))
	}
	return d, diags
}

// tokenFor returns the token of an object whose bot key is bot and whose
// own auth_token is own: the bots entry of that key, else own, else the
// provider's token. "" means none is configured. A key the map lacks is an
// error on the bot attribute that names the keys there are, never a token.
func (d *providerData) tokenFor(bot, own types.String) (string, diag.Diagnostics) {
	var diags diag.Diagnostics
	if key := bot.ValueString(); !bot.IsNull() && !bot.IsUnknown() {
		token, ok := d.bots[key]
		if !ok {
			diags.Append(unknownBotDiag(key, d.botKeys()))
		}
		return token, diags
	}
	if !own.IsNull() && !own.IsUnknown() {
		t := botKey(own.ValueString())
		if t == "" { // never fall back to the provider's token, another bot's maybe
			diags.AddError("Blank auth token",
				"This webhook's own auth_token holds only whitespace (an empty token file, say), so nothing is sent to "+
					"Viber. Give it the bot's token, or remove auth_token to use the provider's.")
		}
		return t, diags
	}
	return d.token, diags
}

// botKeys returns the keys of the bots map, sorted.
func (d *providerData) botKeys() []string {
	keys := make([]string, 0, len(d.bots))
	for k := range d.bots {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func unknownBotDiag(key string, keys []string) diag.Diagnostic {
	there := "The provider has no bots: set bots in the provider block, or the " + EnvBots + " environment variable."
	if len(keys) > 0 {
		there = fmt.Sprintf("Its keys are: %s. Use one of them, or add %q with the bot's token.", strings.Join(keys, ", "), key)
	}
	return diag.NewAttributeErrorDiagnostic(path.Root("bot"), "Unknown bot key",
		fmt.Sprintf("bot = %q names no entry of the provider's bots map (bots or %s). %s", key, EnvBots, there))
}

// knownTokens are the tokens the provider configuration holds, each with
// the bots key it is under ("" for the provider-level token), keys sorted,
// each token once: the ones a webhook found only by its account ID (an
// import, a token Viber rejects) may belong to.
func (d *providerData) knownTokens() (tokens, keys []string) {
	seen := map[string]bool{}
	for _, k := range d.botKeys() {
		if t := d.bots[k]; !seen[t] {
			seen[t] = true
			tokens, keys = append(tokens, t), append(keys, k)
		}
	}
	if d.token != "" && !seen[d.token] {
		tokens, keys = append(tokens, d.token), append(keys, "")
	}
	return tokens, keys
}

// findToken returns the known token of the bot accountID, with its bots key
// ("" for the provider-level token), looking each token up at most once per
// process. ok is false when none of them is that bot's.
func (d *providerData) findToken(ctx context.Context, accountID string) (token, key string, ok bool) {
	tokens, keys := d.knownTokens()
	for i, t := range tokens {
		c, diags := d.client(t)
		if diags.HasError() {
			continue
		}
		if id, err := d.accountID(ctx, c, t); err == nil && id == accountID {
			return t, keys[i], true
		}
	}
	return "", "", false
}

// client returns the API client for token, or the missing-token error.
func (d *providerData) client(token string) (*viber.Client, diag.Diagnostics) {
	var diags diag.Diagnostics
	if token == "" {
		diags.Append(missingTokenDiag())
		return nil, diags
	}
	return viber.New(viber.Config{BaseURL: d.baseURL, Token: token, UserAgent: d.userAgent, HTTP: d.http, Retry: d.retry}), diags
}

// accountID returns the account ID of token's bot, asking Viber at most
// once per token in the life of the provider process.
func (d *providerData) accountID(ctx context.Context, c *viber.Client, token string) (string, error) {
	return d.identities.lookup(token, func() (string, error) {
		info, err := c.AccountInfo(ctx)
		if err != nil {
			return "", err
		}
		return info.ID, nil
	})
}

// liveAccount reads token's account as Viber holds it now, and remembers
// whose token it is.
func (d *providerData) liveAccount(ctx context.Context, c *viber.Client, token string) (*viber.AccountInfo, error) {
	info, err := c.AccountInfo(ctx)
	if err == nil {
		d.identities.remember(token, info.ID)
	}
	return info, err
}

// identityCache maps tokens to account IDs. Concurrent lookups of one
// token wait for the first; failures are not cached.
type identityCache struct {
	mu      sync.Mutex
	entries map[string]*identity
}

type identity struct {
	mu sync.Mutex
	id string
}

func (c *identityCache) entry(token string) *identity {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[string]*identity{}
	}
	e, ok := c.entries[token]
	if !ok {
		e = &identity{}
		c.entries[token] = e
	}
	return e
}

func (c *identityCache) lookup(token string, fetch func() (string, error)) (string, error) {
	e := c.entry(token)
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.id != "" {
		return e.id, nil
	}
	id, err := fetch()
	if err != nil {
		return "", err
	}
	e.id = id
	return id, nil
}

// known returns the account ID learnt for token in this process, or "".
func (c *identityCache) known(token string) string {
	c.mu.Lock()
	e, ok := c.entries[token]
	c.mu.Unlock()
	if !ok || !e.mu.TryLock() {
		return "" // unknown, or a look-up under way
	}
	defer e.mu.Unlock()
	return e.id
}

// remember records an account ID learnt from another call.
func (c *identityCache) remember(token, id string) {
	if id == "" {
		return
	}
	e := c.entry(token)
	e.mu.Lock()
	defer e.mu.Unlock()
	e.id = id
}

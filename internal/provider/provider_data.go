package provider

import (
	"context"
	"fmt"
	"net/http"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/viberops/terraform-provider-viber/internal/retry"
	"github.com/viberops/terraform-provider-viber/internal/viber"
)

// providerData is what resources and data sources get from a configured
// provider: one HTTP client for every bot, so connections are reused.
type providerData struct {
	token     string // the provider-level token; "" when none is configured
	baseURL   string
	userAgent string
	http      *http.Client
	retry     retry.Policy

	identities identityCache
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

// tokenFor returns the token for an object whose own auth_token is own:
// that one when set, else the provider's. "" means none is configured.
func (d *providerData) tokenFor(own types.String) string {
	if t := own.ValueString(); t != "" {
		return t
	}
	return d.token
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

// Package emulator is a faithful local stand-in for the Viber Bot API's
// webhook calls, shared by the tests, the demo and the benchmarks. It
// answers as Viber does, awkward parts included: errors on HTTP 200,
// event_types lists that are not an echo, keys that are absent rather than
// empty, and a real, signed availability callback to every webhook URL.
package emulator

import (
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// BasePath is where the API lives on the emulator's server, as /pa does on
// chatapi.viber.com: a provider's api_url is the server's URL + BasePath.
const BasePath = "/pa"

// Account is a bot account as get_account_info describes it.
type Account struct {
	ID               string
	Name             string
	URI              string
	Icon             string
	Background       string
	Category         string
	Subcategory      string
	Country          string
	Location         Location
	SubscribersCount int64
	Members          []Member
	// Omit lists get_account_info fields to leave out of answers, as Viber
	// sometimes does (e.g. "location", "members").
	Omit []string
}

// Location is where a bot account says it is.
type Location struct {
	Lat, Lon float64
}

// Member is an administrator of a bot account.
type Member struct {
	ID, Name, Avatar, Role string
}

// Webhook is what the emulator holds for a bot with a webhook set.
type Webhook struct {
	URL        string   `json:"url"`
	EventTypes []string `json:"event_types"` // nil: every event; empty: mandatory ones only
	SendName   bool     `json:"send_name"`
	SendPhoto  bool     `json:"send_photo"`
}

// Request is one API call the emulator received.
type Request struct {
	Method    string // "set_webhook", "get_account_info", ...
	AccountID string // "" when the token matched no account
	Body      []byte // exactly as sent
	UserAgent string
	// Start is when the call arrived, End when its answer was written (or
	// its connection dropped); zero while it is still being answered.
	Start, End time.Time
	// RetryAfter is the Retry-After header a fault's answer carried.
	RetryAfter string
}

// Emulator is the local Viber. Its zero value is not usable: call New.
type Emulator struct {
	mu       sync.Mutex
	accounts map[string]*bot // by auth token
	requests []*Request
	callback *http.Client
	rng      *rand.Rand
	now      func() time.Time

	faults     Faults
	faultCalls int
	// silentChecks answers a failed availability check with a bare status
	// 1, as Viber was captured doing in 2021, instead of a Java dump.
	silentChecks bool
}

type bot struct {
	account Account
	webhook *Webhook
}

// Option configures an Emulator.
type Option func(*Emulator)

// WithCallbackClient sets the client the availability callback is sent
// with; its TLS roots decide which endpoint certificates are "trusted".
// The default trusts the system's CAs, as Viber does.
func WithCallbackClient(c *http.Client) Option {
	return func(e *Emulator) { e.callback = c }
}

// WithSeed makes the order of returned event types reproducible.
func WithSeed(seed uint64) Option {
	return func(e *Emulator) { e.rng = rand.New(rand.NewPCG(seed, seed)) }
}

// New returns an emulator without accounts.
func New(opts ...Option) *Emulator {
	e := &Emulator{
		accounts: map[string]*bot{},
		callback: &http.Client{Timeout: 10 * time.Second},
		rng:      rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64())),
		now:      time.Now,
	}
	for _, opt := range opts {
		opt(e)
	}
	return e
}

// AddAccount makes token the auth token of acc.
func (e *Emulator) AddAccount(token string, acc Account) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.accounts[token] = &bot{account: acc}
}

// SetSilentCheckFailures makes a failed availability check answer
// {"status":1} with no status_message (on) or with the dump of Viber's Java
// HTTP client (off, the default): both have been captured.
func (e *Emulator) SetSilentCheckFailures(on bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.silentChecks = on
}

// ReplaceToken gives the account of oldToken the token newToken, as Viber's
// support does for a compromised token: the account, its ID and its
// webhook stay; the old token fails with invalidAuthToken from now on.
// It reports whether oldToken was an account's.
func (e *Emulator) ReplaceToken(oldToken, newToken string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	b, ok := e.accounts[oldToken]
	if !ok {
		return false
	}
	delete(e.accounts, oldToken)
	e.accounts[newToken] = b
	return true
}

// Webhook returns the webhook the account of token holds, if any.
func (e *Emulator) Webhook(token string) (Webhook, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	b, ok := e.accounts[token]
	if !ok || b.webhook == nil {
		return Webhook{}, false
	}
	w := *b.webhook
	w.EventTypes = slices.Clone(w.EventTypes)
	return w, true
}

// SetWebhook changes the account's webhook behind the provider's back,
// without an availability check; nil removes it.
func (e *Emulator) SetWebhook(token string, w *Webhook) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if b, ok := e.accounts[token]; ok {
		if w != nil {
			c := *w
			w = &c
		}
		b.webhook = w
	}
}

// Requests returns the calls received so far, oldest first.
func (e *Emulator) Requests() []Request {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]Request, len(e.requests))
	for i, r := range e.requests {
		out[i] = *r
	}
	return out
}

// RequestsTo returns the calls of one method received so far.
func (e *Emulator) RequestsTo(method string) []Request {
	var out []Request
	for _, r := range e.Requests() {
		if r.Method == method {
			out = append(out, r)
		}
	}
	return out
}

// ResetRequests forgets the calls received so far.
func (e *Emulator) ResetRequests() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.requests = nil
}

// answerEventTypes is what Viber returns for a webhook's event types: not
// an echo, but the selection plus mandatory and server-only types, in an
// order that varies.
func (e *Emulator) answerEventTypes(requested []string) []string {
	var out []string
	if requested == nil {
		out = slices.Clone(requestableEventTypes) // every type, mandatory ones included
	} else {
		out = slices.Clone(requested)
		for _, t := range mandatoryEventTypes {
			if !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
	}
	out = append(out, serverOnlyEventTypes...)
	e.mu.Lock()
	e.rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	e.mu.Unlock()
	return out
}

// methodOf returns the API method a request path names.
func methodOf(path string) string {
	return strings.TrimPrefix(strings.TrimPrefix(path, BasePath), "/")
}

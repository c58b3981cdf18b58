// Package viber is a client for the parts of the Viber Bot API that manage
// a bot's webhook. It knows nothing of Terraform.
package viber

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	"golang.org/x/net/http/httpguts"

	"github.com/viberops/terraform-provider-viber/internal/retry"
)

// DefaultBaseURL is the Bot API's production endpoint.
const DefaultBaseURL = "https://chatapi.viber.com/pa"

// AuthTokenHeader carries the bot's auth token on every request.
const AuthTokenHeader = "X-Viber-Auth-Token"

const (
	// Viber rejects request bodies of 30 KB or more.
	maxRequestBytes = 30 * 1024
	// Answers are small documents; anything near this is not Viber talking.
	maxResponseBytes = 1 << 20
	// How much of an undecodable body an error quotes.
	bodyExcerptBytes = 200
)

// Config configures a Client.
type Config struct {
	BaseURL   string       // without trailing slash; DefaultBaseURL when empty
	Token     string       // the bot's auth token
	UserAgent string       // sent on every request
	HTTP      *http.Client // shared, so connections are reused; http.DefaultClient when nil
	// Retry governs retries of transient failures (IsTemporary) until the
	// context's deadline; the zero Policy makes a single attempt.
	Retry retry.Policy
}

// Client calls the Bot API for one bot (one auth token).
type Client struct {
	cfg Config
}

// New returns a client for cfg.
func New(cfg Config) *Client {
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	// Viber reads a token without surrounding whitespace, and a header
	// cannot carry the newline that file("token") leaves.
	cfg.Token = strings.TrimSpace(cfg.Token)
	if cfg.HTTP == nil {
		cfg.HTTP = http.DefaultClient
	}
	// Go copies the token header to wherever a redirect points: never
	// follow one. The copy shares the transport, so connections are reused.
	h := *cfg.HTTP
	h.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	cfg.HTTP = &h
	return &Client{cfg: cfg}
}

// Webhook is the desired webhook of a bot.
type Webhook struct {
	URL string
	// EventTypes nil means every event (no event_types key is sent);
	// an empty, non-nil slice means mandatory events only.
	EventTypes []string
	SendName   bool
	SendPhoto  bool
}

// SetWebhookRequest is set_webhook's body. Pointers tell "absent" from
// "empty": an absent event_types means every event, [] means none of the
// optional ones.
type SetWebhookRequest struct {
	URL        string    `json:"url"`
	EventTypes *[]string `json:"event_types,omitempty"`
	SendName   *bool     `json:"send_name,omitempty"`
	SendPhoto  *bool     `json:"send_photo,omitempty"`
}

// SetWebhookResponse is set_webhook's answer on success. EventTypes is not
// an echo of the request: Viber adds mandatory and server-only types.
type SetWebhookResponse struct {
	EventTypes []string `json:"event_types"`
}

// Location is a bot's geographic position; nil fields were left out.
type Location struct {
	Lat *float64 `json:"lat"`
	Lon *float64 `json:"lon"`
}

// Member is a bot account's administrator; nil fields were left out.
type Member struct {
	ID     *string `json:"id"`
	Name   *string `json:"name"`
	Avatar *string `json:"avatar"`
	Role   *string `json:"role"`
}

// AccountInfo is get_account_info's answer. Webhook is "" and EventTypes
// nil when no webhook is set (Viber then omits both keys); the pointers are
// nil when Viber leaves a field out.
type AccountInfo struct {
	ID               string    `json:"id"`
	Name             *string   `json:"name"`
	URI              *string   `json:"uri"`
	Icon             *string   `json:"icon"`
	Background       *string   `json:"background"`
	Category         *string   `json:"category"`
	Subcategory      *string   `json:"subcategory"`
	Location         *Location `json:"location"`
	Country          *string   `json:"country"`
	Webhook          string    `json:"webhook"`
	EventTypes       []string  `json:"event_types"`
	SubscribersCount *int64    `json:"subscribers_count"`
	Members          []Member  `json:"members"`
}

// SetWebhook points the bot's webhook at w.URL. Viber first calls the URL
// and refuses the webhook unless it answers HTTP 200.
func (c *Client) SetWebhook(ctx context.Context, w Webhook) (*SetWebhookResponse, error) {
	req := SetWebhookRequest{URL: w.URL, SendName: &w.SendName, SendPhoto: &w.SendPhoto}
	if w.EventTypes != nil {
		types := w.EventTypes
		req.EventTypes = &types
	}
	var resp SetWebhookResponse
	if err := c.call(ctx, "set_webhook", req, &resp); err != nil {
		return nil, err
	}
	return &resp, nil
}

// RemoveWebhook removes the bot's webhook (set_webhook with an empty URL).
func (c *Client) RemoveWebhook(ctx context.Context) error {
	return c.call(ctx, "set_webhook", SetWebhookRequest{URL: ""}, nil)
}

// AccountInfo reads the bot's account, including its current webhook.
func (c *Client) AccountInfo(ctx context.Context) (*AccountInfo, error) {
	var info AccountInfo
	if err := c.call(ctx, "get_account_info", struct{}{}, &info); err != nil {
		return nil, err
	}
	return &info, nil
}

// envelope is the part every answer shares. Status is a pointer so that a
// body without it is not mistaken for success.
type envelope struct {
	Status        *int   `json:"status"`
	StatusMessage string `json:"status_message"`
}

// call makes the request, retrying transient failures as c's policy says.
// Errors are *APIError, *HTTPError or *NetworkError, wrapped in a
// *retry.ExhaustedError when retries ran out, or the context's error.
func (c *Client) call(ctx context.Context, method string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	if len(body) >= maxRequestBytes {
		return fmt.Errorf("viber %s: the request is %d bytes, and Viber accepts less than 30 KB: not sent", method, len(body))
	}
	if !httpguts.ValidHeaderFieldValue(c.cfg.Token) {
		return &TokenFormatError{Method: method}
	}
	if c.cfg.Retry.MinDelay <= 0 {
		return c.attempt(ctx, method, body, out)
	}
	hooks := retry.Hooks{OnRetry: func(attempt int, wait time.Duration, err error) {
		tflog.Warn(ctx, "Retrying Viber API call", map[string]any{
			"method": method, "attempt": attempt, "wait_ms": wait.Milliseconds(), "error": err.Error(),
		})
	}}
	unknown := false
	err = retry.Do(ctx, c.cfg.Retry, hooks, IsTemporary, func(ctx context.Context) error {
		err := c.attempt(ctx, method, body, out)
		unknown = unknown || (err != nil && OutcomeUnknown(err))
		return err
	})
	if err != nil && unknown && !OutcomeUnknown(err) {
		return &maybeAppliedError{err}
	}
	return err
}

// CancelGrace is how long a request already sent may still take when its
// operation is cancelled (Terraform stopping on SIGINT): long enough for
// Viber's answer to say what happened, short enough, with one read-back
// after it, to end well inside the 7.5 s a CI runner waits before it kills.
var CancelGrace = 2500 * time.Millisecond

// inFlight is the context of a request being sent under ctx: ctx's
// deadline ends it at once, a cancel after CancelGrace.
// It ends only after ctx does, so a failed request sees ctx's error.
func inFlight(ctx context.Context) (context.Context, context.CancelFunc) {
	base, cancel := context.WithCancel(context.WithoutCancel(ctx))
	stop := context.AfterFunc(ctx, func() {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			cancel()
			return
		}
		time.AfterFunc(CancelGrace, cancel)
	})
	return base, func() { stop(); cancel() }
}

// attempt makes one request; none once ctx is cancelled.
func (c *Client) attempt(ctx context.Context, method string, body []byte, out any) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	reqCtx, cancel := inFlight(ctx)
	defer cancel()
	httpReq, err := http.NewRequestWithContext(reqCtx, http.MethodPost, c.cfg.BaseURL+"/"+method, bytes.NewReader(body))
	if err != nil { // the parser's own text quotes the URL, credentials and all
		return fmt.Errorf("viber %s: the API URL is not valid: %w", method, scrubURLError(err))
	}
	httpReq.Header.Set("Content-Type", "application/json")
	httpReq.Header.Set(AuthTokenHeader, c.cfg.Token)
	if c.cfg.UserAgent != "" {
		httpReq.Header.Set("User-Agent", c.cfg.UserAgent)
	}

	start := time.Now()
	httpResp, err := c.cfg.HTTP.Do(httpReq)
	if err != nil {
		switch ctxErr := ctx.Err(); {
		case errors.Is(ctxErr, context.DeadlineExceeded):
			return ctxErr
		case ctxErr != nil: // the request may have reached Viber: its outcome is unknown
			return &NetworkError{Method: method, Err: fmt.Errorf("no answer within %v of the interrupt: %w", CancelGrace, ctxErr)}
		}
		return &NetworkError{Method: method, Err: scrubURLError(err)}
	}
	defer httpResp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(httpResp.Body, maxResponseBytes))
	if err != nil {
		return &NetworkError{Method: method, Err: err}
	}
	tflog.Debug(ctx, "Viber API call", map[string]any{
		"method": method, "http_status": httpResp.StatusCode,
		"duration_ms": time.Since(start).Milliseconds(),
	})
	if httpResp.StatusCode >= 300 && httpResp.StatusCode < 400 {
		return &RedirectError{Method: method, StatusCode: httpResp.StatusCode, Host: redirectHost(httpReq.URL, httpResp.Header.Get("Location"))}
	}
	err = decode(method, httpResp.StatusCode, raw, out)
	var httpErr *HTTPError
	if code := httpResp.StatusCode; (code == http.StatusTooManyRequests || code == http.StatusServiceUnavailable) && errors.As(err, &httpErr) {
		httpErr.Wait, httpErr.HasWait = parseRetryAfter(httpResp.Header.Get("Retry-After"), time.Now())
	}
	return err
}

// decode turns an answer into out or into the error it reports.
func decode(method string, httpStatus int, raw []byte, out any) error {
	if httpStatus != http.StatusOK {
		return &HTTPError{Method: method, StatusCode: httpStatus, Body: excerpt(raw)}
	}
	unusable := func(err error) error {
		return &HTTPError{Method: method, StatusCode: httpStatus, Body: excerpt(raw), Err: err}
	}
	var env envelope
	if err := json.Unmarshal(raw, &env); err != nil {
		return unusable(jsonError(err))
	}
	if env.Status == nil {
		return unusable(errors.New(`no "status" field`))
	}
	if *env.Status != StatusOK {
		return &APIError{Method: method, Status: *env.Status, Message: env.StatusMessage}
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return unusable(jsonError(err))
	}
	// Absent fields decode as zero values: those an answer cannot do
	// without are checked here, so that nothing is built on an empty one.
	if c, ok := out.(interface{ complete() error }); ok {
		if err := c.complete(); err != nil {
			return unusable(err)
		}
	}
	return nil
}

// complete refuses an answer without the account's ID, which is the bot's
// identity: a webhook recorded under an empty one could never be read back.
func (a *AccountInfo) complete() error {
	if a.ID == "" {
		return &FieldError{Field: "id", Msg: `status 0 without the account's "id"`}
	}
	return nil
}

// jsonError says what is wrong with an answer that does not decode, naming
// the field when its value has the wrong type. It never quotes more of the
// body than a short number, which the error's Body shows anyway.
func jsonError(err error) error {
	var typeErr *json.UnmarshalTypeError
	if !errors.As(err, &typeErr) {
		return errors.New("the body is not JSON")
	}
	got, literal, _ := strings.Cut(typeErr.Value, " ") // "number 1e400": the literal follows
	if typeErr.Field == "" {
		return fmt.Errorf("the body is not a JSON object but %s", jsonKind(got))
	}
	if literal != "" {
		if len(literal) > 24 {
			literal = literal[:24] + "…"
		}
		return &FieldError{Field: typeErr.Field,
			Msg: fmt.Sprintf("field %q holds the number %s where %s belongs", typeErr.Field, literal, goKind(typeErr.Type))}
	}
	return &FieldError{Field: typeErr.Field,
		Msg: fmt.Sprintf("field %q holds %s where %s belongs", typeErr.Field, jsonKind(got), goKind(typeErr.Type))}
}

// jsonKind names a JSON value's kind as json.UnmarshalTypeError gives it.
func jsonKind(value string) string {
	switch value {
	case "array", "object":
		return "an " + value
	case "bool":
		return "a boolean"
	}
	return "a " + value // "number", "string"
}

// goKind names the JSON a Go type decodes from.
func goKind(t reflect.Type) string {
	if t == nil {
		return "another value"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		elem := goKind(t.Elem())
		if elem == "another value" {
			return "an array"
		}
		return "an array of " + strings.TrimPrefix(strings.TrimPrefix(elem, "a "), "an ") + "s"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return "another value"
}

// excerpt returns the start of body, cut on a rune boundary.
func excerpt(body []byte) string {
	s := strings.TrimSpace(string(body))
	if len(s) <= bodyExcerptBytes {
		return s
	}
	s = s[:bodyExcerptBytes]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s + "…"
}

// redirectHost is the host a Location header points to, relative to the
// request's URL; never the path or query, which may carry anything.
func redirectHost(base *url.URL, location string) string {
	if location == "" {
		return "(no Location header)"
	}
	u, err := base.Parse(location)
	if err != nil || u.Host == "" {
		return "(an unreadable Location header)"
	}
	return u.Host
}

// scrubURLError drops the *url.Error wrapper, whose text repeats the
// request URL; the method already says which call failed.
func scrubURLError(err error) error {
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		return urlErr.Err
	}
	return err
}

package viber

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/viberops/terraform-provider-viber/internal/retry"
)

const token = "44dafb7e0f40021e-61a47a1e6778d187-f2c5a676a07050b3"

// fakeViber answers every call with answer and records the last request.
type fakeViber struct {
	*httptest.Server
	status int
	answer string
	last   *http.Request
	body   []byte
}

func newFake(t *testing.T, status int, answer string) *fakeViber {
	f := &fakeViber{status: status, answer: answer}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.last = r
		f.body, _ = io.ReadAll(r.Body)
		w.WriteHeader(f.status)
		_, _ = io.WriteString(w, f.answer)
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeViber) client() *Client {
	return New(Config{BaseURL: f.URL + "/pa/", Token: token, UserAgent: "terraform-provider-viber/test", HTTP: f.Client()})
}

func TestSetWebhookRequest(t *testing.T) {
	cases := []struct {
		name string
		hook Webhook
		want string
	}{
		{"nil event types: key absent", Webhook{URL: "https://h/x"}, `{"url":"https://h/x","send_name":false,"send_photo":false}`},
		{"empty event types: sent as []", Webhook{URL: "https://h/x", EventTypes: []string{}, SendName: true}, `{"url":"https://h/x","event_types":[],"send_name":true,"send_photo":false}`},
		{"subset", Webhook{URL: "https://h/x", EventTypes: []string{"seen"}, SendPhoto: true}, `{"url":"https://h/x","event_types":["seen"],"send_name":false,"send_photo":true}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFake(t, 200, `{"status":0,"status_message":"ok","event_types":["seen","message","webhook"],"chat_hostname":"SN-CHAT-06_"}`)
			resp, err := f.client().SetWebhook(context.Background(), c.hook)
			if err != nil {
				t.Fatal(err)
			}
			if string(f.body) != c.want {
				t.Errorf("body = %s, want %s", f.body, c.want)
			}
			if f.last.URL.Path != "/pa/set_webhook" || f.last.Method != http.MethodPost {
				t.Errorf("request = %s %s, want POST /pa/set_webhook", f.last.Method, f.last.URL.Path)
			}
			if got := f.last.Header.Get("X-Viber-Auth-Token"); got != token {
				t.Errorf("token header = %q", got)
			}
			if got := f.last.Header.Get("User-Agent"); got != "terraform-provider-viber/test" {
				t.Errorf("User-Agent = %q", got)
			}
			if got := f.last.Header.Get("Content-Type"); got != "application/json" {
				t.Errorf("Content-Type = %q", got)
			}
			if len(resp.EventTypes) != 3 {
				t.Errorf("event types = %q", resp.EventTypes)
			}
		})
	}
}

func TestRemoveWebhookSendsEmptyURLOnly(t *testing.T) {
	f := newFake(t, 200, `{"status":0,"status_message":"ok"}`)
	if err := f.client().RemoveWebhook(context.Background()); err != nil {
		t.Fatal(err)
	}
	if string(f.body) != `{"url":""}` {
		t.Errorf("body = %s, want {\"url\":\"\"}", f.body)
	}
}

func TestAccountInfo(t *testing.T) {
	t.Run("with webhook", func(t *testing.T) {
		f := newFake(t, 200, `{"status":0,"status_message":"ok","id":"pa:1","name":"Bot","location":{"lon":30.5,"lat":50.4},
			"webhook":"https://h/x","event_types":["message","seen"],"subscribers_count":7,"members":[{"id":"m","role":"admin"}],"chat_hostname":"SN"}`)
		info, err := f.client().AccountInfo(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if info.ID != "pa:1" || info.Webhook != "https://h/x" || len(info.EventTypes) != 2 ||
			*info.Location.Lat != 50.4 || *info.SubscribersCount != 7 || *info.Members[0].Role != "admin" || info.Members[0].Name != nil {
			t.Errorf("info = %+v", info)
		}
		if string(f.body) != `{}` {
			t.Errorf("body = %s, want {}", f.body)
		}
	})
	t.Run("without webhook: keys absent", func(t *testing.T) {
		f := newFake(t, 200, `{"status":0,"status_message":"ok","id":"pa:1"}`)
		info, err := f.client().AccountInfo(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if info.Webhook != "" || info.EventTypes != nil || info.Location != nil || info.SubscribersCount != nil || info.Name != nil {
			t.Errorf("info = %+v", info)
		}
	})
}

func TestErrors(t *testing.T) {
	cases := []struct {
		name      string
		status    int
		answer    string
		wantText  []string
		temporary bool
		check     func(t *testing.T, err error)
	}{
		{"error on HTTP 200", 200, `{"status":2,"status_message":"invalidAuthToken"}`,
			[]string{"invalidAuthToken (2)", "invalidAuthToken"}, false, func(t *testing.T, err error) {
				var e *APIError
				if !errors.As(err, &e) || e.Status != 2 {
					t.Errorf("err = %#v, want *APIError status 2", err)
				}
			}},
		// Viber's answer to a failed availability check, as captured in 2021.
		{"status 1 without status_message", 200, `{"status":1,"chat_hostname":"SN-CHAT-06_"}`,
			[]string{"invalidUrl (1)"}, true, nil},
		{"status_message missing", 200, `{"status":4,"chat_hostname":"SN-CHAT-06_"}`,
			[]string{"missingData (4)"}, false, nil},
		{"availability check failed", 200, `{"status":1,"status_message":"Result[HttpRequest[POST / HTTP/1.1]@12ff293b > HttpResponse[HTTP/1.1 404 Not Found]@13818b80] null"}`,
			[]string{"invalidUrl (1)", "404 Not Found"}, true, nil},
		{"url not https is final", 200, `{"status":1,"status_message":"URL not valid or not HTTPS"}`,
			[]string{"URL not valid or not HTTPS"}, false, nil},
		{"rate limited", 200, `{"status":12,"status_message":"tooManyRequests"}`, []string{"tooManyRequests (12)"}, true, nil},
		{"unknown status", 200, `{"status":99}`, []string{"generalError (99)"}, false, nil},
		{"HTML error page", 502, `<html><body>Bad Gateway</body></html>`, []string{"HTTP 502", "<html><body>Bad Gateway"}, true, nil},
		{"HTML on 200", 200, `<html>maintenance</html>`, []string{"HTTP 200", "the body is not JSON", "<html>maintenance"}, false, nil},
		{"empty body", 200, ``, []string{"HTTP 200", "empty body"}, false, nil},
		{"truncated JSON", 200, `{"status":0,"status_mess`, []string{"the body is not JSON", `{"status":0`}, false, nil},
		{"JSON array", 200, `[{"status":0}]`, []string{"the body is not a JSON object but an array"}, false, nil},
		{"no status field", 200, `{"ok":true}`, []string{`no "status" field`}, false, nil},
		{"rate limited by HTTP", 429, `slow down`, []string{"HTTP 429"}, true, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFake(t, c.status, c.answer)
			_, err := f.client().AccountInfo(context.Background())
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.wantText {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if strings.Contains(err.Error(), token) {
				t.Errorf("error %q contains the token", err)
			}
			if IsTemporary(err) != c.temporary {
				t.Errorf("IsTemporary(%v) = %v, want %v", err, !c.temporary, c.temporary)
			}
			if c.check != nil {
				c.check(t, err)
			}
		})
	}
}

// A status-0 answer with a field missing or of the wrong type is refused,
// naming the field, rather than read as "not a JSON object" or accepted with
// an empty value; fields that may be absent, and unknown ones, still pass.
func TestAccountInfoFields(t *testing.T) {
	cases := []struct {
		name, answer string
		want         string // "" = accepted
		field        string
	}{
		{"no id", `{"status":0,"status_message":"ok","name":"Bot","webhook":"https://h/x"}`,
			`unusable answer (status 0 without the account's "id")`, "id"},
		{"empty id", `{"status":0,"status_message":"ok","id":""}`, `without the account's "id"`, "id"},
		{"null id", `{"status":0,"status_message":"ok","id":null}`, `without the account's "id"`, "id"},
		{"numeric id", `{"status":0,"id":123}`, `field "id" holds a number where a string belongs`, "id"},
		{"numeric webhook", `{"status":0,"id":"pa:1","webhook":5}`, `field "webhook" holds a number where a string belongs`, "webhook"},
		{"event_types a string", `{"status":0,"id":"pa:1","event_types":"x"}`,
			`field "event_types" holds a string where an array of strings belongs`, "event_types"},
		{"event_types holds a number", `{"status":0,"id":"pa:1","event_types":["seen",5]}`,
			`field "event_types" holds a number where a string belongs`, "event_types"},
		{"status a string", `{"status":"0","id":"pa:1"}`, `field "status" holds a string where an integer belongs`, "status"},
		{"fractional count", `{"status":0,"id":"pa:1","subscribers_count":1.5}`,
			`field "subscribers_count" holds the number 1.5 where an integer belongs`, "subscribers_count"},
		{"huge count", `{"status":0,"id":"pa:1","subscribers_count":1` + strings.Repeat("0", 100) + `}`,
			`field "subscribers_count" holds the number 100000000000000000000000…`, "subscribers_count"},
		{"nested", `{"status":0,"id":"pa:1","location":{"lat":"north"}}`, `field "location.lat" holds a string where a number belongs`, "location.lat"},
		{"members an object", `{"status":0,"id":"pa:1","members":{}}`, `field "members" holds an object where an array of objects belongs`, "members"},
		{"webhook true", `{"status":0,"id":"pa:1","webhook":true}`, `field "webhook" holds a boolean where a string belongs`, "webhook"},
		{"optional fields absent", `{"status":0,"id":"pa:1"}`, "", ""},
		{"null optional fields", `{"status":0,"id":"pa:1","webhook":null,"event_types":null,"location":null}`, "", ""},
		{"unknown fields", `{"status":0,"id":"pa:1","chat_hostname":"SN-CHAT-06_","future":{"x":[1]}}`, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			info, err := newFake(t, 200, c.answer).client().AccountInfo(context.Background())
			if c.want == "" {
				if err != nil || info.ID != "pa:1" {
					t.Fatalf("AccountInfo = %+v, %v; want it accepted", info, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("AccountInfo = %+v, want an error", info)
			}
			if !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "HTTP 200") {
				t.Errorf("error %q lacks %q", err, c.want)
			}
			var fieldErr *FieldError
			var httpErr *HTTPError
			if !errors.As(err, &fieldErr) || fieldErr.Field != c.field || !errors.As(err, &httpErr) {
				t.Errorf("err = %#v, want an *HTTPError with a *FieldError for %q", err, c.field)
			}
			if IsTemporary(err) || OutcomeUnknown(err) {
				t.Errorf("%v counts as temporary or of unknown outcome: it is a definite answer", err)
			}
			if len(err.Error()) > 400 {
				t.Errorf("error of %d bytes: %v", len(err.Error()), err)
			}
		})
	}
}

// set_webhook's answer needs no id; a wrongly typed field is named there too.
func TestSetWebhookAnswerFields(t *testing.T) {
	if _, err := newFake(t, 200, `{"status":0,"status_message":"ok"}`).client().SetWebhook(context.Background(), Webhook{URL: "https://h/x"}); err != nil {
		t.Errorf("an answer without event_types: %v", err)
	}
	_, err := newFake(t, 200, `{"status":0,"event_types":"all"}`).client().SetWebhook(context.Background(), Webhook{URL: "https://h/x"})
	if err == nil || !strings.Contains(err.Error(), `field "event_types" holds a string where an array of strings belongs`) {
		t.Errorf("err = %v, want it to name event_types", err)
	}
}

func TestLongBodyIsQuotedShort(t *testing.T) {
	f := newFake(t, 500, strings.Repeat("é", 1000))
	_, err := f.client().AccountInfo(context.Background())
	if err == nil || len(err.Error()) > 400 {
		t.Fatalf("error is %d bytes long, want a short excerpt: %v", len(err.Error()), err)
	}
}

func TestNetworkErrorIsTemporary(t *testing.T) {
	f := newFake(t, 200, `{}`)
	c := f.client()
	f.Close()
	_, err := c.AccountInfo(context.Background())
	var netErr *NetworkError
	if !errors.As(err, &netErr) || !IsTemporary(err) {
		t.Fatalf("err = %v, want a temporary *NetworkError", err)
	}
}

func TestCancelledContext(t *testing.T) {
	f := newFake(t, 200, `{"status":0}`)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := f.client().AccountInfo(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

// A request already sent when its operation is cancelled gets its answer
// within CancelGrace; past it, the failure's outcome is unknown (the call
// may have reached Viber), and it is still an interruption.
func TestCancelledInFlight(t *testing.T) {
	defer func(g time.Duration) { CancelGrace = g }(CancelGrace)
	CancelGrace = 300 * time.Millisecond
	for _, tt := range []struct {
		name   string
		answer time.Duration // after the request arrives
		ok     bool
	}{
		{"answered within the grace", 100 * time.Millisecond, true},
		{"no answer within the grace", 5 * time.Second, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			arrived, done := make(chan struct{}, 1), make(chan struct{})
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				arrived <- struct{}{}
				select {
				case <-time.After(tt.answer):
				case <-done:
					return
				}
				_, _ = io.WriteString(w, `{"status":0,"status_message":"ok"}`)
			}))
			defer srv.Close()
			defer close(done)
			c := New(Config{BaseURL: srv.URL, Token: token, HTTP: srv.Client()})
			ctx, cancel := context.WithCancel(context.Background())
			go func() { <-arrived; cancel() }()
			start := time.Now()
			err := c.RemoveWebhook(ctx)
			if took := time.Since(start); took > CancelGrace+time.Second {
				t.Errorf("returned %v after the request, want within the grace", took)
			}
			if tt.ok {
				if err != nil {
					t.Fatalf("err = %v, want the answer that came within the grace", err)
				}
				return
			}
			if !errors.Is(err, context.Canceled) || !OutcomeUnknown(err) {
				t.Fatalf("err = %v, want an interruption of unknown outcome", err)
			}
		})
	}
}

// No request starts once the operation is cancelled.
func TestNoRequestAfterCancel(t *testing.T) {
	f := newFake(t, 200, `{"status":0}`)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := f.client().RemoveWebhook(ctx); !errors.Is(err, context.Canceled) || f.last != nil {
		t.Fatalf("err = %v, request sent = %v; want context.Canceled and no request", err, f.last != nil)
	}
}

func TestOversizedRequestIsNotSent(t *testing.T) {
	f := newFake(t, 200, `{"status":0}`)
	_, err := f.client().SetWebhook(context.Background(), Webhook{URL: "https://h/" + strings.Repeat("a", 31*1024)})
	if err == nil || f.last != nil {
		t.Fatalf("err = %v, request sent = %v; want an error and no request", err, f.last != nil)
	}
	if !strings.Contains(err.Error(), "30 KB") {
		t.Errorf("err = %v, want it to name the 30 KB limit", err)
	}
}

// After retries give up on a refusal, the failure still counts as of
// unknown outcome if an earlier attempt got no definite answer: that
// attempt may have set the webhook.
func TestOutcomeUnknownRemembersEarlierAttempts(t *testing.T) {
	cases := []struct {
		name    string
		answers []string // one per attempt; "502" is a gateway error page
		unknown bool
	}{
		{"refusals only", []string{`{"status":12}`, `{"status":12}`, `{"status":12}`}, false},
		{"gateway error first", []string{"502", `{"status":12}`, `{"status":12}`}, true},
		{"gateway error last", []string{`{"status":12}`, `{"status":12}`, "502"}, true},
		{"final refusal after a gateway error", []string{"502", `{"status":1,"status_message":"invalid url"}`}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			calls := 0
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				answer := c.answers[min(calls, len(c.answers)-1)]
				calls++
				if answer == "502" {
					w.WriteHeader(http.StatusBadGateway)
					_, _ = io.WriteString(w, "<html>Bad Gateway</html>")
					return
				}
				_, _ = io.WriteString(w, answer)
			}))
			t.Cleanup(srv.Close)
			cl := New(Config{BaseURL: srv.URL, Token: token, HTTP: srv.Client(),
				Retry: retry.Policy{MinDelay: time.Millisecond, MaxDelay: time.Millisecond, MaxAttempts: 3, MaxElapsed: time.Minute}})
			_, err := cl.SetWebhook(context.Background(), Webhook{URL: "https://example.com/viber"})
			if err == nil {
				t.Fatal("SetWebhook succeeded, want a failure")
			}
			if got := OutcomeUnknown(err); got != c.unknown {
				t.Errorf("OutcomeUnknown(%v) = %v, want %v", err, got, c.unknown)
			}
			var apiErr *APIError
			if c.answers[len(c.answers)-1] != "502" && !errors.As(err, &apiErr) {
				t.Errorf("err = %v, want Viber's last refusal to stay visible", err)
			}
		})
	}
}

// A redirect is never followed, so the token reaches no other host, and
// the error names the status and the host it pointed to; the same goes for
// a client that would follow redirects itself.
func TestRedirectIsNotFollowed(t *testing.T) {
	var leaked []string
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		leaked = append(leaked, r.Header.Get(AuthTokenHeader))
		_, _ = io.WriteString(w, `{"status":0,"status_message":"ok","id":"pa:evil"}`)
	}))
	t.Cleanup(elsewhere.Close)
	for _, status := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, elsewhere.URL+"/pa/get_account_info?x=1", status)
		}))
		following := &http.Client{} // follows up to 10 redirects by default
		_, err := New(Config{BaseURL: api.URL + "/pa", Token: token, HTTP: following}).AccountInfo(context.Background())
		api.Close()
		var redirect *RedirectError
		if !errors.As(err, &redirect) {
			t.Fatalf("HTTP %d: err = %v, want a *RedirectError", status, err)
		}
		host := strings.TrimPrefix(elsewhere.URL, "http://")
		if redirect.StatusCode != status || redirect.Host != host || !strings.Contains(err.Error(), host) || strings.Contains(err.Error(), "x=1") {
			t.Errorf("HTTP %d: %v, want the status and the host %s (and no query)", status, err, host)
		}
		if IsTemporary(err) || OutcomeUnknown(err) {
			t.Errorf("HTTP %d: a redirect is retried or its outcome unknown", status)
		}
		if following.CheckRedirect != nil {
			t.Error("New changed the caller's http.Client")
		}
	}
	if len(leaked) > 0 {
		t.Errorf("the other host received %d requests, with tokens %q", len(leaked), leaked)
	}
}

// A base URL may carry credentials for a proxy in front of Viber: no error
// quotes them, whether the call gets no answer, a redirect, or never starts.
func TestBaseURLCredentialsNeverQuoted(t *testing.T) {
	const password = "pr0xy-s3cret"
	redirecting := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/elsewhere", http.StatusFound) // relative: resolved against the URL with credentials
	}))
	t.Cleanup(redirecting.Close)
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	for name, base := range map[string]string{
		"no answer":    strings.Replace(down.URL, "http://", "http://user:"+password+"@", 1) + "/pa",
		"redirect":     strings.Replace(redirecting.URL, "http://", "http://user:"+password+"@", 1) + "/pa",
		"bad URL":      "http://user:" + password + "@127.0.0.1:port/pa",
		"control char": "http://user:" + password + "@127.0.0.1/pa\x7f",
	} {
		_, err := New(Config{BaseURL: base, Token: token}).AccountInfo(context.Background())
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		if strings.Contains(err.Error(), password) {
			t.Errorf("%s: error %q quotes the password", name, err)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	for v, want := range map[string]struct {
		wait time.Duration
		ok   bool
	}{
		"2":                             {2 * time.Second, true},
		" 0 ":                           {0, true},
		"Sun, 29 Nov 2026 12:00:30 GMT": {30 * time.Second, true},
		"Sun, 29 Nov 2026 11:59:00 GMT": {0, true}, // already past: no wait
		"":                              {0, false},
		"-1":                            {0, false},
		"soon":                          {0, false},
		"1.5":                           {0, false},
	} {
		if wait, ok := parseRetryAfter(v, now); wait != want.wait || ok != want.ok {
			t.Errorf("parseRetryAfter(%q) = %s, %v; want %s, %v", v, wait, ok, want.wait, want.ok)
		}
	}
}

// A proxy's 429 or 503 carries its Retry-After into the error, which
// package retry reads; other statuses' headers are not taken as one.
func TestRetryAfterReachesTheError(t *testing.T) {
	for status, asked := range map[int]bool{http.StatusTooManyRequests: true, http.StatusServiceUnavailable: true, http.StatusBadGateway: false} {
		f := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "2")
			w.WriteHeader(status)
		}))
		c := New(Config{BaseURL: f.URL, Token: token, HTTP: f.Client()})
		_, err := c.AccountInfo(context.Background())
		f.Close()
		var waiter retry.Waiter
		wait, ok := time.Duration(0), false
		if errors.As(err, &waiter) {
			wait, ok = waiter.RetryAfter()
		}
		if ok != asked || (asked && wait != 2*time.Second) {
			t.Errorf("HTTP %d: error %v asks for %s (%v), want Retry-After taken: %v", status, err, wait, ok, asked)
		}
		if asked && !strings.Contains(err.Error(), "asking to retry after 2s") {
			t.Errorf("HTTP %d: error %q does not say what was asked", status, err)
		}
	}
}

package emulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/viberops/terraform-provider-viber/internal/viber"
)

const token = "44dafb7e0f40021e-61a47a1e6778d187-f2c5a676a07050b3"

type fixture struct {
	emu *Emulator
	ep  *Endpoint
	api string
}

func newFixture(t *testing.T) *fixture {
	ep := NewEndpoint(token)
	t.Cleanup(ep.Close)
	emu := New(WithCallbackClient(ep.Client()))
	emu.AddAccount(token, Account{ID: "pa:1", Name: "Bot"})
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	return &fixture{emu: emu, ep: ep, api: srv.URL + BasePath}
}

// answer is a decoded Bot API answer; the pointers tell absent keys.
type answer struct {
	Status        int       `json:"status"`
	StatusMessage string    `json:"status_message"`
	ChatHostname  *string   `json:"chat_hostname"`
	ID            string    `json:"id"`
	Webhook       *string   `json:"webhook"`
	EventTypes    *[]string `json:"event_types"`
}

func (a answer) eventTypes() []string {
	if a.EventTypes == nil {
		return nil
	}
	return *a.EventTypes
}

// call posts body to method and returns the decoded answer.
func (f *fixture) call(t *testing.T, tok, method, body string) answer {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, f.api+"/"+method, strings.NewReader(body))
	req.Header.Set(authTokenHeader, tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("HTTP %d: Viber answers 200 even for errors", resp.StatusCode)
	}
	var a answer
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestSetWebhookAnswersAreNotAnEcho(t *testing.T) {
	f := newFixture(t)
	url := f.ep.URL() + "/hook"

	a := f.call(t, token, "set_webhook", `{"url":"`+url+`"}`)
	if a.Status != 0 || a.StatusMessage != "ok" {
		t.Fatalf("answer = %v", a)
	}
	got := a.eventTypes()
	for _, want := range []string{"message", "webhook", "delivered", "conversation_started", "subscribed"} {
		if !slices.Contains(got, want) {
			t.Errorf("every-event answer %q lacks %q", got, want)
		}
	}
	if w, _ := f.emu.Webhook(token); w.EventTypes != nil {
		t.Errorf("absent event_types stored as %#v, want nil (every event)", w.EventTypes)
	}

	a = f.call(t, token, "set_webhook", `{"url":"`+url+`","event_types":[]}`)
	got = a.eventTypes()
	if slices.Contains(got, "delivered") || !slices.Contains(got, "message") || !slices.Contains(got, "subscribed") {
		t.Errorf("[] answered %q: want mandatory and server-only types only", got)
	}
	if w, _ := f.emu.Webhook(token); w.EventTypes == nil || len(w.EventTypes) != 0 {
		t.Errorf("[] stored as %#v, want empty non-nil", w.EventTypes)
	}

	if a.ChatHostname == nil {
		t.Error("answers carry chat_hostname, as Viber's do")
	}
}

func TestOrderVaries(t *testing.T) {
	f := newFixture(t)
	f.emu.SetWebhook(token, &Webhook{URL: "https://x/y"})
	seen := map[string]bool{}
	for range 20 {
		seen[strings.Join(f.call(t, token, "get_account_info", `{}`).eventTypes(), ",")] = true
	}
	if len(seen) < 2 {
		t.Errorf("20 answers came in one order: %v", seen)
	}
}

func TestAccountInfoOmitsWebhookKeysWhenUnset(t *testing.T) {
	f := newFixture(t)
	a := f.call(t, token, "get_account_info", `{}`)
	if a.Webhook != nil {
		t.Error("webhook key present with no webhook set")
	}
	if a.EventTypes != nil {
		t.Error("event_types key present with no webhook set")
	}
	if a.ID != "pa:1" {
		t.Errorf("id = %v", a.ID)
	}
	f.call(t, token, "set_webhook", `{"url":"`+f.ep.URL()+`/hook"}`)
	if a := f.call(t, token, "get_account_info", `{}`); a.Webhook == nil || *a.Webhook != f.ep.URL()+"/hook" {
		t.Errorf("webhook = %v", a.Webhook)
	}
	if a := f.call(t, token, "set_webhook", `{"url":""}`); a.Status != 0 {
		t.Fatalf("removal answered %v", a)
	}
	if _, ok := f.emu.Webhook(token); ok {
		t.Error("webhook still set after removal")
	}
}

func TestAvailabilityCallbackIsSigned(t *testing.T) {
	f := newFixture(t)
	f.call(t, token, "set_webhook", `{"url":"`+f.ep.URL()+`/hook?x=1"}`)
	cbs := f.ep.Callbacks()
	if len(cbs) != 1 || !cbs[0].Verified || cbs[0].Path != "/hook" {
		t.Fatalf("callbacks = %+v", cbs)
	}
	var ev CallbackEvent
	if err := json.Unmarshal(cbs[0].Body, &ev); err != nil || ev.Event != "webhook" || ev.Timestamp == 0 {
		t.Errorf("callback body %s: %v", cbs[0].Body, err)
	}
	if w, _ := f.emu.Webhook(token); w.URL != f.ep.URL()+"/hook" {
		t.Errorf("stored %q: the query string should be dropped", w.URL)
	}
}

func TestRefusals(t *testing.T) {
	f := newFixture(t)
	down := NewEndpoint()
	downURL := down.URL()
	down.Close()
	cases := []struct {
		name, tok, body string
		setup           func()
		status          int
		message         string
	}{
		{"unknown token", "nope", `{"url":""}`, nil, 2, "invalidAuthToken"},
		{"missing token", "", `{}`, nil, 2, "invalidAuthToken"},
		{"not https", token, `{"url":"http://bot.example.com"}`, nil, 1, "URL not valid or not HTTPS"},
		{"endpoint down", token, `{"url":"` + downURL + `/h"}`, nil, 1, "java.net.ConnectException: Connection refused"},
		{"endpoint 404", token, `{"url":"` + f.ep.URL() + `/h"}`, func() { f.ep.ForceStatus(404) }, 1, "HttpResponse[HTTP/1.1 404 Not Found]"},
		{"unknown event type", token, `{"url":"` + f.ep.URL() + `/h","event_types":["reaction"]}`, func() { f.ep.ForceStatus(0) }, 3, "invalid event type"},
		{"not JSON", token, `{"url":`, nil, 3, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.setup != nil {
				c.setup()
			}
			a := f.call(t, c.tok, "set_webhook", c.body)
			if a.Status != c.status || !strings.Contains(a.StatusMessage, c.message) {
				t.Errorf("answer = %v, want status %d with %q", a, c.status, c.message)
			}
		})
	}
	if _, ok := f.emu.Webhook(token); ok {
		t.Error("a refused set_webhook left a webhook")
	}
}

func TestEndpointRefusesBadSignature(t *testing.T) {
	ep := NewEndpoint(token)
	defer ep.Close()
	body := []byte(`{"event":"webhook"}`)
	req, _ := http.NewRequest(http.MethodPost, ep.URL()+"/h", bytes.NewReader(body))
	req.Header.Set(signatureHeader, sign("another token", body))
	resp, err := ep.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("bad signature answered %d, want 401", resp.StatusCode)
	}
}

func TestRequestsAreRecorded(t *testing.T) {
	f := newFixture(t)
	f.call(t, token, "get_account_info", `{}`)
	f.call(t, "nope", "set_webhook", `{"url":""}`)
	reqs := f.emu.Requests()
	if len(reqs) != 2 || reqs[0].AccountID != "pa:1" || reqs[1].AccountID != "" || string(reqs[1].Body) != `{"url":""}` {
		t.Errorf("requests = %+v", reqs)
	}
	f.emu.ResetRequests()
	if len(f.emu.Requests()) != 0 {
		t.Error("ResetRequests kept requests")
	}
}

// A replaced token fails at once, as Viber's support replaces a
// compromised one; the account, its ID and its webhook stay.
func TestReplaceToken(t *testing.T) {
	f := newFixture(t)
	const newToken = "0123456789abcdef-0123456789abcdef-0123456789abcdef"
	f.emu.SetWebhook(token, &Webhook{URL: "https://example.com/hook"})
	if !f.emu.ReplaceToken(token, newToken) {
		t.Fatal("ReplaceToken did not find the account")
	}
	if a := f.call(t, token, "get_account_info", "{}"); a.Status != viber.StatusInvalidAuthToken {
		t.Errorf("old token: status %d, want invalidAuthToken", a.Status)
	}
	a := f.call(t, newToken, "get_account_info", "{}")
	if a.Status != 0 || a.ID != "pa:1" || a.Webhook == nil || *a.Webhook != "https://example.com/hook" {
		t.Errorf("new token: %+v, want the same account with its webhook", a)
	}
	if f.emu.ReplaceToken(token, newToken) {
		t.Error("replacing a token no account has reported success")
	}
}

// Viber accepts "message" in a request (captured; SDKs send it), and drops
// a URL's query string from the stored URL and from the check alike.
func TestSetWebhookAsCaptured(t *testing.T) {
	f := newFixture(t)
	a := f.call(t, token, "set_webhook", `{"url":"`+f.ep.URL()+`/h?bot=sales","event_types":["message","seen"]}`)
	if a.Status != 0 {
		t.Fatalf("answer = %+v, want success", a)
	}
	if hook, _ := f.emu.Webhook(token); hook.URL != f.ep.URL()+"/h" {
		t.Errorf("stored URL %q, want the query dropped", hook.URL)
	}
	cbs := f.ep.Callbacks()
	if len(cbs) != 1 || cbs[0].Path != "/h" || cbs[0].Query != "" {
		t.Errorf("callbacks %+v, want one to /h with no query", cbs)
	}
}

// A failed check is answered as captured in 2021 when asked: a bare
// status 1, no status_message.
func TestSilentCheckFailure(t *testing.T) {
	f := newFixture(t)
	f.emu.SetSilentCheckFailures(true)
	f.ep.ForceStatus(503)
	a := f.call(t, token, "set_webhook", `{"url":"`+f.ep.URL()+`/h"}`)
	if a.Status != 1 || a.StatusMessage != "" || a.ChatHostname == nil {
		t.Errorf("answer = %+v, want {\"status\":1,\"chat_hostname\":...} only", a)
	}
}

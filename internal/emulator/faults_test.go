package emulator

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/viberops/terraform-provider-viber/internal/viber"
)

// client is a single-attempt client of f's emulator.
func (f *fixture) client() *viber.Client {
	return viber.New(viber.Config{BaseURL: f.api, Token: token})
}

func TestFaults(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name   string
		faults Faults
		check  func(t *testing.T, err error)
	}{
		{"dropped connection", Faults{DropEvery: 2}, func(t *testing.T, err error) {
			var e *viber.NetworkError
			if !errors.As(err, &e) {
				t.Errorf("err = %v, want a network error", err)
			}
		}},
		{"gateway page", Faults{HTTPErrorEvery: 2}, func(t *testing.T, err error) {
			var e *viber.HTTPError
			if !errors.As(err, &e) || e.StatusCode != 502 || !strings.Contains(e.Body, "<html>") {
				t.Errorf("err = %v, want HTTP 502 with an HTML body", err)
			}
		}},
		{"HTTP 500", Faults{HTTPErrorEvery: 2, HTTPErrorStatus: 500}, func(t *testing.T, err error) {
			var e *viber.HTTPError
			if !errors.As(err, &e) || e.StatusCode != 500 {
				t.Errorf("err = %v, want HTTP 500", err)
			}
		}},
		{"a proxy's rate limit with Retry-After", Faults{HTTPErrorEvery: 2, HTTPErrorStatus: 429, RetryAfter: "2"}, func(t *testing.T, err error) {
			var e *viber.HTTPError
			if !errors.As(err, &e) || e.StatusCode != 429 || !e.HasWait || e.Wait != 2*time.Second {
				t.Errorf("err = %v, want HTTP 429 asking for 2s", err)
			}
		}},
		{"rate limit", Faults{RateLimitEvery: 2}, func(t *testing.T, err error) {
			var e *viber.APIError
			if !errors.As(err, &e) || e.Status != 12 {
				t.Errorf("err = %v, want status 12", err)
			}
		}},
		{"status", Faults{Status: 7}, func(t *testing.T, err error) {
			var e *viber.APIError
			if !errors.As(err, &e) || e.Status != 7 {
				t.Errorf("err = %v, want status 7", err)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t)
			f.emu.SetFaults(c.faults)
			first, err := f.client().AccountInfo(ctx)
			if c.faults.Status == 0 && (err != nil || first.ID != "pa:1") {
				t.Fatalf("call 1 = %v, %v; want it answered normally", first, err)
			}
			_, err = f.client().AccountInfo(ctx)
			c.check(t, err)
			// The log says which answer asked for a wait (the walk checks it).
			reqs := f.emu.Requests()
			if got := []string{reqs[0].RetryAfter, reqs[1].RetryAfter}; got[0] != "" || got[1] != c.faults.RetryAfter {
				t.Errorf("Retry-After on record = %q, want %q for the second call only", got, c.faults.RetryAfter)
			}
		})
	}
}

func TestFaultsOnlyHitTheirMethods(t *testing.T) {
	f := newFixture(t)
	f.emu.SetFaults(Faults{Methods: []string{"set_webhook"}, Status: 12})
	if _, err := f.client().AccountInfo(context.Background()); err != nil {
		t.Fatalf("get_account_info faulted: %v", err)
	}
	if _, err := f.client().SetWebhook(context.Background(), viber.Webhook{URL: f.ep.URL()}); err == nil {
		t.Fatal("set_webhook not faulted")
	}
	f.emu.SetFaults(Faults{})
	if _, err := f.client().SetWebhook(context.Background(), viber.Webhook{URL: f.ep.URL()}); err != nil {
		t.Fatalf("faults not switched off: %v", err)
	}
	// Latency too: a slow set_webhook leaves get_account_info fast.
	f.emu.SetFaults(Faults{Methods: []string{"set_webhook"}, Latency: time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := f.client().AccountInfo(ctx); err != nil {
		t.Fatalf("get_account_info was delayed by set_webhook's latency: %v", err)
	}
}

func TestDroppedAnswerStillTakesEffect(t *testing.T) {
	f := newFixture(t)
	f.emu.SetFaults(Faults{DropAnswerEvery: 1})
	_, err := f.client().SetWebhook(context.Background(), viber.Webhook{URL: f.ep.URL() + "/h"})
	if !viber.OutcomeUnknown(err) {
		t.Fatalf("err = %v, want an error whose outcome is unknown", err)
	}
	if w, ok := f.emu.Webhook(token); !ok || w.URL != f.ep.URL()+"/h" {
		t.Errorf("the call was not carried out: %+v", w)
	}
}

func TestRateLimitFractionIsSeeded(t *testing.T) {
	count := func() int {
		emu := New(WithSeed(7))
		emu.AddAccount(token, Account{ID: "pa:1"})
		srv := httptest.NewServer(emu)
		defer srv.Close()
		emu.SetFaults(Faults{RateLimitFraction: 0.5})
		c := viber.New(viber.Config{BaseURL: srv.URL + BasePath, Token: token})
		n := 0
		for range 40 {
			if _, err := c.AccountInfo(context.Background()); err != nil {
				n++
			}
		}
		return n
	}
	a, b := count(), count()
	if a != b || a < 8 || a > 32 {
		t.Errorf("rate-limited %d and %d of 40 calls with one seed; want the same number, near half", a, b)
	}
}

func TestEndpointFailNext(t *testing.T) {
	f := newFixture(t)
	f.ep.FailNext(2, 503)
	for i, want := range []int{1, 1, 0} {
		_, err := f.client().SetWebhook(context.Background(), viber.Webhook{URL: f.ep.URL() + "/h"})
		var e *viber.APIError
		got := 0
		if errors.As(err, &e) {
			got = e.Status
		}
		if got != want {
			t.Errorf("set_webhook %d: status %d (%v), want %d", i+1, got, err, want)
		}
	}
}

// OmitAccountID leaves "id", and only "id", out of get_account_info's
// status-0 answers; set_webhook still works, and so does every call once
// the fault is off. The client refuses such an answer, naming the field.
func TestOmitAccountID(t *testing.T) {
	f := newFixture(t)
	f.emu.SetFaults(Faults{OmitAccountID: true})
	if a := f.call(t, token, "set_webhook", `{"url":"`+f.ep.URL()+`/hook"}`); a.Status != 0 {
		t.Fatalf("set_webhook answered %+v under OmitAccountID", a)
	}
	fields := func() map[string]any {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, f.api+"/get_account_info", strings.NewReader(`{}`))
		req.Header.Set(authTokenHeader, token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	m := fields()
	if _, ok := m["id"]; ok {
		t.Errorf("the answer holds an id: %v", m)
	}
	for _, key := range []string{"status", "status_message", "name", "webhook", "event_types", "chat_hostname", "members"} {
		if _, ok := m[key]; !ok {
			t.Errorf("the answer lacks %q: %v", key, m)
		}
	}
	if m["status"] != float64(0) {
		t.Errorf("status = %v, want 0", m["status"])
	}

	_, err := f.client().AccountInfo(context.Background())
	var fieldErr *viber.FieldError
	if !errors.As(err, &fieldErr) || fieldErr.Field != "id" {
		t.Errorf("the client accepted the answer or blamed another field: %v", err)
	}

	f.emu.SetFaults(Faults{})
	if m := fields(); m["id"] != "pa:1" {
		t.Errorf("with the fault off, id = %v", m["id"])
	}
}

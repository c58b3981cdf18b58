package viber

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// Whatever Viber, a proxy or a broken network sends back, decoding returns
// a value or an error, never panics, and succeeds only on status 0 with
// the account's id.
func FuzzDecode(f *testing.F) {
	for _, seed := range []struct {
		status int
		body   string
	}{
		{200, `{"status":0,"status_message":"ok","id":"pa:1","webhook":"https://h/x","event_types":["message","seen"],"location":{"lat":1,"lon":2},"members":[{"id":"m"}],"subscribers_count":3}`},
		{200, `{"status":0,"status_message":"ok","id":"pa:1","chat_hostname":"SN-CHAT-06_"}`},
		{200, `{"status":1,"chat_hostname":"SN-CHAT-06_"}`},
		{200, `{"status":1,"status_message":"Result[HttpRequest[POST / HTTP/1.1]@1 > HttpResponse[HTTP/1.1 404 Not Found]@2] null"}`},
		{200, `{"status":"0"}`},
		{200, `{"status":0,"event_types":"seen"}`},
		{200, `{"status":0,"location":[]}`},
		{200, `{"status":0,"id":""}`},
		{200, `{"status":0,"id":"pa:1","webhook":5}`},
		{200, `{"status":0,"id":"pa:1","subscribers_count":1e400}`},
		{200, `[]`},
		{200, `null`},
		{200, ``},
		{200, `{"status":0,"status_mess`},
		{502, `<html><body>Bad Gateway</body></html>`},
		{429, `{"status":12}`},
		{200, "\xff\xfe{\"status\":0}"},
	} {
		f.Add(seed.status, []byte(seed.body))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		var info AccountInfo
		err := decode("get_account_info", status, body, &info)
		if err == nil {
			var env struct{ Status *int }
			if status != 200 || json.Unmarshal(body, &env) != nil || env.Status == nil || *env.Status != 0 {
				t.Fatalf("decode(%d, %q) succeeded, but it is not a status-0 answer", status, body)
			}
			if info.ID == "" {
				t.Fatalf("decode(%d, %q) succeeded without the account's id", status, body)
			}
			return
		}
		msg := err.Error()
		if msg == "" || len(msg) > 600 {
			t.Fatalf("error message of %d bytes for %q: %q", len(msg), body, msg)
		}
		_ = IsTemporary(err)
		_ = OutcomeUnknown(err)
	})
}

// Normalising event types is total and consistent: every list means a
// selection of optional types, the canonical form means the same, and the
// data source's list keeps only types a client can know.
func FuzzEventTypes(f *testing.F) {
	for _, seed := range []string{"", "seen", "message,webhook,client_status,action", "delivered,seen,failed,conversation_started",
		"subscribed,unsubscribed", "seen,seen,SEEN", "\x00,,"} {
		f.Add(seed, false)
	}
	f.Add("", true)
	f.Fuzz(func(t *testing.T, csv string, absent bool) {
		var types []string // nil: the key was absent, every event
		if !absent {
			types = strings.Split(csv, ",")
		}
		sub := OptionalSubset(types)
		last := -1
		for _, s := range sub {
			i := slices.Index(OptionalEventTypes, s)
			if i <= last {
				t.Fatalf("OptionalSubset(%q) = %q: not optional types in their fixed order", types, sub)
			}
			last = i
		}
		canon := Canonical(types)
		if (canon == nil) != (len(sub) == len(OptionalEventTypes)) {
			t.Fatalf("Canonical(%q) = %#v, subset %q", types, canon, sub)
		}
		if !SameSelection(types, canon) || !SameSelection(canon, types) {
			t.Fatalf("Canonical(%q) = %#v does not mean the same selection", types, canon)
		}
		for _, k := range KnownEventTypes(types) {
			if !IsSelectable(k) && !slices.Contains(MandatoryEventTypes, k) {
				t.Fatalf("KnownEventTypes(%q) keeps %q", types, k)
			}
		}
	})
}

package emulator

import (
	"slices"
	"testing"

	"github.com/viberops/terraform-provider-viber/internal/viber"
)

// The signature test vector of Viber's own SDKs (Java, Node, Python).
func TestSignMatchesViberTestVector(t *testing.T) {
	const (
		key  = "44dafb7e0f40021e-61a47a1e6778d187-f2c5a676a07050b3"
		body = `{"event":"webhook","timestamp":4977069964384421269,"message_token":1478683725125}`
		want = "d21b343448c8aee33b8e93768ef6ceb64a6ba6163099973a2b8bd028fea510ef"
	)
	if got := sign(key, []byte(body)); got != want {
		t.Errorf("sign = %s, want %s", got, want)
	}
	if !validSignature(key, []byte(body), want) || validSignature(key, []byte(body+" "), want) || validSignature(key, []byte(body), "zz") {
		t.Error("validSignature does not tell good signatures from bad ones")
	}
}

// The emulator's tables and the client's are written apart, from the
// same documentation; here they are compared, never derived one from the
// other, so that a slip in either shows.
func TestTablesAgreeWithTheClient(t *testing.T) {
	for code := -1; code <= 30; code++ {
		if got, want := StatusName(code), viber.StatusName(code); got != want {
			t.Errorf("status %d: emulator says %q, client says %q", code, got, want)
		}
	}
	if authTokenHeader != viber.AuthTokenHeader || signatureHeader != viber.SignatureHeader {
		t.Error("the headers differ")
	}
	// The client never sends "message", which Viber accepts.
	requestable := slices.DeleteFunc(slices.Clone(requestableEventTypes), func(s string) bool { return s == "message" })
	if !sameSet(requestable, viber.SelectableEventTypes) {
		t.Errorf("requestable event types: emulator %v, client %v", requestable, viber.SelectableEventTypes)
	}
	if !sameSet(mandatoryEventTypes, viber.MandatoryEventTypes) {
		t.Errorf("mandatory event types: emulator %v, client %v", mandatoryEventTypes, viber.MandatoryEventTypes)
	}
	for code, want := range map[int]int{statusOK: viber.StatusOK, statusInvalidURL: viber.StatusInvalidURL,
		statusInvalidAuthToken: viber.StatusInvalidAuthToken, statusBadData: viber.StatusBadData,
		statusMissingData: viber.StatusMissingData, statusTooManyRequests: viber.StatusTooManyRequests} {
		if code != want {
			t.Errorf("status constant %d differs from the client's %d", code, want)
		}
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

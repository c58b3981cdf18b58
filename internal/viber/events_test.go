package viber

import (
	"slices"
	"testing"
)

func TestOptionalSubset(t *testing.T) {
	all := []string{"delivered", "seen", "failed", "conversation_started"}
	cases := []struct {
		name string
		in   []string
		want []string
	}{
		{"nil means every event", nil, all},
		{"empty means none", []string{}, []string{}},
		{"mandatory add nothing", []string{"subscribed", "unsubscribed", "message"}, []string{}},
		{"server-only dropped, order ignored", []string{"webhook", "seen", "client_status", "action", "delivered"}, []string{"delivered", "seen"}},
		{"a real capture", []string{"subscribed", "unsubscribed", "webhook", "conversation_started", "client_status", "action", "delivered", "failed", "message", "seen"}, all},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := OptionalSubset(c.in)
			if !slices.Equal(got, c.want) || got == nil {
				t.Fatalf("OptionalSubset(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

func TestSameSelectionAndCanonical(t *testing.T) {
	cases := []struct {
		a, b      []string
		same      bool
		canonical []string // of b
	}{
		{nil, []string{"message", "delivered", "seen", "failed", "conversation_started", "webhook"}, true, nil},
		{[]string{}, []string{"subscribed", "message", "unsubscribed"}, true, []string{}},
		{[]string{"subscribed"}, []string{"message", "webhook"}, true, []string{}},
		{[]string{"seen", "delivered"}, []string{"delivered", "message", "seen"}, true, []string{"delivered", "seen"}},
		{nil, []string{"delivered", "seen", "message"}, false, []string{"delivered", "seen"}},
		{[]string{}, []string{"failed"}, false, []string{"failed"}},
		{[]string{"delivered", "seen", "failed", "conversation_started"}, nil, true, nil},
	}
	for _, c := range cases {
		if got := SameSelection(c.a, c.b); got != c.same {
			t.Errorf("SameSelection(%q, %q) = %v, want %v", c.a, c.b, got, c.same)
		}
		got := Canonical(c.b)
		if !slices.Equal(got, c.canonical) || (got == nil) != (c.canonical == nil) {
			t.Errorf("Canonical(%q) = %#v, want %#v", c.b, got, c.canonical)
		}
	}
}

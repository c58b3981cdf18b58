package viber

import "slices"

// Event types a client may put in set_webhook's event_types.
const (
	EventDelivered           = "delivered"
	EventSeen                = "seen"
	EventFailed              = "failed"
	EventSubscribed          = "subscribed"
	EventUnsubscribed        = "unsubscribed"
	EventConversationStarted = "conversation_started"
)

// EventMessage is always delivered and may not be requested explicitly.
const EventMessage = "message"

// SelectableEventTypes are the values set_webhook accepts in event_types.
var SelectableEventTypes = []string{
	EventDelivered, EventSeen, EventFailed,
	EventSubscribed, EventUnsubscribed, EventConversationStarted,
}

// MandatoryEventTypes are delivered whatever event_types says.
var MandatoryEventTypes = []string{EventMessage, EventSubscribed, EventUnsubscribed}

// OptionalEventTypes are the types a webhook can switch off: together they
// are what distinguishes one event_types setting from another.
var OptionalEventTypes = []string{EventDelivered, EventSeen, EventFailed, EventConversationStarted}

// IsSelectable reports whether t may be sent in set_webhook's event_types.
func IsSelectable(t string) bool { return slices.Contains(SelectableEventTypes, t) }

// OptionalSubset returns, in the order of OptionalEventTypes, the optional types that a webhook with
// the given event types receives. A nil list means "every event", as a
// set_webhook without the event_types key does; mandatory and server-only
// types (message, webhook, client_status, ...) carry no meaning and are
// dropped.
func OptionalSubset(types []string) []string {
	if types == nil {
		return slices.Clone(OptionalEventTypes)
	}
	out := []string{}
	for _, t := range OptionalEventTypes {
		if slices.Contains(types, t) {
			out = append(out, t)
		}
	}
	return out
}

// SameSelection reports whether two event_types settings deliver the same
// events. nil stands for "every event".
func SameSelection(a, b []string) bool {
	return slices.Equal(OptionalSubset(a), OptionalSubset(b))
}

// Canonical returns the shortest description of a selection: nil when every
// optional type is on, else the optional types that are on, in the order
// of OptionalEventTypes.
func Canonical(types []string) []string {
	sub := OptionalSubset(types)
	if len(sub) == len(OptionalEventTypes) {
		return nil
	}
	return sub
}

// KnownEventTypes returns, sorted and without repeats, the types in a list
// from Viber that a client can select or that are mandatory: the
// server-only ones (webhook, client_status, action, ...) are dropped.
func KnownEventTypes(types []string) []string {
	out := []string{}
	for _, t := range types {
		if (IsSelectable(t) || slices.Contains(MandatoryEventTypes, t)) && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	slices.Sort(out)
	return out
}

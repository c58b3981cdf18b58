# Only the mandatory events: messages and (un)subscriptions.
# An empty list is not the same as omitting event_types, which means every event.
resource "viber_webhook" "alerts_bot" {
  url         = "https://alerts.example.com/viber"
  event_types = []
}

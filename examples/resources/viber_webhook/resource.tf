# Every event: omit event_types.
resource "viber_webhook" "support_bot" {
  url = "https://bots.example.com/viber/support"
}

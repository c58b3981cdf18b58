# The smallest webhook: every event goes to one HTTPS endpoint.
resource "viber_webhook" "support_bot" {
  url = "https://bots.example.com/viber/support"
}

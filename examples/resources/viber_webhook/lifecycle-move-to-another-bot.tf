# Only bot changed, from "sales" to "support". The plan replaces the webhook.
resource "viber_webhook" "orders" {
  bot = "support" # was "sales"
  url = "https://bots.example.com/viber/orders"
}

# Only bot changed, from "sales" to "support", with create_before_destroy:
# the support bot's webhook is set first, and the sales bot's is removed only
# once Viber has accepted it.
resource "viber_webhook" "orders" {
  bot = "support" # was "sales"
  url = "https://bots.example.com/viber/orders"

  lifecycle {
    create_before_destroy = true
  }
}

# Only delivery receipts and conversation starts, besides the mandatory
# events (message, subscribed, unsubscribed), which always arrive.
resource "viber_webhook" "orders_bot" {
  url         = "https://bots.example.com/viber/orders"
  event_types = ["delivered", "failed", "conversation_started"]
}

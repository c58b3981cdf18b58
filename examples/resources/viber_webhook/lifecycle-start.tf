# The sales bot's webhook, where each lifecycle example starts.
resource "viber_webhook" "orders" {
  bot = "sales"
  url = "https://bots.example.com/viber/orders"
}

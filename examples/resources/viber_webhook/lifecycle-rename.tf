# viber_webhook.orders, renamed to viber_webhook.sales_orders.
resource "viber_webhook" "sales_orders" {
  bot = "sales"
  url = "https://bots.example.com/viber/orders"
}

moved {
  from = viber_webhook.orders
  to   = viber_webhook.sales_orders
}

# Longer than the default time limit to create or update the webhook, for an
# endpoint that the same apply deploys and that takes a while to answer
# Viber's check.
resource "viber_webhook" "bot" {
  url = "https://bots.example.com/viber"

  timeouts {
    create = "15m"
    update = "15m"
  }
}

# Viber calls the URL before it accepts the webhook, so the endpoint must be
# serving first. When the same configuration deploys it, depend on the
# deployment. terraform_data stands in here for the real one (a Cloud Run
# service, a Lambda function, a Kubernetes deployment, ...).
resource "terraform_data" "booking_endpoint" {
  input = "booking-bot:1.4.2"
}

resource "viber_webhook" "booking_bot" {
  url         = "https://bots.example.com/viber/booking"
  event_types = ["delivered", "seen"]

  depends_on = [terraform_data.booking_endpoint]
}

terraform {
  required_providers {
    viber = {
      source = "viberops/viber"
    }
  }
}

variable "webhook_url" {
  type        = string
  description = "The bot's HTTPS endpoint."
}

# auth_token and api_url come from VIBER_AUTH_TOKEN and VIBER_API_URL.
provider "viber" {}

resource "viber_webhook" "bot" {
  url         = var.webhook_url
  event_types = ["delivered", "seen", "conversation_started"]
  send_name   = true
}

output "bot_account_id" {
  value = viber_webhook.bot.id
}

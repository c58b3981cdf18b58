terraform {
  required_providers {
    viber = {
      source  = "viberops/viber"
      version = "~> 1.0" # any 1.x from 1.0 on, never 2.0
    }
  }
}

provider "viber" {} # the token comes from VIBER_AUTH_TOKEN

resource "viber_webhook" "bot" {
  url         = "https://bots.example.com/viber"
  event_types = ["delivered", "seen", "conversation_started"]
}

# Reads back what Viber holds, after the webhook is set.
data "viber_account" "bot" {
  depends_on = [viber_webhook.bot]
}

output "webhook" {
  value = data.viber_account.bot.webhook
}

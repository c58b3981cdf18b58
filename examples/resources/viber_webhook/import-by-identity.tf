# Terraform 1.12+ and OpenTofu 1.12+: import by the bot's identity.
import {
  to       = viber_webhook.support_bot
  identity = { account_id = "pa:75346594275468546724" }
}

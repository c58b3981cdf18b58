# A team's module: one webhook for each of its bots. The caller's provider
# block holds every bot's token in its bots map, under the same keys.
terraform {
  required_providers {
    viber = {
      source = "viberops/viber"
    }
  }
}

variable "bots" {
  description = "The URL each bot's events go to, by the bot's key in the provider's bots map."
  type        = map(string)

  # Viber drops the query string of a webhook URL, so the endpoint would
  # never see it: the team's rule is to refuse one.
  validation {
    condition     = alltrue([for url in values(var.bots) : !strcontains(url, "?")])
    error_message = "A bot's URL must not have a query string: Viber drops it."
  }
}

resource "viber_webhook" "bots" {
  for_each = var.bots

  bot         = each.key
  url         = each.value
  event_types = ["delivered", "failed"]
}

output "account_ids" {
  description = "Each bot's account ID, by its key."
  value       = { for key, hook in viber_webhook.bots : key => hook.id }
}

# Many bots in one configuration: each resource carries its own bot's token.
# Supply the tokens outside the configuration, e.g.
#   export TF_VAR_bot_tokens='{"sales":"...","support":"..."}'
variable "bot_tokens" {
  type        = map(string)
  sensitive   = true
  description = "Auth token of each bot, by bot name."
}

resource "viber_webhook" "bots" {
  for_each = nonsensitive(toset(keys(var.bot_tokens)))

  auth_token  = var.bot_tokens[each.key]
  url         = "https://bots.example.com/viber/${each.key}"
  event_types = ["delivered", "seen", "conversation_started"]
}

# What each bot is, read with its own token.
data "viber_account" "bots" {
  for_each = viber_webhook.bots

  auth_token = var.bot_tokens[each.key]
}

output "bot_ids" {
  value = { for name, bot in data.viber_account.bots : name => bot.id }
}

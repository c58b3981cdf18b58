# Tokens on the resources themselves: they ARE stored in the state (marked
# sensitive). Prefer bot keys with the provider's bots map (above); the
# guide "Keeping auth tokens out of state" shows how to migrate.
#   export TF_VAR_bot_tokens='{"sales":"...","support":"..."}'
variable "bot_tokens" {
  type        = map(string)
  sensitive   = true
  description = "Auth token of each bot, by bot name."
}

resource "viber_webhook" "own_tokens" {
  for_each = nonsensitive(toset(keys(var.bot_tokens)))

  auth_token = var.bot_tokens[each.key]
  url        = "https://bots.example.com/viber/${each.key}"
}

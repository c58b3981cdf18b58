# OpenTofu only: one provider configuration per bot, from one map, with
# for_each in the provider block. No token is stored in state.
variable "bots" {
  description = "The bots to manage."
  type        = set(string)
  default     = ["sales", "support"]
}

variable "bot_tokens" {
  description = "Each bot's auth token, by bot name (e.g. from TF_VAR_bot_tokens)."
  type        = map(string)
  sensitive   = true
  ephemeral   = true
}

provider "viber" {
  alias      = "bot"
  for_each   = var.bots
  auth_token = var.bot_tokens[each.key]
}

resource "viber_webhook" "bot" {
  for_each = var.bots
  provider = viber.bot[each.key]
  url      = "https://bots.example.com/viber/${each.key}"
}

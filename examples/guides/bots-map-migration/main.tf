# After the migration: the same bots, named by key. Before it, the resource
# read
#   for_each   = nonsensitive(toset(keys(var.bot_tokens)))
#   auth_token = var.bot_tokens[each.key]
# and had no provider-level bots.
variable "bot_tokens" {
  type      = map(string)
  sensitive = true
}

provider "viber" {
  bots = var.bot_tokens
}

resource "viber_webhook" "bots" {
  for_each = toset(["sales", "support"])

  bot = each.key
  url = "https://bots.example.com/viber/${each.key}"
}

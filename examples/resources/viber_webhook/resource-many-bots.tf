# Many bots, each named by its key in the provider's bots map, which holds the
# tokens (never in state), e.g. export VIBER_BOTS='{"sales":"...","support":"..."}'
resource "viber_webhook" "bots" {
  for_each = toset(["sales", "support"])

  bot         = each.key
  url         = "https://bots.example.com/viber/${each.key}"
  event_types = ["delivered", "seen", "conversation_started"]
}

# What each bot is, read with its own token.
data "viber_account" "bots" {
  for_each = viber_webhook.bots

  bot = each.key
}

output "bot_ids" {
  value = { for key, bot in data.viber_account.bots : key => bot.id }
}

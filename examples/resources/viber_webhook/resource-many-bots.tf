# Many bots from one provider block: the provider's bots map holds the
# tokens, and each resource names its bot by key. The keys are
# configuration; the tokens stay out of it and out of the state. Give the
# map in the environment,
#   export VIBER_BOTS='{"sales":"...","support":"..."}'
# or in the provider block from an ephemeral variable (see the guide
# "Keeping auth tokens out of state").
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

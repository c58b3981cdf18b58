# The bot behind the provider's token.
data "viber_account" "bot" {}

output "bot" {
  value = {
    id          = data.viber_account.bot.id
    name        = data.viber_account.bot.name
    subscribers = data.viber_account.bot.subscribers_count
    webhook     = data.viber_account.bot.webhook
  }
}

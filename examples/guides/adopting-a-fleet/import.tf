# Terraform 1.7+ and every supported OpenTofu: one import block for every
# bot that has a webhook. Each bot's account ID is read with its own token.
# A bot with no webhook has nothing to import: the apply creates it.
data "viber_account" "bots" {
  for_each = local.bots

  bot = each.key
}

import {
  for_each = { for k, a in data.viber_account.bots : k => a.id if a.webhook != "" }

  to = viber_webhook.bots[each.key]
  id = each.value
}

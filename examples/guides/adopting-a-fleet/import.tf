# Terraform 1.7+ and OpenTofu 1.7+: one import block for every bot. Each
# bot's account ID is read with its own token.
data "viber_account" "bots" {
  for_each = local.bots

  bot = each.key
}

import {
  for_each = local.bots

  to = viber_webhook.bots[each.key]
  id = data.viber_account.bots[each.key].id
}

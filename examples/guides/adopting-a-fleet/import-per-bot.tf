# Terraform 1.5 and 1.6: one import block per bot, each with the bot's
# account ID as a literal (the id of the viber_account data source, or
# what terraform query lists).
import {
  to = viber_webhook.bots["alerts"]
  id = "pa:75346594275468546701"
}

import {
  to = viber_webhook.bots["sales"]
  id = "pa:75346594275468546702"
}

import {
  to = viber_webhook.bots["support"]
  id = "pa:75346594275468546703"
}

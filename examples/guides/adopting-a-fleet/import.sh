# Any version, without import blocks: one command per bot.
terraform import 'viber_webhook.bots["alerts"]' pa:75346594275468546701
terraform import 'viber_webhook.bots["sales"]' pa:75346594275468546702
terraform import 'viber_webhook.bots["support"]' pa:75346594275468546703

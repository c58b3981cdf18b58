import {
  to = viber_webhook.support_bot
  id = "pa:75346594275468546724"
}

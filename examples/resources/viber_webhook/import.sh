# A webhook is imported by the bot's account ID, as get_account_info reports it.
# The configured auth token must belong to that bot.
terraform import viber_webhook.support_bot pa:75346594275468546724

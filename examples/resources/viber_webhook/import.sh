# A webhook is imported by the bot's account ID, as get_account_info reports it.
# The import reads it with whichever of the provider's tokens (auth_token,
# bots) belongs to that bot; the next plan checks the resource's own token.
terraform import viber_webhook.support_bot pa:75346594275468546724

# Import by the bot's account ID, as get_account_info reports it; the next plan
# checks the resource's own token.
terraform import viber_webhook.support_bot pa:75346594275468546724

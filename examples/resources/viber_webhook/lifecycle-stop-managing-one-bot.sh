# Any Terraform or OpenTofu version. Forget one bot's webhook in a for_each
# fleet, then drop its key from for_each. The webhook stays at Viber.
terraform state rm 'viber_webhook.bots["sales"]'

# Any Terraform or OpenTofu version. Forget the webhook, then delete its
# resource block. The webhook stays at Viber.
terraform state rm viber_webhook.orders

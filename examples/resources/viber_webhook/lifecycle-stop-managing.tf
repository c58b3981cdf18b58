# Terraform 1.7+ or OpenTofu 1.12+. This block replaces the resource block of
# viber_webhook.orders. The apply forgets the webhook and leaves it at Viber.
removed {
  from = viber_webhook.orders

  lifecycle {
    destroy = false
  }
}

# Terraform 1.14+: find the webhook of every bot in the provider's bots map.
list "viber_webhook" "fleet" {
  provider = viber
}

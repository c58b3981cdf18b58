# search.tfquery.hcl: find the webhooks of the provider configuration's bots
# (its auth_token's bot and every bot in its bots map), then write their
# configuration and import blocks with
#   terraform query -generate-config-out=generated.tf
list "viber_webhook" "found" {
  provider = viber
}

# Only one bot of the bots map:
# list "viber_webhook" "sales" {
#   provider = viber
#   config {
#     bot = "sales"
#   }
# }

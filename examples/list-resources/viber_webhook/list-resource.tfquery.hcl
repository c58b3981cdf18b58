# search.tfquery.hcl: find the webhook of the provider configuration's bot,
# then write its configuration and import block with
#   terraform query -generate-config-out=generated.tf
list "viber_webhook" "found" {
  provider = viber
}

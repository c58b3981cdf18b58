# main.tf for a fleet whose sales bot has send_name and send_photo on at
# Viber, which never reports them: the configuration must say so.
resource "viber_webhook" "bots" {
  for_each = local.bots

  bot        = each.key
  url        = "https://bots.example.com/viber/${each.key}"
  send_name  = each.key == "sales"
  send_photo = each.key == "sales"
}

# One webhook per bot, as each bot holds it now.
resource "viber_webhook" "bots" {
  for_each = local.bots

  bot = each.key
  url = "https://bots.example.com/viber/${each.key}"
}

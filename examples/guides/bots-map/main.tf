# Every bot's token in one ephemeral map (Terraform 1.10+, or OpenTofu):
# never written to the state or to a saved plan. Set it with
#   export TF_VAR_bot_tokens='{"sales":"...","support":"..."}'
# (again at apply time when applying a saved plan).
variable "bot_tokens" {
  type      = map(string)
  sensitive = true
  ephemeral = true
}

provider "viber" {
  bots = var.bot_tokens
}

# Which bots exist is configuration; their tokens are secrets.
resource "viber_webhook" "bots" {
  for_each = toset(["sales", "support"])

  bot = each.key
  url = "https://bots.example.com/viber/${each.key}"
}

data "viber_account" "sales" {
  bot = "sales"
}

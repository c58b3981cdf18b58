# The bots to adopt, by key, and their tokens under the same keys. Set them
# with
#   export TF_VAR_bot_tokens='{"alerts":"...","sales":"...","support":"..."}'
# (ephemeral = true keeps them out of saved plans too, on Terraform 1.10+
# and every supported OpenTofu: see the guide "Keeping auth tokens out of
# state").
variable "bot_tokens" {
  type      = map(string)
  sensitive = true
}

provider "viber" {
  bots = var.bot_tokens
}

locals {
  bots = toset(["alerts", "sales", "support"])
}

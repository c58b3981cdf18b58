# The bots and their webhooks, the same in every environment: only the
# tokens (VIBER_BOTS) and where the webhooks point differ.
terraform {
  required_providers {
    viber = {
      source  = "viberops/viber"
      version = "~> 1.0"
    }
  }
}

variable "endpoint" {
  description = "The base URL of the environment's bot endpoints."
  type        = string
}

resource "viber_webhook" "bots" {
  for_each = toset(["sales", "support"])

  bot = each.key
  url = "${var.endpoint}/viber/${each.key}"
}

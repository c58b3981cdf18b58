# Many bots, no token in state, on any Terraform or OpenTofu: one provider
# configuration per bot. Provider-level tokens are never stored in state.
# (On Terraform 1.10+ and on OpenTofu, add ephemeral = true to the
# variables to keep them out of saved plans too.)
variable "sales_token" {
  type      = string
  sensitive = true
}

variable "support_token" {
  type      = string
  sensitive = true
}

provider "viber" {
  alias      = "sales"
  auth_token = var.sales_token
}

provider "viber" {
  alias      = "support"
  auth_token = var.support_token
}

resource "viber_webhook" "sales" {
  provider = viber.sales
  url      = "https://bots.example.com/viber/sales"
}

resource "viber_webhook" "support" {
  provider = viber.support
  url      = "https://bots.example.com/viber/support"
}

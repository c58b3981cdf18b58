# Terraform 1.10+ and OpenTofu: an ephemeral variable is never written
# to the state or to a saved plan. Set it with TF_VAR_viber_token, or with
# -var at both plan and apply time when applying a saved plan.
variable "viber_token" {
  type      = string
  sensitive = true
  ephemeral = true
}

provider "viber" {
  auth_token = var.viber_token
}

resource "viber_webhook" "support_bot" {
  url = "https://bots.example.com/viber/support"
}

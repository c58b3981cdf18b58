# The bots' tokens come from one secret, VIBER_BOTS, a JSON object of bot
# keys to tokens set in the environment of every plan and apply, on every
# Terraform and OpenTofu version: an environment variable reaches neither
# the state nor a saved plan. The plan and apply jobs run on different
# machines, so add a remote backend here: the state must outlive the job.
terraform {
  required_providers {
    viber = {
      source  = "viberops/viber"
      version = "~> 1.0"
    }
  }
}

provider "viber" {}

# Which bots exist is configuration; their tokens are the secret.
resource "viber_webhook" "bots" {
  for_each = toset(["sales", "support"])

  bot = each.key
  url = "https://bots.example.com/viber/${each.key}"
}

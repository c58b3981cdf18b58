# The bots' tokens come from one secret, VIBER_BOTS, a JSON object of bot
# keys to tokens set in the environment of every plan and apply, on every
# Terraform and OpenTofu version: an environment variable reaches neither
# the state nor a saved plan.
terraform {
  required_providers {
    viber = {
      source  = "viberops/viber"
      version = "~> 1.0"
    }
  }

  # The plan and apply jobs run on different machines: the state lives in
  # S3, locked by a lock file beside it (Terraform 1.10+, every supported OpenTofu).
  backend "s3" {
    bucket       = "example-terraform-state"
    key          = "viber-bots/terraform.tfstate"
    region       = "eu-central-1"
    use_lockfile = true
  }
}

provider "viber" {}

# Which bots exist is configuration; their tokens are the secret.
resource "viber_webhook" "bots" {
  for_each = toset(["sales", "support"])

  bot = each.key
  url = "https://bots.example.com/viber/${each.key}"
}

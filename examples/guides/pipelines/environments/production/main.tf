# The production environment: its own state, and its own bots, whose tokens
# come from VIBER_BOTS in the production and production-plan environments.
terraform {
  required_providers {
    viber = {
      source  = "viberops/viber"
      version = "~> 1.0"
    }
  }

  backend "s3" {
    bucket       = "example-terraform-state"
    key          = "viber-bots/production.tfstate"
    region       = "eu-central-1"
    use_lockfile = true
  }
}

provider "viber" {}

module "bots" {
  source = "../modules/bots"

  endpoint = "https://bots.example.com"
}

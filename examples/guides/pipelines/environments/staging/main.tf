# The staging environment: its own state, and its own bots, whose tokens
# come from VIBER_BOTS in the staging and staging-plan environments.
terraform {
  required_providers {
    viber = {
      source  = "viberops/viber"
      version = "~> 1.0"
    }
  }

  backend "s3" {
    bucket       = "example-terraform-state"
    key          = "viber-bots/staging.tfstate"
    region       = "eu-central-1"
    use_lockfile = true
  }
}

provider "viber" {}

module "bots" {
  source = "../modules/bots"

  endpoint = "https://staging.bots.example.com"
}

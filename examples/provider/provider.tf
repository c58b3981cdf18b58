terraform {
  required_providers {
    viber = {
      source  = "viberops/viber"
      version = "~> 1.0"
    }
  }
}

# The token is best left to the VIBER_AUTH_TOKEN environment variable, so
# that it stays out of the configuration.
provider "viber" {}

# Or, for instance from a secret store:
# provider "viber" {
#   auth_token = var.viber_auth_token
# }

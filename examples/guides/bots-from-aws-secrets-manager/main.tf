# Not run by the provider's tests: it needs an AWS account and the
# hashicorp/aws provider. Ephemeral resources need Terraform 1.10+ (every
# supported OpenTofu has them).
#
# One secret, viber/bots, holds a JSON object of bot keys to tokens:
#   aws secretsmanager create-secret --name viber/bots \
#     --secret-string '{"sales":"...","support":"..."}'
ephemeral "aws_secretsmanager_secret_version" "viber_bots" {
  secret_id = "viber/bots"
}

provider "viber" {
  # Read at plan and again at apply, never written to the state or to a
  # saved plan.
  bots = jsondecode(ephemeral.aws_secretsmanager_secret_version.viber_bots.secret_string)
}

resource "viber_webhook" "bots" {
  for_each = toset(["sales", "support"]) # the keys are configuration, not secrets

  bot = each.key
  url = "https://bots.example.com/viber/${each.key}"
}

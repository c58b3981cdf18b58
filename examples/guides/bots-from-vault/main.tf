# Not run by the provider's tests: it needs a Vault server and the
# hashicorp/vault provider. Ephemeral resources need Terraform 1.10+ (every
# supported OpenTofu has them).
#
# One KV v2 secret, secret/viber/bots, holds one field per bot:
#   vault kv put -mount=secret viber/bots sales=... support=...
ephemeral "vault_kv_secret_v2" "viber_bots" {
  mount = "secret"
  name  = "viber/bots"
}

provider "viber" {
  # The secret's fields, by bot key: read at plan and again at apply, never
  # written to the state or to a saved plan.
  bots = ephemeral.vault_kv_secret_v2.viber_bots.data
}

resource "viber_webhook" "bots" {
  for_each = toset(["sales", "support"]) # the keys are configuration, not secrets

  bot = each.key
  url = "https://bots.example.com/viber/${each.key}"
}

# Against the local Viber, started as the guide shows: every apply sets real
# webhooks at api_url. Never point this at https://chatapi.viber.com with
# real tokens. These tokens are made up; only the emulator accepts them.
provider "viber" {
  api_url = "http://127.0.0.1:8080/pa"
  bots = {
    sales   = "5a1e5a1e5a1e5a1e-5a1e5a1e5a1e5a1e-5a1e5a1e5a1e5a1e"
    support = "50dd50dd50dd50dd-50dd50dd50dd50dd-50dd50dd50dd50dd"
  }
}

# The emulator's own bot endpoint (-endpoint 127.0.0.1:8443) answers Viber's
# check of every URL under it.
variables {
  bots = {
    sales   = "https://127.0.0.1:8443/viber/sales"
    support = "https://127.0.0.1:8443/viber/support"
  }
}

run "creates_a_webhook_per_bot" {
  assert {
    condition     = output.account_ids == { sales = "pa:100", support = "pa:200" }
    error_message = "The account IDs are not the bots' own."
  }
}

run "moves_the_sales_bot" {
  variables {
    bots = {
      sales   = "https://127.0.0.1:8443/viber/sales-v2"
      support = "https://127.0.0.1:8443/viber/support"
    }
  }

  assert {
    condition     = viber_webhook.bots["sales"].url == "https://127.0.0.1:8443/viber/sales-v2"
    error_message = "The sales bot's webhook did not move."
  }

  assert {
    condition     = viber_webhook.bots["sales"].id == "pa:100"
    error_message = "Moving the webhook changed the bot."
  }
}

run "drops_the_support_bot" {
  variables {
    bots = {
      sales = "https://127.0.0.1:8443/viber/sales-v2"
    }
  }

  assert {
    condition     = keys(viber_webhook.bots) == ["sales"]
    error_message = "The support bot's webhook is still managed."
  }
}

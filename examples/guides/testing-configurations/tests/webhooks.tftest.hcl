# No Viber at all: the mock answers in the provider's place (Terraform 1.7+,
# OpenTofu 1.8+). The runs need no token and call no API.
mock_provider "viber" {
  # Every webhook the mock creates gets this id instead of a random string.
  mock_resource "viber_webhook" {
    defaults = {
      id = "pa:0"
    }
  }
}

variables {
  bots = {
    sales   = "https://bots.example.com/viber/sales"
    support = "https://bots.example.com/viber/support"
  }
}

run "one_webhook_per_bot" {
  command = plan

  assert {
    condition     = keys(viber_webhook.bots) == ["sales", "support"]
    error_message = "The module plans a webhook for other bots than it was given."
  }

  assert {
    condition     = viber_webhook.bots["support"].url == "https://bots.example.com/viber/support"
    error_message = "The support bot's webhook has the wrong url."
  }

  assert {
    condition     = viber_webhook.bots["sales"].event_types == toset(["delivered", "failed"])
    error_message = "The sales bot's webhook asks for other events."
  }
}

run "refuses_a_query_string" {
  command = plan

  variables {
    bots = {
      sales = "https://bots.example.com/viber?bot=sales"
    }
  }

  expect_failures = [var.bots]
}

run "account_ids_from_the_mock" {
  assert {
    condition     = output.account_ids == { sales = "pa:0", support = "pa:0" }
    error_message = "The account IDs are not the mock's."
  }
}

# An override gives chosen values to one resource, over the mock's defaults.
mock_provider "viber" {}

variables {
  bots = {
    sales = "https://bots.example.com/viber/sales"
  }
}

run "account_id_from_an_override" {
  override_resource {
    target = viber_webhook.bots
    values = {
      id = "pa:75346594275468546724"
    }
  }

  assert {
    condition     = output.account_ids["sales"] == "pa:75346594275468546724"
    error_message = "The sales bot's account ID is not the override's."
  }
}

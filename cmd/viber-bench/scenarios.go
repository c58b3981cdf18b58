package main

import "fmt"

// scenario is one way of managing N bots' webhooks, measured side by side.
type scenario struct {
	name   string
	config func(n int, apiURL, endpoint string) string
	rss    bool   // the scenario runs a plugin whose peak memory is measured
	needs  string // a program the scenario runs, if any
}

// botsLocal declares N bots, each with a token in Viber's shape.
func botsLocal(n int) string {
	return fmt.Sprintf(`
locals {
  bots = { for i in range(%d) : format("bot%%04d", i) => format("%%016x-%%016x-%%016x", i, i, i) }
}
`, n)
}

const viberHeader = `
terraform {
  required_providers {
    viber = { source = "viberops/viber" }
  }
}
`

var scenarios = []scenario{
	{name: "viber_webhook", rss: true, config: func(n int, apiURL, endpoint string) string {
		return viberHeader + botsLocal(n) + fmt.Sprintf(`
provider "viber" {
  api_url = %q
}

resource "viber_webhook" "bot" {
  for_each   = local.bots
  auth_token = each.value
  url        = "%s/bots/${each.key}"
}
`, apiURL, endpoint)
	}},
	{name: "core floor (terraform_data)", config: func(n int, _, endpoint string) string {
		return botsLocal(n) + fmt.Sprintf(`
resource "terraform_data" "bot" {
  for_each = local.bots
  input    = "%s/bots/${each.key}"
}
`, endpoint)
	}},
	{name: "plugin floor (no-op provider)", rss: true, config: func(n int, _, endpoint string) string {
		return `
terraform {
  required_providers {
    noop = { source = "viberops/noop" }
  }
}
` + botsLocal(n) + fmt.Sprintf(`
resource "noop_thing" "bot" {
  for_each   = local.bots
  auth_token = each.value
  url        = "%s/bots/${each.key}"
}
`, endpoint)
	}},
	{name: "curl in local-exec", needs: "curl", config: func(n int, apiURL, endpoint string) string {
		return botsLocal(n) + fmt.Sprintf(`
resource "terraform_data" "bot" {
  for_each = local.bots
  input = {
    api   = %q
    token = each.value
    url   = "%s/bots/${each.key}"
  }
  # Without this a changed URL would never reach Viber: provisioners run
  # on create and destroy only.
  triggers_replace = [each.value, "%[2]s/bots/${each.key}"]

  provisioner "local-exec" {
    command = "curl -sS -o /dev/null -X POST -H 'X-Viber-Auth-Token: ${self.input.token}' -d '{\"url\":\"${self.input.url}\"}' ${self.input.api}/set_webhook"
  }

  provisioner "local-exec" {
    when    = destroy
    command = "curl -sS -o /dev/null -X POST -H 'X-Viber-Auth-Token: ${self.input.token}' -d '{\"url\":\"\"}' ${self.input.api}/set_webhook"
  }
}
`, apiURL, endpoint)
	}},
}

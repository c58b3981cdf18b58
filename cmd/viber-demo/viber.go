package main

import (
	"fmt"
	"io"
	"net/http/httptest"

	"github.com/viberops/terraform-provider-viber/internal/emulator"
)

// demoToken has the shape of a real token; it means nothing outside the demo.
const demoToken = "445da6a71f345e78-da5cc9b2542fb51a-e07c5f0a17480b29"

type localViber struct {
	emu      *emulator.Emulator
	endpoint *emulator.Endpoint
	server   *httptest.Server
	apiURL   string
}

// startLocalViber starts the emulator with one bot, and the bot's endpoint,
// whose certificate the emulator trusts as Viber trusts a CA-signed one.
func startLocalViber() *localViber {
	ep := emulator.NewEndpoint(demoToken)
	emu := emulator.New(emulator.WithCallbackClient(ep.Client()))
	emu.AddAccount(demoToken, emulator.Account{
		ID: "pa:5743508398247356810", Name: "Demo Bot", URI: "demobot", Category: "Utilities", Country: "UA",
	})
	srv := httptest.NewServer(emu)
	return &localViber{emu: emu, endpoint: ep, server: srv, apiURL: srv.URL + emulator.BasePath}
}

func (v *localViber) close() {
	v.server.Close()
	v.endpoint.Close()
}

func (v *localViber) showWebhook(out io.Writer) error {
	hook, ok := v.emu.Webhook(demoToken)
	if !ok {
		_, err := fmt.Fprintln(out, "no webhook set")
		return err
	}
	return printJSON(out, hook)
}

func (v *localViber) showCallbacks(out io.Writer) error {
	cbs := v.endpoint.Callbacks()
	if len(cbs) == 0 {
		return fmt.Errorf("the endpoint received no callback")
	}
	for _, cb := range cbs {
		fmt.Fprintf(out, "POST %s  signature verified: %v\n  %s\n", cb.Path, cb.Verified, cb.Body)
		if !cb.Verified {
			return fmt.Errorf("the callback's signature did not verify")
		}
	}
	return nil
}

func (v *localViber) showRequests(out io.Writer) {
	for _, r := range v.emu.Requests() {
		fmt.Fprintf(out, "POST %s/%s  %s\n", emulator.BasePath, r.Method, r.Body)
	}
}

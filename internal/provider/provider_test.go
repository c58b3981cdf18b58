package provider_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/viberops/terraform-provider-viber/internal/clitest"
	"github.com/viberops/terraform-provider-viber/internal/emulator"
	"github.com/viberops/terraform-provider-viber/internal/provider"
)

// Tokens in the shape Viber issues them.
const (
	testToken  = "44dafb7e0f40021e-61a47a1e6778d187-f2c5a676a07050b3"
	otherToken = "4453b6ac12345678-e02c5f12174805f9-daec9cbb5448c51f"
	testID     = "pa:75346594275468546724"
)

// TestMain runs the sweepers when -sweep is given (the live workflow does,
// whatever its tests did), and otherwise the tests, then removes the
// provider binary that the CLI-driven tests build.
func TestMain(m *testing.M) {
	flag.Parse()
	if f := flag.Lookup("sweep"); f != nil && f.Value.String() != "" {
		resource.TestMain(m) // runs the sweepers and exits
		return
	}
	code := m.Run()
	clitest.RemoveBuild()
	os.Exit(code)
}

var protoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"viber": providerserver.NewProtocol6WithError(provider.New("test")()),
}

// testViber is a local Viber with one bot, plus that bot's HTTPS endpoint,
// which the emulator trusts as if its certificate were CA-signed.
type testViber struct {
	emu      *emulator.Emulator
	endpoint *emulator.Endpoint
	apiURL   string
}

func newTestViber(t *testing.T) *testViber {
	t.Helper()
	ep := emulator.NewEndpoint(testToken)
	t.Cleanup(ep.Close)
	emu := emulator.New(emulator.WithCallbackClient(ep.Client()))
	emu.AddAccount(testToken, emulator.Account{ID: testID, Name: "Test Bot", URI: "testbot", Country: "UA"})
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	return &testViber{emu: emu, endpoint: ep, apiURL: srv.URL + emulator.BasePath}
}

// providerBlock configures the provider for this Viber with token, and
// retries fast enough for tests.
func (v *testViber) providerBlock(token string) string {
	return fmt.Sprintf(`
provider "viber" {
  api_url    = %q
  auth_token = %q
%s}
`, v.apiURL, token, fastRetry)
}

// fastRetry keeps the tests of retried failures short.
const fastRetry = `
  retry {
    min_delay_ms = 10
    max_delay_ms = 100
  }
`

// shortTimeouts makes an operation that can never succeed give up soon.
const shortTimeouts = `
timeouts {
  create = "2s"
  update = "2s"
}
`

// hookURL is a URL on the bot's endpoint.
func (v *testViber) hookURL(path string) string { return v.endpoint.URL() + path }

// lastSetWebhook checks that the latest set_webhook call sent exactly want.
func (v *testViber) lastSetWebhook(want string) func() error {
	return func() error {
		reqs := v.emu.RequestsTo("set_webhook")
		if len(reqs) == 0 {
			return fmt.Errorf("no set_webhook call was made")
		}
		return sameJSON(reqs[len(reqs)-1].Body, []byte(want))
	}
}

func sameJSON(got, want []byte) error {
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		return fmt.Errorf("body %s is not JSON: %v", got, err)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		return fmt.Errorf("expected body %s is not JSON: %v", want, err)
	}
	gb, _ := json.Marshal(g)
	wb, _ := json.Marshal(w)
	if string(gb) != string(wb) {
		return fmt.Errorf("set_webhook sent %s, want %s", gb, wb)
	}
	return nil
}

// Command viber-emulator serves the local Viber on its own, for trying the
// provider by hand: point the provider's api_url at the address it prints.
package main

import (
	"crypto/tls"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/viberops/terraform-provider-viber/internal/emulator"
)

// tokenFlags collects repeated -bot TOKEN=ACCOUNT_ID flags.
type tokenFlags map[string]string

func (f tokenFlags) String() string { return fmt.Sprint(map[string]string(f)) }

func (f tokenFlags) Set(v string) error {
	token, id, ok := strings.Cut(v, "=")
	if !ok || token == "" || id == "" {
		return fmt.Errorf("want TOKEN=ACCOUNT_ID, got %q", v)
	}
	f[token] = id
	return nil
}

func main() {
	bots := tokenFlags{}
	listen := flag.String("listen", "127.0.0.1:8080", "address to serve the Bot API on")
	insecure := flag.Bool("insecure-callbacks", false, "accept any certificate on webhook endpoints (real Viber requires a CA-signed one)")
	flag.Var(bots, "bot", "a bot as TOKEN=ACCOUNT_ID (repeatable)")
	flag.Parse()
	if len(bots) == 0 {
		bots["44dafb7e0f40021e-61a47a1e6778d187-f2c5a676a07050b3"] = "pa:75346594275468546724"
	}

	callback := &http.Client{Timeout: 10 * time.Second}
	if *insecure {
		callback.Transport = &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}} //nolint:gosec // opt-in, for local endpoints
	}
	emu := emulator.New(emulator.WithCallbackClient(callback))
	for token, id := range bots {
		emu.AddAccount(token, emulator.Account{ID: id, Name: "Bot " + id})
	}

	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("Local Viber: api_url = \"http://%s%s\" (%d bot(s))\n", ln.Addr(), emulator.BasePath, len(bots))
	srv := &http.Server{Handler: emu, ReadHeaderTimeout: 10 * time.Second}
	log.Fatal(srv.Serve(ln))
}

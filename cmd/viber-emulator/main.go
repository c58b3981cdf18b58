// Command viber-emulator serves the local Viber on its own, for trying the
// provider by hand and for testing configurations with terraform test:
// point the provider's api_url at the address it prints.
package main

import (
	"crypto/tls"
	"crypto/x509"
	"flag"
	"fmt"
	"log"
	"maps"
	"net"
	"net/http"
	"slices"
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
	endpoint := flag.String("endpoint", "", "also serve a bot endpoint over HTTPS on this address (e.g. 127.0.0.1:8443; its certificate "+
		"names 127.0.0.1 and ::1, not localhost), trusted by the emulator, answering 200 to callbacks signed with a -bot token")
	insecure := flag.Bool("insecure-callbacks", false, "accept any certificate on webhook endpoints (real Viber requires a CA-signed one)")
	flag.Var(bots, "bot", "a bot as TOKEN=ACCOUNT_ID (repeatable)")
	flag.Parse()
	if len(bots) == 0 {
		bots["44dafb7e0f40021e-61a47a1e6778d187-f2c5a676a07050b3"] = "pa:75346594275468546724"
	}

	transport := &http.Transport{Proxy: http.ProxyFromEnvironment, TLSClientConfig: &tls.Config{MinVersion: tls.VersionTLS12}}
	if *insecure {
		transport.TLSClientConfig.InsecureSkipVerify = true //nolint:gosec // opt-in, for local endpoints
	}
	if *endpoint != "" {
		ep, err := emulator.ListenEndpoint(*endpoint, slices.Collect(maps.Keys(bots))...)
		if err != nil {
			log.Fatal(err)
		}
		// The endpoint's certificate counts as CA-signed; other endpoints
		// are checked against the system's CAs as usual.
		roots, err := x509.SystemCertPool()
		if err != nil {
			roots = x509.NewCertPool()
		}
		roots.AddCert(ep.Certificate())
		transport.TLSClientConfig.RootCAs = roots
		fmt.Printf("Bot endpoint: %s (any path; answers 200 to callbacks signed with a -bot token)\n", ep.URL())
	}
	emu := emulator.New(emulator.WithCallbackClient(&http.Client{Timeout: 10 * time.Second, Transport: transport}))
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

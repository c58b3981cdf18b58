package emulator

import (
	"crypto/x509"
	"encoding/pem"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
)

// Endpoint is a bot's HTTPS webhook endpoint, on loopback: it verifies the
// signature of every callback against the tokens it knows and answers 200
// only to callbacks that carry a valid one, as a careful bot does.
type Endpoint struct {
	server *httptest.Server

	mu        sync.Mutex
	tokens    []string
	status    int // forced answer; 0 = verify and answer 200
	failNext  int // how many more requests get failStatus
	failWith  int
	callbacks []Callback
}

// Callback is one request the endpoint received.
type Callback struct {
	Path     string
	Query    string // the raw query, "" when there was none
	Body     []byte
	Verified bool // the signature matched one of the endpoint's tokens
}

// NewEndpoint starts an endpoint on 127.0.0.1 with a certificate that only
// clients from its Client method trust. Close it when done.
func NewEndpoint(tokens ...string) *Endpoint {
	ep := &Endpoint{tokens: tokens}
	ep.server = httptest.NewTLSServer(http.HandlerFunc(ep.serve))
	return ep
}

// ListenEndpoint is NewEndpoint on addr (host:port) rather than a random
// port, so that a person running the standalone emulator can write the
// endpoint's URLs into a configuration before starting it.
func ListenEndpoint(addr string, tokens ...string) (*Endpoint, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	ep := &Endpoint{tokens: tokens}
	ep.server = httptest.NewUnstartedServer(http.HandlerFunc(ep.serve))
	_ = ep.server.Listener.Close()
	ep.server.Listener = ln
	ep.server.StartTLS()
	return ep, nil
}

// URL is the endpoint's base URL (https://127.0.0.1:port).
func (ep *Endpoint) URL() string { return ep.server.URL }

// Client returns an HTTP client that trusts the endpoint's certificate:
// give it to the emulator (WithCallbackClient) so the endpoint counts as
// CA-signed.
func (ep *Endpoint) Client() *http.Client { return ep.server.Client() }

// Certificate is the endpoint's self-signed certificate, for a client that
// trusts it besides other roots.
func (ep *Endpoint) Certificate() *x509.Certificate { return ep.server.Certificate() }

// CertificatePEM is the endpoint's certificate, PEM-encoded, for clients
// outside Go (curl's CURL_CA_BUNDLE) to trust it.
func (ep *Endpoint) CertificatePEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ep.Certificate().Raw})
}

// Close stops the endpoint.
func (ep *Endpoint) Close() { ep.server.Close() }

// AddToken lets the endpoint verify callbacks for another bot.
func (ep *Endpoint) AddToken(token string) {
	ep.mu.Lock()
	defer ep.mu.Unlock()
	ep.tokens = append(ep.tokens, token)
}

// ForceStatus makes the endpoint answer every request with code (0 restores
// normal behaviour).
func (ep *Endpoint) ForceStatus(code int) {
	ep.mu.Lock()
	defer ep.mu.Unlock()
	ep.status = code
}

// FailNext makes the next n requests get status, as an endpoint that is
// still starting up does; later ones are answered normally.
func (ep *Endpoint) FailNext(n, status int) {
	ep.mu.Lock()
	defer ep.mu.Unlock()
	ep.failNext, ep.failWith = n, status
}

// Callbacks returns what the endpoint received, oldest first.
func (ep *Endpoint) Callbacks() []Callback {
	ep.mu.Lock()
	defer ep.mu.Unlock()
	return slices.Clone(ep.callbacks)
}

func (ep *Endpoint) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	sig := r.Header.Get(signatureHeader)

	ep.mu.Lock()
	verified := slices.ContainsFunc(ep.tokens, func(tok string) bool { return validSignature(tok, body, sig) })
	ep.callbacks = append(ep.callbacks, Callback{Path: r.URL.Path, Query: r.URL.RawQuery, Body: body, Verified: verified})
	status := ep.status
	if ep.failNext > 0 {
		ep.failNext--
		status = ep.failWith
	}
	ep.mu.Unlock()

	switch {
	case status != 0:
		w.WriteHeader(status)
	case !verified:
		http.Error(w, "bad signature", http.StatusUnauthorized)
	default:
		w.WriteHeader(http.StatusOK)
	}
}

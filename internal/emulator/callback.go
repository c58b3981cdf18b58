package emulator

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// CallbackEvent is the body of the availability callback.
type CallbackEvent struct {
	Event        string `json:"event"`
	Timestamp    int64  `json:"timestamp"`
	ChatHostname string `json:"chat_hostname,omitempty"`
	MessageToken int64  `json:"message_token"`
}

// availabilityCheck POSTs Viber's signed "webhook" event to u, as Viber does
// before it accepts a webhook. On failure it returns the status_message
// Viber would: a dump of its Java HTTP client's exchange.
func (e *Emulator) availabilityCheck(ctx context.Context, token string, u *url.URL) (string, bool) {
	e.mu.Lock()
	event := fmt.Sprintf(`{"event":"webhook","timestamp":%d,"chat_hostname":"SN-CHAT-03_","message_token":%d}`,
		e.now().UnixMilli(), e.rng.Int64())
	e.mu.Unlock()
	body := []byte(event)

	// Viber drops the query string from the check as from the stored URL: an
	// endpoint that routes on it was captured answering the check 404.
	target := *u
	target.RawQuery, target.ForceQuery = "", false
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target.String(), bytes.NewReader(body))
	if err != nil {
		return "URL not valid or not HTTPS", false
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(signatureHeader, sign(token, body))
	resp, err := e.callback.Do(req)
	if err != nil {
		return javaDump(u.Path, "null 0 null", javaException(err)), false
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return javaDump(u.Path, "HTTP/1.1 "+resp.Status, "null"), false
	}
	return "", true
}

// javaDump formats a failed exchange the way Viber's status 1 reports it.
func javaDump(path, response, exception string) string {
	return fmt.Sprintf("Result[HttpRequest[POST %s HTTP/1.1]@2a3ca559 > HttpResponse[%s]@79fcd025] %s", path, response, exception)
}

func javaException(err error) string {
	var (
		certErr  *tls.CertificateVerificationError
		unknown  x509.UnknownAuthorityError
		hostname x509.HostnameError
		recErr   tls.RecordHeaderError
	)
	switch {
	case errors.As(err, &certErr), errors.As(err, &unknown), errors.As(err, &hostname), errors.As(err, &recErr):
		return "javax.net.ssl.SSLHandshakeException: General SSLEngine problem"
	default:
		return "java.net.ConnectException: Connection refused"
	}
}

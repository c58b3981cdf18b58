package viber

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Status codes the Bot API answers with (HTTP 200, "status" in the body).
const (
	StatusOK                         = 0
	StatusInvalidURL                 = 1
	StatusInvalidAuthToken           = 2
	StatusBadData                    = 3
	StatusMissingData                = 4
	StatusPublicAccountBlocked       = 7
	StatusPublicAccountNotFound      = 8
	StatusPublicAccountSuspended     = 9
	StatusTooManyRequests            = 12
	StatusPublicAccountNotAuthorized = 15
)

var statusNames = map[int]string{
	0:  "ok",
	1:  "invalidUrl",
	2:  "invalidAuthToken",
	3:  "badData",
	4:  "missingData",
	5:  "receiverNotRegistered",
	6:  "receiverNotSubscribed",
	7:  "publicAccountBlocked",
	8:  "publicAccountNotFound",
	9:  "publicAccountSuspended",
	10: "webhookNotSet",
	11: "receiverNoSuitableDevice",
	12: "tooManyRequests",
	13: "apiVersionNotSupported",
	14: "incompatibleWithVersion",
	15: "publicAccountNotAuthorized",
	16: "inchatReplyMessageNotAllowed",
	17: "publicAccountIsNotInline",
	18: "noPublicChat",
	19: "cannotSendBroadcast",
	20: "broadcastNotAllowed",
	21: "unsupportedCountry",
	22: "paymentUnsupported",
	23: "freeMessagesExceeded",
	24: "noBalance",
}

// StatusName returns Viber's name for a status code; unknown codes are
// "generalError", as Viber documents.
func StatusName(code int) string {
	if name, ok := statusNames[code]; ok {
		return name
	}
	return "generalError"
}

// APIError is a non-zero status in a Bot API answer.
type APIError struct {
	Method  string // e.g. "set_webhook"
	Status  int
	Message string // status_message; empty when Viber sent none
}

func (e *APIError) Error() string {
	msg := fmt.Sprintf("viber %s: %s (%d)", e.Method, StatusName(e.Status), e.Status)
	if e.Message != "" {
		msg += ": " + e.Message
	}
	return msg
}

// AvailabilityCheckFailed reports whether Viber refused a webhook because
// its callback to the URL failed (endpoint down, TLS problem, non-200),
// rather than because the URL itself is unacceptable. Viber then answers
// status 1 with a dump of its Java HTTP client's exchange (captured
// 2017-2019), or with no status_message at all (captured 2021). Only
// "URL not valid or not HTTPS" (or any other message) is about the URL.
func (e *APIError) AvailabilityCheckFailed() bool {
	return e.Status == StatusInvalidURL && (e.Message == "" || strings.HasPrefix(e.Message, "Result["))
}

// Temporary reports whether the same request may succeed later.
func (e *APIError) Temporary() bool {
	return e.Status == StatusTooManyRequests || e.AvailabilityCheckFailed()
}

// HTTPError is an answer the client cannot use: a non-200 status, a body
// that is not a Bot API JSON document (a proxy's HTML page, an empty body),
// or a status-0 document with a field missing or of the wrong type (Err is
// then a *FieldError).
type HTTPError struct {
	Method     string
	StatusCode int
	Body       string // the start of the body, for the diagnostic
	Err        error  // what is wrong with the body, if the status was 200
	// Wait is what a 429 or 503 answer's Retry-After asked for; HasWait
	// tells "0 s" from "not asked".
	Wait    time.Duration
	HasWait bool
}

// RetryAfter is the wait the answer asked for, for package retry.
func (e *HTTPError) RetryAfter() (time.Duration, bool) { return e.Wait, e.HasWait }

func (e *HTTPError) Error() string {
	msg := fmt.Sprintf("viber %s: HTTP %d", e.Method, e.StatusCode)
	if e.HasWait {
		msg += fmt.Sprintf(" asking to retry after %s", e.Wait)
	}
	if e.Err != nil {
		msg += ", unusable answer (" + e.Err.Error() + ")"
	}
	if e.Body == "" {
		return msg + ", empty body"
	}
	return msg + ", body starts: " + e.Body
}

func (e *HTTPError) Unwrap() error { return e.Err }

// TokenFormatError is a token an HTTP header cannot carry (a control
// character inside it): nothing was sent, and retrying cannot help.
type TokenFormatError struct {
	Method string
}

func (e *TokenFormatError) Error() string {
	return fmt.Sprintf("viber %s: the auth token holds a character an HTTP header cannot carry (a line break or another "+
		"control character inside it), so nothing was sent. Check where the token comes from", e.Method)
}

// FieldError is a field of an answer that is missing, or whose value has
// the wrong type: the answer is otherwise a Bot API document.
type FieldError struct {
	Field string // its JSON name, dotted when nested: "id", "location.lat"
	Msg   string // names the field
}

func (e *FieldError) Error() string { return e.Msg }

// Temporary reports whether the same request may succeed later.
func (e *HTTPError) Temporary() bool {
	return e.StatusCode == 429 || e.StatusCode >= 500
}

// IsTemporary reports whether err is worth retrying: a transient Viber
// status, a 429/5xx answer, or a network failure.
func IsTemporary(err error) bool {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.Temporary()
	}
	var httpErr *HTTPError
	if errors.As(err, &httpErr) {
		return httpErr.Temporary()
	}
	var netErr *NetworkError
	return errors.As(err, &netErr)
}

// OutcomeUnknown reports whether a failed request may nonetheless have
// taken effect: it got no answer, or a gateway's error page, or its
// deadline passed while it was in flight, or an earlier attempt of it did
// one of these before retries gave up. Otherwise Viber's refusals
// (*APIError) are definite.
func OutcomeUnknown(err error) bool {
	var earlier *maybeAppliedError
	if errors.As(err, &earlier) || errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return false
	}
	var httpErr *HTTPError
	var netErr *NetworkError
	return errors.As(err, &netErr) || (errors.As(err, &httpErr) && httpErr.StatusCode >= 500)
}

// maybeAppliedError marks the final error of retries in which an earlier
// attempt's outcome was unknown: that attempt may have taken effect even
// though the last one was refused.
type maybeAppliedError struct{ err error }

func (e *maybeAppliedError) Error() string { return e.err.Error() }
func (e *maybeAppliedError) Unwrap() error { return e.err }

// RedirectError is an HTTP 3xx answer. It is never followed: the request
// carries the token, which must reach no other host.
type RedirectError struct {
	Method     string
	StatusCode int
	Host       string // where the redirect pointed
}

func (e *RedirectError) Error() string {
	return fmt.Sprintf("viber %s: HTTP %d redirect to %s, not followed", e.Method, e.StatusCode, e.Host)
}

// NetworkError is a request that got no answer at all.
type NetworkError struct {
	Method string
	Err    error
}

func (e *NetworkError) Error() string {
	return fmt.Sprintf("viber %s: no answer: %v", e.Method, e.Err)
}

func (e *NetworkError) Unwrap() error { return e.Err }

// TokenRejected reports whether Viber refused the call's auth token
// (invalidAuthToken): a wrong token, or one Viber has since replaced.
func TokenRejected(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.Status == StatusInvalidAuthToken
}

// parseRetryAfter reads a Retry-After header: seconds, or an HTTP date
// (a date already past asks for no wait). ok is false for anything else.
func parseRetryAfter(v string, now time.Time) (wait time.Duration, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 || secs > int64(24*time.Hour/time.Second) {
			return 0, false
		}
		return time.Duration(secs) * time.Second, true
	}
	when, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	// Rounded up, so that no retry comes before the time the server gave.
	return max((when.Sub(now) + time.Second - 1).Truncate(time.Second), 0), true
}

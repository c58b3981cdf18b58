package emulator

import (
	"net/http"
	"slices"
	"time"
)

// Faults makes the emulator misbehave on purpose, the way a real network
// and a real Viber do. Calls are counted per emulator, over the methods the
// faults apply to; when several faults fall on one call, the first listed
// here wins.
type Faults struct {
	// Methods the faults apply to, e.g. "set_webhook"; empty means all.
	Methods []string

	// DropEvery closes every Nth call's connection without an answer,
	// before the call is carried out.
	DropEvery int
	// DropAnswerEvery carries out every Nth call, then closes the
	// connection without answering: the client cannot know it took effect.
	DropAnswerEvery int
	// HTTPErrorEvery answers every Nth call with HTTPErrorStatus (default
	// 502) and an HTML page, as a proxy in front of Viber would.
	HTTPErrorEvery  int
	HTTPErrorStatus int
	// RetryAfter is the Retry-After header of those answers, as a proxy
	// that rate limits sends it (seconds or an HTTP date); none if empty.
	RetryAfter string
	// RateLimitEvery answers every Nth call with status 12 (tooManyRequests);
	// RateLimitFraction answers that fraction of calls so, at random.
	RateLimitEvery    int
	RateLimitFraction float64
	// Status answers every call with this non-zero Viber status.
	Status int
	// OmitAccountID answers get_account_info with status 0 and every field
	// but "id", as no documented Viber answer does: a client must refuse it
	// rather than record a bot without its identity.
	OmitAccountID bool

	// Latency delays every answer (faulty or not).
	Latency time.Duration
	// AnswerLatency carries out every call at once, then delays its
	// answer: a client that stops waiting cannot know the call took effect.
	AnswerLatency time.Duration
}

// SetFaults replaces the faults in force; the zero Faults switches them off.
func (e *Emulator) SetFaults(f Faults) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.faults = f
	e.faultCalls = 0
}

// fault is what to do to one call.
type fault int

const (
	noFault fault = iota
	dropFault
	dropAnswerFault
	httpErrorFault
	rateLimitFault
	statusFault
	omitIDFault
)

// faultFor counts a call of method and picks its fault, if any, with the
// faults (latency included) that apply to method.
func (e *Emulator) faultFor(method string) (fault, Faults) {
	e.mu.Lock()
	defer e.mu.Unlock()
	f := e.faults
	if len(f.Methods) > 0 && !slices.Contains(f.Methods, method) {
		return noFault, Faults{}
	}
	e.faultCalls++
	n := e.faultCalls
	every := func(k int) bool { return k > 0 && n%k == 0 }
	switch {
	case every(f.DropEvery):
		return dropFault, f
	case every(f.DropAnswerEvery):
		return dropAnswerFault, f
	case every(f.HTTPErrorEvery):
		return httpErrorFault, f
	case every(f.RateLimitEvery), f.RateLimitFraction > 0 && e.rng.Float64() < f.RateLimitFraction:
		return rateLimitFault, f
	case f.Status != 0:
		return statusFault, f
	case f.OmitAccountID && method == "get_account_info":
		return omitIDFault, f
	}
	return noFault, f
}

// dropConnection closes the client's connection without a word.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler) // net/http closes the connection
}

const gatewayPage = `<html>
<head><title>%d Bad Gateway</title></head>
<body><center><h1>%d Bad Gateway</h1></center><hr><center>nginx</center></body>
</html>`

// Package retry repeats an operation with exponential backoff and jitter
// until it succeeds, fails for good, or its deadline passes.
package retry

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// Policy says how long to wait between attempts and when to stop.
type Policy struct {
	MinDelay time.Duration // the first wait, before jitter
	MaxDelay time.Duration // no wait is longer
	// MaxAttempts stops after this many attempts; 0 means until the deadline.
	MaxAttempts int
	// MaxElapsed bounds the retries when the context has no deadline.
	MaxElapsed time.Duration
}

// Default is the policy the provider uses unless configured otherwise.
var Default = Policy{MinDelay: 500 * time.Millisecond, MaxDelay: 30 * time.Second, MaxElapsed: 5 * time.Minute}

// ExhaustedError is returned when the deadline or the attempt limit stops
// the retries. Last is the last answer an attempt received; Cut is the
// error of a further attempt that the deadline cut short (nil if none was),
// whose outcome is therefore unknown.
type ExhaustedError struct {
	Attempts int
	Elapsed  time.Duration
	Last     error
	Cut      error
	// Asked is the wait the last answer asked for (a Retry-After), when
	// waiting it would have passed the deadline; 0 otherwise.
	Asked time.Duration
}

func (e *ExhaustedError) Error() string {
	msg := fmt.Sprintf("gave up after %d attempts over %s: %v", e.Attempts, e.Elapsed.Round(time.Millisecond), e.Last)
	if e.Asked > 0 {
		msg += fmt.Sprintf(" (it asked to retry after %s, past the deadline)", e.Asked)
	}
	if e.Cut != nil {
		msg += fmt.Sprintf(" (then the deadline cut the last attempt short: %v)", e.Cut)
	}
	return msg
}

// Waiter is an error that says how long to wait before the next attempt,
// as an HTTP answer's Retry-After does.
type Waiter interface {
	RetryAfter() (time.Duration, bool)
}

func (e *ExhaustedError) Unwrap() []error {
	if e.Cut != nil {
		return []error{e.Last, e.Cut}
	}
	return []error{e.Last}
}

// Hooks make time and randomness injectable, for tests.
type Hooks struct {
	Now    func() time.Time
	Sleep  func(ctx context.Context, d time.Duration) error
	Jitter func() float64 // in [0, 1)
	// OnRetry is told of every failed attempt that will be retried.
	OnRetry func(attempt int, wait time.Duration, err error)
}

// Do calls op until it returns nil or an error retryable rejects, the
// attempts run out, or the next wait would end past the deadline (ctx's, or
// MaxElapsed from now). An error that is a Waiter sets the next wait to what
// it asks for, between MinDelay and MaxDelay. A cancelled context stops the wait at once. When
// the deadline cuts an attempt short after earlier ones failed, the result
// is an *ExhaustedError that keeps the last real answer: "deadline
// exceeded" alone would hide why the retries were needed.
func Do(ctx context.Context, p Policy, h Hooks, retryable func(error) bool, op func(context.Context) error) error {
	h = h.withDefaults()
	start := h.Now()
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = start.Add(p.MaxElapsed)
	}
	var last error
	for attempt := 1; ; attempt++ {
		err := op(ctx)
		if err == nil {
			return nil
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			if last != nil && errors.Is(ctxErr, context.DeadlineExceeded) {
				return &ExhaustedError{Attempts: attempt, Elapsed: h.Now().Sub(start), Last: last, Cut: err}
			}
			return err
		}
		if !retryable(err) {
			return err
		}
		last = err
		wait := p.Backoff(attempt, h.Jitter())
		var waiter Waiter
		asked, hasAsked := time.Duration(0), false
		if errors.As(err, &waiter) {
			asked, hasAsked = waiter.RetryAfter()
		}
		if hasAsked { // what the server asked for, within the policy's bounds: never a busy loop
			wait = min(max(asked, p.MinDelay), p.MaxDelay)
		}
		if p.MaxAttempts > 0 && attempt >= p.MaxAttempts {
			return &ExhaustedError{Attempts: attempt, Elapsed: h.Now().Sub(start), Last: err}
		}
		if h.Now().Add(wait).After(deadline) {
			e := &ExhaustedError{Attempts: attempt, Elapsed: h.Now().Sub(start), Last: err}
			if hasAsked {
				e.Asked = asked
			}
			return e
		}
		if h.OnRetry != nil {
			h.OnRetry(attempt, wait, err)
		}
		if err := h.Sleep(ctx, wait); err != nil {
			return err
		}
	}
}

// Backoff is the wait after the given failed attempt (1-based): MinDelay
// doubled per attempt, capped at MaxDelay, then "equal jitter": half of it
// fixed, half random, so that many clients spread out but none hammers.
func (p Policy) Backoff(attempt int, jitter float64) time.Duration {
	d := p.MinDelay
	for i := 1; i < attempt && d < p.MaxDelay; i++ {
		d *= 2
	}
	d = min(d, p.MaxDelay)
	return d/2 + time.Duration(jitter*float64(d/2))
}

func (h Hooks) withDefaults() Hooks {
	if h.Now == nil {
		h.Now = time.Now
	}
	if h.Sleep == nil {
		h.Sleep = sleep
	}
	if h.Jitter == nil {
		h.Jitter = rand.Float64
	}
	return h
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

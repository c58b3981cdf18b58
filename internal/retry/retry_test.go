package retry

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

var (
	errTransient = errors.New("transient")
	errFinal     = errors.New("final")
)

func isTransient(err error) bool { return errors.Is(err, errTransient) }

// fakeClock advances only when the code under test sleeps.
type fakeClock struct {
	now    time.Time
	waits  []time.Duration
	cancel context.CancelFunc // called at the first sleep, if set
}

func (c *fakeClock) hooks() Hooks {
	return Hooks{
		Now: func() time.Time { return c.now },
		Sleep: func(ctx context.Context, d time.Duration) error {
			c.waits = append(c.waits, d)
			if c.cancel != nil {
				c.cancel()
				return ctx.Err()
			}
			c.now = c.now.Add(d)
			return nil
		},
		Jitter: func() float64 { return 0.5 },
	}
}

func failing(times int, err error) (func(context.Context) error, *int) {
	calls := 0
	return func(context.Context) error {
		calls++
		if calls <= times {
			return err
		}
		return nil
	}, &calls
}

var policy = Policy{MinDelay: time.Second, MaxDelay: 8 * time.Second, MaxElapsed: time.Minute}

func TestRetriesTransientErrorsUntilSuccess(t *testing.T) {
	clock := &fakeClock{now: time.Unix(0, 0)}
	op, calls := failing(4, errTransient)
	if err := Do(context.Background(), policy, clock.hooks(), isTransient, op); err != nil {
		t.Fatalf("Do = %v, want success after retries", err)
	}
	if *calls != 5 {
		t.Errorf("calls = %d, want 5", *calls)
	}
	// Exponential, capped, with equal jitter at 0.5: 3/4 of 1s, 2s, 4s, 8s.
	want := []time.Duration{750 * time.Millisecond, 1500 * time.Millisecond, 3 * time.Second, 6 * time.Second}
	if len(clock.waits) != len(want) {
		t.Fatalf("waits = %v, want %v", clock.waits, want)
	}
	for i := range want {
		if clock.waits[i] != want[i] {
			t.Errorf("wait %d = %v, want %v", i, clock.waits[i], want[i])
		}
	}
}

func TestFinalErrorsAreNotRetried(t *testing.T) {
	clock := &fakeClock{now: time.Unix(0, 0)}
	op, calls := failing(10, errFinal)
	if err := Do(context.Background(), policy, clock.hooks(), isTransient, op); !errors.Is(err, errFinal) || *calls != 1 {
		t.Fatalf("Do = %v after %d calls, want errFinal after 1", err, *calls)
	}
}

func TestStopsAtTheDeadlineAndSaysWhy(t *testing.T) {
	clock := &fakeClock{now: time.Now()} // the context's deadline is on the real clock
	ctx, cancel := context.WithDeadline(context.Background(), clock.now.Add(20*time.Second))
	defer cancel()
	op, calls := failing(1000, errTransient)
	err := Do(ctx, policy, clock.hooks(), isTransient, op)
	var ex *ExhaustedError
	if !errors.As(err, &ex) || !errors.Is(err, errTransient) {
		t.Fatalf("Do = %v, want an ExhaustedError wrapping the last error", err)
	}
	// Waits 0.75+1.5+3+6+6 = 17.25s; the next (6s) would end past 20s.
	if ex.Attempts != 6 || *calls != 6 || ex.Elapsed != 17250*time.Millisecond {
		t.Errorf("attempts %d, calls %d, elapsed %v; want 6, 6, 17.25s", ex.Attempts, *calls, ex.Elapsed)
	}
	if !strings.Contains(err.Error(), "gave up after 6 attempts over 17.25s: transient") {
		t.Errorf("message = %q", err)
	}
}

// A slow machine can start an attempt that the deadline then cuts short:
// the error must still carry the last real answer, and say the cut
// attempt's outcome is unknown (it wraps the deadline).
func TestDeadlineDuringAnAttemptKeepsTheLastAnswer(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	calls := 0
	op := func(ctx context.Context) error {
		calls++
		if calls == 1 {
			return errTransient
		}
		<-ctx.Done() // the second attempt hangs until the deadline
		return fmt.Errorf("attempt: %w", ctx.Err())
	}
	clock := &fakeClock{now: time.Unix(0, 0)} // sleeps return at once
	err := Do(ctx, policy, clock.hooks(), isTransient, op)
	var ex *ExhaustedError
	if !errors.As(err, &ex) || ex.Attempts != 2 || !errors.Is(ex.Last, errTransient) {
		t.Fatalf("Do = %v, want an ExhaustedError after 2 attempts keeping the transient answer", err)
	}
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "cut the last attempt short") {
		t.Errorf("Do = %v, want it to say the deadline cut the last attempt short", err)
	}
}

// Without an earlier answer, the deadline's own error is the result.
func TestDeadlineDuringTheFirstAttempt(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	op := func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }
	var ex *ExhaustedError
	if err := Do(ctx, policy, Hooks{}, isTransient, op); !errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ex) {
		t.Fatalf("Do = %v, want the plain deadline error", err)
	}
}

func TestMaxElapsedWithoutDeadline(t *testing.T) {
	clock := &fakeClock{now: time.Unix(0, 0)}
	p := policy
	p.MaxElapsed = 3 * time.Second
	op, _ := failing(1000, errTransient)
	var ex *ExhaustedError
	if err := Do(context.Background(), p, clock.hooks(), isTransient, op); !errors.As(err, &ex) || ex.Attempts != 3 {
		t.Fatalf("Do = %v, want to stop after 3 attempts within 3s", err)
	}
}

func TestMaxAttempts(t *testing.T) {
	clock := &fakeClock{now: time.Unix(0, 0)}
	p := policy
	p.MaxAttempts = 2
	op, calls := failing(1000, errTransient)
	var ex *ExhaustedError
	if err := Do(context.Background(), p, clock.hooks(), isTransient, op); !errors.As(err, &ex) || *calls != 2 {
		t.Fatalf("Do = %v after %d calls, want to stop after 2", err, *calls)
	}
}

func TestCancellationStopsTheWait(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	clock := &fakeClock{now: time.Unix(0, 0), cancel: cancel}
	op, calls := failing(1000, errTransient)
	if err := Do(ctx, policy, clock.hooks(), isTransient, op); !errors.Is(err, context.Canceled) || *calls != 1 {
		t.Fatalf("Do = %v after %d calls, want context.Canceled after 1", err, *calls)
	}
}

func TestRealSleepHonoursCancellation(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start := time.Now()
	if err := sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) || time.Since(start) > time.Second {
		t.Fatalf("sleep = %v after %v", err, time.Since(start))
	}
}

func TestBackoffBounds(t *testing.T) {
	for attempt := 1; attempt < 70; attempt++ {
		for _, j := range []float64{0, 0.999} {
			d := policy.Backoff(attempt, j)
			if d < policy.MinDelay/2 || d > policy.MaxDelay {
				t.Fatalf("Backoff(%d, %v) = %v, outside [%v, %v]", attempt, j, d, policy.MinDelay/2, policy.MaxDelay)
			}
		}
	}
}

// askingErr is a transient error whose answer asked for a wait.
type askingErr struct{ wait time.Duration }

func (e askingErr) Error() string                     { return fmt.Sprintf("rate limited, retry after %s", e.wait) }
func (e askingErr) Unwrap() error                     { return errTransient }
func (e askingErr) RetryAfter() (time.Duration, bool) { return e.wait, true }

func TestRetryAfterSetsTheNextWait(t *testing.T) {
	clock := &fakeClock{now: time.Unix(0, 0)}
	op, calls := failing(1, askingErr{2 * time.Second})
	if err := Do(context.Background(), policy, clock.hooks(), isTransient, op); err != nil {
		t.Fatalf("Do = %v, want success after one retry", err)
	}
	if *calls != 2 || len(clock.waits) != 1 || clock.waits[0] != 2*time.Second {
		t.Errorf("%d calls, waits %v; want one wait of exactly 2s, as asked (no backoff, no jitter)", *calls, clock.waits)
	}
}

func TestRetryAfterIsBoundedByMaxDelay(t *testing.T) {
	clock := &fakeClock{now: time.Unix(0, 0)}
	op, _ := failing(1, askingErr{time.Minute})
	p := policy
	p.MaxElapsed = time.Hour
	if err := Do(context.Background(), p, clock.hooks(), isTransient, op); err != nil {
		t.Fatal(err)
	}
	if len(clock.waits) != 1 || clock.waits[0] != p.MaxDelay {
		t.Errorf("waits %v, want one of the policy's maximum, %s", clock.waits, p.MaxDelay)
	}
}

func TestRetryAfterPastTheDeadlineEndsWithWhatWasAsked(t *testing.T) {
	clock := &fakeClock{now: time.Unix(0, 0)}
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(time.Hour))
	defer cancel()
	h := clock.hooks()
	deadline, _ := ctx.Deadline()
	clock.now = deadline.Add(-5 * time.Second) // 5 s left
	op, calls := failing(10, askingErr{8 * time.Second})
	err := Do(ctx, policy, h, isTransient, op)
	var exhausted *ExhaustedError
	if !errors.As(err, &exhausted) || exhausted.Asked != 8*time.Second || *calls != 1 || len(clock.waits) != 0 {
		t.Fatalf("Do = %v after %d calls and waits %v; want it to stop at once, naming the 8s asked for", err, *calls, clock.waits)
	}
	if !strings.Contains(err.Error(), "asked to retry after 8s, past the deadline") {
		t.Errorf("error %q does not say what was asked", err)
	}
}

// A Retry-After of 0 (or a date already past) must not make a busy loop.
func TestRetryAfterZeroWaitsAtLeastMinDelay(t *testing.T) {
	clock := &fakeClock{now: time.Unix(0, 0)}
	op, _ := failing(1, askingErr{0})
	if err := Do(context.Background(), policy, clock.hooks(), isTransient, op); err != nil {
		t.Fatal(err)
	}
	if len(clock.waits) != 1 || clock.waits[0] != policy.MinDelay {
		t.Errorf("waits %v, want one of MinDelay, %s", clock.waits, policy.MinDelay)
	}
}

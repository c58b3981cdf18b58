package provider_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-version"

	"github.com/viberops/terraform-provider-viber/internal/clitest"
)

// The walk: from a seed, a random sequence of what users and pipelines do
// to a small fleet, each step run with the real CLI against the local
// Viber, and the provider's invariants (walk_check_test.go) checked after
// every step. A failing seed is shrunk to a shorter sequence that still
// fails, and printed with one command that replays it.
//
//	WALK_SEEDS   seeds to walk: "1..200", "7" or "3,9" (default: makeTestSeeds)
//	WALK_STEPS   steps per seed, a settle added last (default 12)
//	WALK_REPLAY  a step list as a failure prints it, walked instead of a seed's
//	WALK_SHRINK  time to spend shrinking a failure (default 5m; 0: none)
//	WALK_OUT     a directory that keeps each failing seed's report
func TestAccWalk(t *testing.T) {
	cli := clitest.CLIFromEnv(t)
	seeds, err := parseSeeds(envOr("WALK_SEEDS", makeTestSeeds))
	if err != nil {
		t.Fatal(err)
	}
	steps, err := strconv.Atoi(envOr("WALK_STEPS", "12"))
	if err != nil || steps < 1 {
		t.Fatalf("WALK_STEPS=%q: want a positive number", os.Getenv("WALK_STEPS"))
	}
	shrinkFor, err := time.ParseDuration(envOr("WALK_SHRINK", "5m"))
	if err != nil {
		t.Fatalf("WALK_SHRINK: %v", err)
	}
	caps := cliCaps(t, cli)
	var total walkStats
	start := time.Now()
	defer func() {
		total.minutes = time.Since(start).Minutes()
		t.Logf("walk figures (%s): %s", filepath.Base(cli), total)
	}()
	if replay := os.Getenv("WALK_REPLAY"); replay != "" {
		seq, err := parseSteps(replay)
		if err != nil {
			t.Fatal(err)
		}
		seed := seeds[0]
		run := walkSeq(t, cli, caps, seed, seq)
		total.add(run.stats)
		if run.failure != nil {
			t.Fatal(run.report(seed, seq, cli))
		}
		return
	}
	for _, seed := range seeds {
		seq := generateWalk(seed, steps)
		run := walkSeq(t, cli, caps, seed, seq)
		total.add(run.stats)
		total.seeds++
		if run.failure == nil {
			continue
		}
		report := run.report(seed, seq, cli)
		if shrinkFor > 0 {
			short, shortRun := shrinkWalk(t, cli, caps, seed, seq, shrinkFor)
			if len(short) < len(seq) {
				report += "\n\nShrunk to a shorter sequence that still fails:\n" + shortRun.report(seed, short, cli)
			}
		}
		if dir := os.Getenv("WALK_OUT"); dir != "" {
			_ = os.MkdirAll(dir, 0o755)
			_ = os.WriteFile(filepath.Join(dir, fmt.Sprintf("seed-%d.txt", seed)), []byte(report), 0o644)
		}
		t.Errorf("%s", report)
	}
}

// walkSeq walks seq once, from a fresh Viber and working directory.
func walkSeq(t *testing.T, cli string, caps walkCaps, seed uint64, seq []walkStep) *walkRun {
	t.Helper()
	run := &walkRun{}
	t.Run(fmt.Sprintf("seed=%d/steps=%d", seed, len(seq)), func(t *testing.T) {
		w := newWalk(t, cli, caps, seed)
		run = w.run
		if w.setup(); run.failure != nil {
			return
		}
		for i, s := range seq {
			if w.step(i, s); run.failure != nil {
				return
			}
		}
		if testing.Verbose() {
			t.Logf("walked:\n  %s", strings.Join(run.history, "\n  "))
		}
	})
	return run
}

// shrinkWalk removes chunks of seq, then single steps, keeping each removal
// after which the walk still fails, until nothing more can go or the time
// is up. The settle that ends every walk stays.
func shrinkWalk(t *testing.T, cli string, caps walkCaps, seed uint64, seq []walkStep, budget time.Duration) ([]walkStep, *walkRun) {
	deadline := time.Now().Add(budget)
	best, bestRun := seq, (*walkRun)(nil)
	for chunk := len(best) / 2; chunk >= 1 && time.Now().Before(deadline); chunk /= 2 {
		for i := 0; i+chunk < len(best) && time.Now().Before(deadline); {
			try := append(append([]walkStep{}, best[:i]...), best[i+chunk:]...)
			if run := walkSeq(t, cli, caps, seed, try); run.failure != nil {
				best, bestRun = try, run
				continue // the same i now holds the next chunk
			}
			i += chunk
		}
	}
	if bestRun == nil {
		bestRun = walkSeq(t, cli, caps, seed, best)
	}
	return best, bestRun
}

// walkCaps is what the CLI under test supports.
type walkCaps struct {
	ephemeral bool // ephemeral variables: Terraform 1.10+, OpenTofu 1.11+
}

func cliCaps(t *testing.T, cli string) walkCaps {
	got, err := clitest.Version(cli)
	if err != nil {
		t.Fatal(err)
	}
	need := "1.10.0"
	if clitest.IsOpenTofu(cli) {
		need = "1.11.0"
	}
	return walkCaps{ephemeral: !got.LessThan(version.Must(version.NewVersion(need)))}
}

// parseSeeds reads "a..b", "a" or "a,b,c".
func parseSeeds(s string) ([]uint64, error) {
	if lo, hi, ok := strings.Cut(s, ".."); ok {
		a, err1 := strconv.ParseUint(lo, 10, 64)
		b, err2 := strconv.ParseUint(hi, 10, 64)
		if err1 != nil || err2 != nil || b < a {
			return nil, fmt.Errorf("WALK_SEEDS=%q: want a..b with a <= b", s)
		}
		var seeds []uint64
		for n := a; n <= b; n++ {
			seeds = append(seeds, n)
		}
		return seeds, nil
	}
	var seeds []uint64
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.ParseUint(strings.TrimSpace(f), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("WALK_SEEDS=%q: %v", s, err)
		}
		seeds = append(seeds, n)
	}
	return seeds, nil
}

// makeTestSeeds are the seeds make test walks under each CLI: among the
// first 40, ones whose walks catch each safeguard that make walk-mutants
// breaks (cmd/walk-mutants), so that the short walk guards them all.
const makeTestSeeds = "3,6,24"

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// walkStats are the figures a walk reports.
type walkStats struct {
	seeds, steps, calls, failed, refusals, remedies int
	minutes                                         float64
}

func (s *walkStats) add(o walkStats) {
	s.steps += o.steps
	s.calls += o.calls
	s.failed += o.failed
	s.refusals += o.refusals
	s.remedies += o.remedies
}

func (s walkStats) String() string {
	return fmt.Sprintf("%d seeds, %d steps, %d CLI calls, %d failed steps (%d documented refusals), %d remedies applied, %.1f minutes",
		s.seeds, s.steps, s.calls, s.failed, s.refusals, s.remedies, s.minutes)
}

// newRand is the walk's source of choices for seed.
func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x7669626572)) }

// walkContext is the context of every CLI call of a walk.
func walkContext() context.Context { return context.Background() }

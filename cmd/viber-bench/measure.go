package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/viberops/terraform-provider-viber/internal/clitest"
	"github.com/viberops/terraform-provider-viber/internal/emulator"
)

// localViber is the emulator with N bots, counting TCP connections.
type localViber struct {
	emu      *emulator.Emulator
	endpoint *emulator.Endpoint
	server   *httptest.Server
	apiURL   string
	conns    atomic.Int64
}

func startViber(n int, latency time.Duration) *localViber {
	ep := emulator.NewEndpoint()
	ep.ForceStatus(http.StatusOK) // signature checks would cost the endpoint O(N) per callback
	v := &localViber{emu: emulator.New(emulator.WithCallbackClient(ep.Client()), emulator.WithSeed(1)), endpoint: ep}
	for i := range n {
		v.emu.AddAccount(fmt.Sprintf("%016x-%016x-%016x", i, i, i), emulator.Account{ID: fmt.Sprintf("pa:%d", 1000+i)})
	}
	v.emu.SetFaults(emulator.Faults{Latency: latency})
	v.server = httptest.NewUnstartedServer(v.emu)
	v.server.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			v.conns.Add(1)
		}
	}
	v.server.Start()
	v.apiURL = v.server.URL + emulator.BasePath
	return v
}

func (v *localViber) close() {
	v.server.Close()
	v.endpoint.Close()
}

// phase is what one CLI command cost.
type phase struct {
	wall     time.Duration
	requests map[string]int // by API method
	conns    int64
	peakRSS  int64 // bytes; 0 when not measured
}

// run times one CLI command and counts what the local Viber saw.
func (v *localViber) run(ctx context.Context, w *clitest.Workdir, measureRSS bool, args ...string) (phase, error) {
	v.emu.ResetRequests()
	v.conns.Store(0)
	var stdout, stderr bytes.Buffer
	cmd := w.Command(ctx, &stdout, &stderr, args...)
	var rss rssSampler
	if measureRSS {
		rss.start()
	}
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	peak := rss.stop()
	if err != nil {
		return phase{}, fmt.Errorf("%s: %v\n%s%s", strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	p := phase{wall: wall, requests: map[string]int{}, conns: v.conns.Load(), peakRSS: peak}
	for _, r := range v.emu.Requests() {
		p.requests[r.Method]++
	}
	return p, nil
}

// rssSampler follows the peak resident memory (VmHWM) of provider plugin
// processes while a command runs.
type rssSampler struct {
	done chan struct{}
	wg   sync.WaitGroup
	peak atomic.Int64
}

func (s *rssSampler) start() {
	s.done = make(chan struct{})
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			s.sample()
			select {
			case <-s.done:
				return
			case <-t.C:
			}
		}
	}()
}

func (s *rssSampler) stop() int64 {
	if s.done == nil {
		return 0
	}
	close(s.done)
	s.wg.Wait()
	return s.peak.Load()
}

func (s *rssSampler) sample() {
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		comm, err := os.ReadFile(filepath.Join(d, "comm"))
		if err != nil || !strings.HasPrefix(string(comm), "terraform-provi") {
			continue
		}
		status, err := os.ReadFile(filepath.Join(d, "status"))
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(status), "\n") {
			if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
				kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
				if b := kb * 1024; b > s.peak.Load() {
					s.peak.Store(b)
				}
			}
		}
	}
}

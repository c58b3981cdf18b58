package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/viberops/terraform-provider-viber/internal/clitest"
	"github.com/viberops/terraform-provider-viber/internal/emulator"
)

// localViber is the emulator with N bots, counting TCP connections: all
// that were opened, and the most that were open at once.
type localViber struct {
	emu      *emulator.Emulator
	endpoint *emulator.Endpoint
	server   *httptest.Server
	apiURL   string // https, with a certificate from caFile's throwaway CA
	caFile   string

	mu       sync.Mutex // guards the counts below
	conns    int64      // opened since the last reset
	open     int64
	peakOpen int64 // since the last reset
}

// startViber serves the emulator over HTTPS, as Viber is met, with a
// certificate from a throwaway CA that the CLI's processes (the provider,
// curl) are told to trust through SSL_CERT_FILE and CURL_CA_BUNDLE.
func startViber(n int, latency time.Duration, dir string) (*localViber, error) {
	ep := emulator.NewEndpoint()
	ep.ForceStatus(http.StatusOK) // signature checks would cost the endpoint O(N) per callback
	v := &localViber{emu: emulator.New(emulator.WithCallbackClient(ep.Client()), emulator.WithSeed(1)), endpoint: ep}
	for i := range n {
		v.emu.AddAccount(botToken(i), emulator.Account{ID: botID(i)})
	}
	v.emu.SetFaults(emulator.Faults{Latency: latency})
	v.server = httptest.NewUnstartedServer(v.emu)
	v.server.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		v.mu.Lock()
		defer v.mu.Unlock()
		switch s {
		case http.StateNew:
			v.conns++
			v.open++
			v.peakOpen = max(v.peakOpen, v.open)
		case http.StateClosed, http.StateHijacked:
			v.open--
		}
	}
	cert, caPEM, err := throwawayCA()
	if err != nil {
		return nil, err
	}
	v.caFile = filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(v.caFile, caPEM, 0o600); err != nil {
		return nil, err
	}
	v.server.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	v.server.StartTLS()
	v.apiURL = v.server.URL + emulator.BasePath
	return v, nil
}

// botToken, botKey and botID are the i-th bot's token, its key in the
// configurations' bots (see botsLocal) and its account ID.
func botToken(i int) string { return fmt.Sprintf("%016x-%016x-%016x", i, i, i) }
func botKey(i int) string   { return fmt.Sprintf("bot%04d", i) }
func botID(i int) string    { return fmt.Sprintf("pa:%d", 1000+i) }

// env is what the CLI's processes need to trust the local Viber.
func (v *localViber) env() []string {
	return []string{"SSL_CERT_FILE=" + v.caFile, "CURL_CA_BUNDLE=" + v.caFile}
}

// throwawayCA makes a CA and a certificate it signs for 127.0.0.1, and
// returns the certificate (with its key) and the CA's PEM.
func throwawayCA() (tls.Certificate, []byte, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	now := time.Now()
	ca := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "viber-bench throwaway CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	leaf := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback}, DNSNames: []string{"localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leaf, ca, &key.PublicKey, caKey)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER})
	return tls.Certificate{Certificate: [][]byte{leafDER, caDER}, PrivateKey: key}, caPEM, nil
}

// resetConns starts counting connections afresh; those still open count
// as open.
func (v *localViber) resetConns() {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.conns, v.peakOpen = 0, v.open
}

// connCounts returns the connections opened, and the most open at once,
// since the last reset.
func (v *localViber) connCounts() (opened, peakOpen int64) {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.conns, v.peakOpen
}

func (v *localViber) close() {
	v.server.Close()
	v.endpoint.Close()
}

// phase is what one CLI command cost.
type phase struct {
	wall     time.Duration
	requests map[string]int // by API method
	// bots is how many bots the command called Viber for; roundTrips the
	// waits for Viber it made, summed over them: calls to one bot that
	// overlap in time are one round trip.
	bots, roundTrips int
	conns            int64 // TCP connections opened
	peakOpen         int64 // the most open at once
	peakCalls        int   // the most API calls being answered at once
	peakRSS          int64 // bytes; 0 when not measured
	// CPU seconds: the CLI with every process it ran (plugins, curl), the
	// measured plugin alone, and the local Viber (this process).
	cliCPU, pluginCPU, viberCPU float64
}

// run times one CLI command and counts what the local Viber saw.
func (v *localViber) run(ctx context.Context, w *clitest.Workdir, measurePlugin bool, args ...string) (phase, error) {
	p, _, err := v.runOutput(ctx, w, measurePlugin, args...)
	return p, err
}

// runOutput is run that also returns what the command printed on stdout.
func (v *localViber) runOutput(ctx context.Context, w *clitest.Workdir, measurePlugin bool, args ...string) (phase, string, error) {
	v.emu.ResetRequests()
	v.resetConns()
	var stdout, stderr bytes.Buffer
	cmd := w.Command(ctx, &stdout, &stderr, args...)
	viberCPU := selfCPU()
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return phase{}, "", err
	}
	var plugins pluginSampler
	if measurePlugin {
		plugins.start(cmd.Process.Pid)
	}
	err := cmd.Wait()
	wall := time.Since(start)
	peak, pluginCPU, sampling := plugins.stop()
	if err != nil {
		return phase{}, "", fmt.Errorf("%s: %v\n%s%s", strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	conns, peakOpen := v.connCounts()
	p := phase{
		wall: wall, requests: map[string]int{}, conns: conns, peakOpen: peakOpen, peakRSS: peak,
		cliCPU:    (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds(),
		pluginCPU: pluginCPU,
		viberCPU:  selfCPU() - viberCPU - sampling.Seconds(),
	}
	reqs := v.emu.Requests()
	for _, r := range reqs {
		p.requests[r.Method]++
	}
	p.bots, p.roundTrips = roundTrips(reqs)
	p.peakCalls = peakCalls(reqs)
	return p, stdout.String(), nil
}

// peakCalls is the most calls that were being answered at once.
func peakCalls(reqs []emulator.Request) int {
	type edge struct {
		at    time.Time
		delta int // +1 a call arrives, -1 it is answered
	}
	var edges []edge
	for _, r := range reqs {
		edges = append(edges, edge{r.Start, 1}, edge{r.End, -1})
	}
	// At the same instant an answer comes before an arrival: a call that
	// starts as another ends does not overlap it.
	slices.SortFunc(edges, func(a, b edge) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return a.delta - b.delta
	})
	open, peak := 0, 0
	for _, e := range edges {
		open += e.delta
		peak = max(peak, open)
	}
	return peak
}

// roundTrips counts, for each bot, the calls that had to wait for earlier
// ones: a call that starts before every earlier call to the bot has been
// answered shares their round trip.
func roundTrips(reqs []emulator.Request) (bots, trips int) {
	byBot := map[string][]emulator.Request{}
	for _, r := range reqs {
		byBot[r.AccountID] = append(byBot[r.AccountID], r)
	}
	for _, calls := range byBot {
		slices.SortFunc(calls, func(a, b emulator.Request) int { return a.Start.Compare(b.Start) })
		var answered time.Time // the last answer so far
		for i, c := range calls {
			if i == 0 || !c.Start.Before(answered) {
				trips++
			}
			if c.End.After(answered) {
				answered = c.End
			}
		}
	}
	return len(byBot), trips
}

// pluginSampler follows the provider plugin processes a CLI command starts
// (its descendants named terraform-provider-*): their peak resident memory
// (VmHWM, which the kernel keeps as a high-water mark) and their CPU time.
// It reads only that process tree, every 50 ms, and keeps count of its own
// time, so that the cost of measuring can be told apart.
type pluginSampler struct {
	root int // the CLI's pid
	done chan struct{}
	wg   sync.WaitGroup
	mu   sync.Mutex
	peak int64           // bytes
	cpu  map[int]float64 // seconds, by pid, as last seen
	own  time.Duration   // spent sampling
}

func (s *pluginSampler) start(root int) {
	s.root, s.done, s.cpu = root, make(chan struct{}), map[int]float64{}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		t := time.NewTicker(50 * time.Millisecond)
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

// stop returns the peak RSS in bytes, the CPU seconds of all plugins and
// the time spent sampling.
func (s *pluginSampler) stop() (int64, float64, time.Duration) {
	if s.done == nil {
		return 0, 0, 0
	}
	close(s.done)
	s.wg.Wait()
	total := 0.0
	for _, c := range s.cpu {
		total += c
	}
	return s.peak, total, s.own
}

func (s *pluginSampler) sample() {
	start := time.Now()
	defer func() { s.own += time.Since(start) }()
	for _, pid := range plugins(s.root) {
		dir := filepath.Join("/proc", strconv.Itoa(pid))
		hwm := statusKB(filepath.Join(dir, "status"), "VmHWM:") * 1024
		cpu, ok := cpuSeconds(filepath.Join(dir, "stat"))
		s.mu.Lock()
		s.peak = max(s.peak, hwm)
		if ok {
			s.cpu[pid] = cpu
		}
		s.mu.Unlock()
	}
}

// plugins lists the plugin processes (named terraform-provider-*) below
// root, walking /proc/<pid>/task/*/children but not below plugins (they
// start nothing).
func plugins(root int) []int {
	var out []int
	queue := []int{root}
	for len(queue) > 0 {
		pid := queue[0]
		queue = queue[1:]
		if comm, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid)); strings.HasPrefix(string(comm), "terraform-provi") {
			out = append(out, pid)
			continue
		}
		files, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", pid))
		for _, f := range files {
			b, _ := os.ReadFile(f)
			for _, field := range strings.Fields(string(b)) {
				if child, err := strconv.Atoi(field); err == nil {
					queue = append(queue, child)
				}
			}
		}
	}
	return out
}

func statusKB(path, key string) int64 {
	status, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, key); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb
		}
	}
	return 0
}

// cpuSeconds reads utime + stime from /proc/<pid>/stat (in USER_HZ, 100
// per second on Linux).
func cpuSeconds(path string) (float64, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(string(b[i+1:])) // f[0] is field 3 (state)
	if len(f) < 13 {
		return 0, false
	}
	utime, err1 := strconv.ParseFloat(f[11], 64)
	stime, err2 := strconv.ParseFloat(f[12], 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return (utime + stime) / 100, true
}

// selfCPU is the CPU seconds this process (the local Viber, its endpoint
// and the sampler) has used so far.
func selfCPU() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

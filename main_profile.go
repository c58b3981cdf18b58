//go:build profile

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"time"
)

// With the profile build tag (make bench-profile) and VIBER_PROFILE_DIR
// set, each provider process writes a CPU profile and, when Terraform stops
// it, a heap profile into that folder. Release builds never contain this.
func init() {
	dir := os.Getenv("VIBER_PROFILE_DIR")
	if dir == "" {
		return
	}
	name := func(kind string) string { return filepath.Join(dir, fmt.Sprintf("%s-%d.pprof", kind, os.Getpid())) }
	cpu, err := os.Create(name("cpu"))
	if err != nil || pprof.StartCPUProfile(cpu) != nil {
		return
	}
	go watchPeak(name("heap-peak"))
	afterServe = func() {
		pprof.StopCPUProfile()
		_ = cpu.Close()
		if heap, err := os.Create(name("heap")); err == nil {
			runtime.GC() // twice: a heap profile shows the state as of the last complete cycle
			runtime.GC()
			_ = pprof.Lookup("allocs").WriteTo(heap, 0)
			_ = heap.Close()
		}
	}
}

// watchPeak writes an in-use heap profile whenever the live heap reaches a
// new high, so the profile left behind shows what the peak was made of.
func watchPeak(path string) {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	var high uint64
	for range time.Tick(50 * time.Millisecond) {
		metrics.Read(sample)
		if live := sample[0].Value.Uint64(); live > high+high/5 {
			high = live
			for kind, file := range map[string]string{"heap": path, "goroutine": path + ".goroutines"} {
				if f, err := os.Create(file); err == nil {
					_ = pprof.Lookup(kind).WriteTo(f, 0)
					_ = f.Close()
				}
			}
		}
	}
}

package provider

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
)

func TestIdentityCacheLooksUpOncePerToken(t *testing.T) {
	var c identityCache
	var calls atomic.Int32
	fetch := func() (string, error) {
		calls.Add(1)
		return "pa:1", nil
	}
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if id, err := c.lookup("token-a", fetch); err != nil || id != "pa:1" {
				t.Errorf("lookup = %q, %v", id, err)
			}
		}()
	}
	wg.Wait()
	if n := calls.Load(); n != 1 {
		t.Errorf("20 concurrent lookups of one token fetched %d times, want 1", n)
	}
	if _, err := c.lookup("token-b", fetch); err != nil || calls.Load() != 2 {
		t.Errorf("another token was not looked up on its own (calls %d, err %v)", calls.Load(), err)
	}
}

func TestIdentityCacheDoesNotCacheFailures(t *testing.T) {
	var c identityCache
	if _, err := c.lookup("t", func() (string, error) { return "", errors.New("down") }); err == nil {
		t.Fatal("no error")
	}
	id, err := c.lookup("t", func() (string, error) { return "pa:9", nil })
	if err != nil || id != "pa:9" {
		t.Fatalf("after a failure, lookup = %q, %v; want a fresh lookup", id, err)
	}
	c.remember("u", "pa:7")
	if id, _ := c.lookup("u", func() (string, error) { return "", errors.New("must not be called") }); id != "pa:7" {
		t.Errorf("remembered identity not used: %q", id)
	}
}

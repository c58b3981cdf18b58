package main

import "testing"

// Every page holds what make generate would write: the versions, the
// example blocks and the behaviour rendered from the provider's own values.
// A copy edited by hand fails here, as in make docs-check.
func TestPagesAreCurrent(t *testing.T) {
	if err := run("../..", true); err != nil {
		t.Fatal(err)
	}
}

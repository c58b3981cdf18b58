package main

import (
	"slices"
	"strings"
	"testing"
)

func TestNarrow(t *testing.T) {
	all := []string{"darwin_arm64", "linux_amd64", "windows_amd64", "windows_arm64"}

	r := &release{platforms: slices.Clone(all)}
	if err := r.narrow([]string{"windows_amd64", "linux_amd64", "windows_amd64"}); err != nil {
		t.Fatal(err)
	}
	if want := []string{"linux_amd64", "windows_amd64"}; !slices.Equal(r.platforms, want) {
		t.Errorf("narrowed to %v, want %v (sorted, once each)", r.platforms, want)
	}

	r = &release{platforms: slices.Clone(all)}
	err := r.narrow([]string{"linux_amd64", "plan9_amd64"})
	if err == nil || !strings.Contains(err.Error(), "plan9_amd64 is not a platform of the configuration") {
		t.Errorf("narrowing to a platform the configuration lacks: %v, want an error naming it", err)
	}
	if !slices.Equal(r.platforms, all) {
		t.Errorf("a refused narrowing changed the platforms to %v", r.platforms)
	}
}

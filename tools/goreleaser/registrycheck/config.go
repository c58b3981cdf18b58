package main

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// requirement is the README's terraform block, as a user copies it.
type requirement struct {
	block     string // the fenced hcl block, unchanged
	localName string // "viber"
	namespace string // "viberops"
	typ       string // "viber"
}

var (
	fence = regexp.MustCompile("(?ms)^```(?:hcl|terraform)[ \t]*\n(.*?)^```")
	// topTerraform is a configuration's top-level terraform block.
	topTerraform = regexp.MustCompile(`(?ms)^terraform \{\n.*?^\}\n`)
	// local = { source = "ns/type" ... }: the entry of required_providers.
	providerEntry = regexp.MustCompile(`(?s)([A-Za-z][A-Za-z0-9_-]*)\s*=\s*\{[^{}]*?\bsource\s*=\s*"([^"]*)"`)
)

// readmeRequirement finds the README's fenced block that declares
// required_providers; it must be the only one, so there is no doubt which
// block users copy.
func readmeRequirement(readme string) (requirement, error) {
	var blocks []string
	for _, m := range fence.FindAllStringSubmatch(readme, -1) {
		if strings.Contains(m[1], "required_providers") {
			blocks = append(blocks, m[1])
		}
	}
	if len(blocks) != 1 {
		return requirement{}, fmt.Errorf("want one fenced hcl block with required_providers in the README, found %d", len(blocks))
	}
	block := blocks[0]
	if tf := topTerraform.FindString(block); tf != "" {
		block = tf // the quick start's terraform block, without its provider and resources
	}
	entries := providerEntry.FindAllStringSubmatch(block, -1)
	if len(entries) != 1 {
		return requirement{}, fmt.Errorf("want one provider with a source in the README's required_providers block, found %d:\n%s", len(entries), block)
	}
	parts := strings.Split(entries[0][2], "/")
	if len(parts) != 2 || parts[0] == "" || parts[1] == "" {
		return requirement{}, fmt.Errorf("source %q is not namespace/type on the default registry", entries[0][2])
	}
	return requirement{block: block, localName: entries[0][1], namespace: parts[0], typ: parts[1]}, nil
}

// lockEntry is a provider block of .terraform.lock.hcl.
type lockEntry struct {
	version string
	hashes  []string
}

var (
	lockProvider = regexp.MustCompile(`(?ms)^provider "([^"]+)" \{\n(.*?)^\}`)
	lockVersion  = regexp.MustCompile(`(?m)^\s*version\s*=\s*"([^"]+)"`)
	lockHash     = regexp.MustCompile(`"((?:h1|zh):[^"]+)"`)
)

// parseLock returns the lock file's entry for the provider address addr.
func parseLock(lock, addr string) (lockEntry, error) {
	for _, m := range lockProvider.FindAllStringSubmatch(lock, -1) {
		if m[1] != addr {
			continue
		}
		v := lockVersion.FindStringSubmatch(m[2])
		if v == nil {
			return lockEntry{}, fmt.Errorf("lock entry for %s has no version", addr)
		}
		e := lockEntry{version: v[1]}
		for _, h := range lockHash.FindAllStringSubmatch(m[2], -1) {
			e.hashes = append(e.hashes, h[1])
		}
		return e, nil
	}
	return lockEntry{}, fmt.Errorf("the lock file has no entry for %s:\n%s", addr, lock)
}

func (e lockEntry) scheme(prefix string) []string {
	var out []string
	for _, h := range e.hashes {
		if rest, ok := strings.CutPrefix(h, prefix); ok {
			out = append(out, rest)
		}
	}
	slices.Sort(out)
	return out
}

// checkZH requires the lock's zh: hashes to be exactly the checksums the
// release's checksum file lists.
func (e lockEntry) checkZH(want []string) error {
	got := e.scheme("zh:")
	if !slices.Equal(got, want) {
		return fmt.Errorf("zh: hashes %v, but the checksum file lists %v", got, want)
	}
	return nil
}

// checkH1 requires each of want (h1: hashes computed from the zips) in the lock.
func (e lockEntry) checkH1(want map[platform]string) error {
	var errs []error
	for p, h := range want {
		if !slices.Contains(e.hashes, h) {
			errs = append(errs, fmt.Errorf("no %s (the h1: of the %s zip) in the lock: %v", h, p, e.scheme("h1:")))
		}
	}
	return errors.Join(errs...)
}

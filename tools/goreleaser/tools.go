//go:build tools

// Package tools pins goreleaser, in a module of its own so that its many
// dependencies stay away from the provider's and the other tools'. This go.mod
// is the one place its version is set: make, the release workflow and
// dependabot all read it.
package tools

import _ "github.com/goreleaser/goreleaser/v2"

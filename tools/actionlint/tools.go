//go:build tools

// Package tools pins actionlint, which lints the GitHub workflows; a module of
// its own so that its dependencies never move the documentation generator's.
package tools

import _ "github.com/rhysd/actionlint/cmd/actionlint"

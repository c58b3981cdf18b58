//go:build tools

// Package tools pins the OpenTofu CLI the acceptance tests also run under.
package tools

import (
	_ "github.com/opentofu/opentofu/cmd/tofu"
)

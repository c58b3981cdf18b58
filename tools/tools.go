//go:build tools

// Package tools pins the documentation generator, kept in a module of its
// own so that its dependencies never reach the provider's.
package tools

import (
	_ "github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs"
)

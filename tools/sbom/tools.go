//go:build tools

// Package tools pins cyclonedx-gomod, which writes each release's SBOM (the
// provider's Go modules, CycloneDX JSON); a module of its own so that its
// dependencies never move the provider's or the other tools'.
package tools

import _ "github.com/CycloneDX/cyclonedx-gomod/cmd/cyclonedx-gomod"

// Package registrymanifest reads terraform-registry-manifest.json, the file
// a provider release lists in its checksums so that a registry knows which
// plugin protocols the provider speaks.
package registrymanifest

import (
	"encoding/json"
	"fmt"
)

// Manifest is the part of the file a registry reads.
type Manifest struct {
	Version          int
	ProtocolVersions []string
}

// Parse decodes a manifest; name is how errors call the file. It fails
// unless the manifest is version 1 and names at least one protocol.
func Parse(raw []byte, name string) (Manifest, error) {
	var m struct {
		Version  int `json:"version"`
		Metadata struct {
			ProtocolVersions []string `json:"protocol_versions"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return Manifest{}, fmt.Errorf("%s: %w", name, err)
	}
	if m.Version != 1 || len(m.Metadata.ProtocolVersions) == 0 {
		return Manifest{}, fmt.Errorf("%s: version %d, protocol_versions %v; want version 1 and at least one protocol",
			name, m.Version, m.Metadata.ProtocolVersions)
	}
	return Manifest{Version: m.Version, ProtocolVersions: m.Metadata.ProtocolVersions}, nil
}

// Package pluginlog sets up a provider process's logging before it serves
// Terraform.
package pluginlog

import "strings"

// QuietUnlessRequested switches the plugin SDK's and the provider's
// logging off when no TF_LOG* variable is set. The SDK logs at trace level
// by default and leaves the filtering to Terraform (and OpenTofu), which
// pass their environment to the provider and discard every line it logs
// unless one of these variables is set. Formatting those lines for nothing
// cost a quarter of the provider's CPU at 1000 bots (make bench-profile).
// Call it with os.Environ and os.Setenv before serving.
func QuietUnlessRequested(environ []string, setenv func(key, value string) error) {
	for _, kv := range environ {
		if strings.HasPrefix(kv, "TF_LOG") {
			return
		}
	}
	_ = setenv("TF_LOG_SDK", "off")
	_ = setenv("TF_LOG_PROVIDER", "off")
}

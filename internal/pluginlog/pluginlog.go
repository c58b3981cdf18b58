// Package pluginlog sets up a provider process's logging before it serves
// Terraform.
package pluginlog

import "strings"

// QuietUnlessRequested switches the plugin SDK's and the provider's
// logging off when no TF_LOG* variable is set to anything but "". Each
// logger logs at trace level unless its own variable says otherwise, and
// leaves the filtering to Terraform (and OpenTofu), which pass their
// environment to the provider and discard every line it writes unless one
// of these variables is set.
// Preparing and formatting those lines for nothing cost a quarter of the
// provider's CPU at 1000 bots, and a tenth of a refresh at 100
// (make bench-profile).
//
// address is the one the provider serves under
// ("registry.terraform.io/viberops/viber"): terraform-plugin-go sets the
// provider's own logger (tflog) from TF_LOG_PROVIDER_<TYPE>, the address's
// last part, not from TF_LOG_PROVIDER. The SDK's subsystems (proto,
// framework) are switched off by name too: without a level of their own
// they prepare every trace line, fields and masking included, before the
// SDK's root logger drops it.
// Call it with os.Environ and os.Setenv before serving.
func QuietUnlessRequested(address string, environ []string, setenv func(key, value string) error) {
	for _, kv := range environ {
		if key, value, _ := strings.Cut(kv, "="); strings.HasPrefix(key, "TF_LOG") && value != "" {
			return // an empty one asks for nothing, as Terraform reads it
		}
	}
	providerType := address[strings.LastIndex(address, "/")+1:]
	for _, key := range []string{
		"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK",
		"TF_LOG_PROVIDER_" + strings.ToUpper(strings.ReplaceAll(providerType, "-", "_")),
	} {
		_ = setenv(key, "off")
	}
}

package main

import (
	"context"
	"flag"
	"log"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/viberops/terraform-provider-viber/internal/provider"
)

// version is set at release by goreleaser's ldflags.
var version = "dev"

// afterServe runs when Terraform stops the provider; profiling builds set it.
var afterServe = func() {}

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()
	quietUnlessLogging(os.Environ(), os.Setenv)

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/viberops/viber",
		Debug:   debug,
	})
	afterServe()
	if err != nil {
		log.Fatal(err.Error())
	}
}

// quietUnlessLogging switches the plugin SDK's and the provider's logging
// off when no TF_LOG* variable is set. The SDK logs at trace level by
// default and leaves the filtering to Terraform (and OpenTofu), which pass
// their environment to the provider and discard every line it logs unless
// one of these variables is set. Formatting those lines for nothing cost a
// quarter of the provider's CPU at 1000 bots (see make bench-profile).
func quietUnlessLogging(environ []string, setenv func(key, value string) error) {
	for _, kv := range environ {
		if strings.HasPrefix(kv, "TF_LOG") {
			return
		}
	}
	_ = setenv("TF_LOG_SDK", "off")
	_ = setenv("TF_LOG_PROVIDER", "off")
}

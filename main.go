package main

import (
	"context"
	"flag"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/viberops/terraform-provider-viber/internal/pluginlog"
	"github.com/viberops/terraform-provider-viber/internal/provider"
)

// address is the provider's registry address; it also names its logger.
const address = "registry.terraform.io/viberops/viber"

// version is set at release by goreleaser's ldflags.
var version = "dev"

// afterServe runs when Terraform stops the provider; profiling builds set it.
var afterServe = func() {}

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()
	pluginlog.QuietUnlessRequested(address, os.Environ(), os.Setenv)

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: address,
		Debug:   debug,
	})
	afterServe()
	if err != nil {
		log.Fatal(err.Error())
	}
}

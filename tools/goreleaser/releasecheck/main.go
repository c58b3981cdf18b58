// Command releasecheck verifies a goreleaser dist folder the way the
// Terraform registry does before it accepts a provider release: a zip per
// platform of the goreleaser configuration, each holding only the provider
// binary; a SHA256SUMS file matching every zip, the SBOM and the manifest; a detached
// signature that gpg accepts; and the manifest with protocol 6.0.
//
//	releasecheck -config .goreleaser.yml -dist dist [-only linux_amd64,...]
//
// -only says the release was built for those platforms alone (make test
// builds a few to save time): each must be one of the configuration's.
// It reads the configuration with goreleaser's own loader, so it sees the
// platforms exactly as the pinned goreleaser does.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
)

func main() {
	configPath := flag.String("config", ".goreleaser.yml", "goreleaser configuration")
	dist := flag.String("dist", "dist", "folder goreleaser wrote the release to")
	manifest := flag.String("manifest", "terraform-registry-manifest.json", "the registry manifest the release uploads")
	only := flag.String("only", "", "comma-separated os_arch list: the release was built for these platforms of the configuration alone")
	flag.Parse()

	r, err := load(*configPath, *dist, *manifest)
	if err == nil && *only != "" {
		err = r.narrow(strings.Split(*only, ","))
	}
	if err == nil {
		err = r.verify()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "release-check: FAILED:", err)
		os.Exit(1)
	}
	fmt.Printf("release-check: %s %s: %d platform zips, SBOM, SHA256SUMS, signature and manifest verified (%s)\n",
		r.project, r.version, len(r.platforms), strings.Join(r.platforms, " "))
}

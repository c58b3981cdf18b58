// Command sbomcheck verifies the SBOM a release carries: a CycloneDX JSON
// document whose main component is the provider's module and whose components
// are exactly the modules the provider's binary is built from, each at the
// version the build selects, with go.mod's direct requires among them at
// go.mod's versions, and the standard library of the Go that builds it.
//
//	sbomcheck -gomod ../../go.mod -sbom dist/terraform-provider-viber_1.0.0_sbom.cdx.json [-version v1.0.0]
//
// The binary's modules come from `go list -deps` on the module's main
// package, which reads the module cache only.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	goMod := flag.String("gomod", "go.mod", "the provider's go.mod; its folder holds the main package")
	sbomPath := flag.String("sbom", "", "the SBOM file to check (CycloneDX JSON)")
	version := flag.String("version", "", "the release's version (e.g. v1.0.0), which the SBOM's main component must carry; not checked when empty")
	flag.Parse()
	if *sbomPath == "" {
		fmt.Fprintln(os.Stderr, "sbomcheck: -sbom is required")
		flag.Usage()
		os.Exit(2)
	}

	summary, err := run(*goMod, *sbomPath, *version)
	if err != nil {
		fmt.Fprintf(os.Stderr, "sbomcheck: %s: FAILED:\n%v\n", filepath.Base(*sbomPath), err)
		os.Exit(1)
	}
	fmt.Printf("sbomcheck: %s: %s\n", filepath.Base(*sbomPath), summary)
}

func run(goModPath, sbomPath, version string) (string, error) {
	mod, err := readGoMod(goModPath)
	if err != nil {
		return "", err
	}
	data, err := os.ReadFile(sbomPath)
	if err != nil {
		return "", err
	}
	doc, err := parseBOM(data)
	if err != nil {
		return "", err
	}
	build, err := loadBuild(filepath.Dir(goModPath))
	if err != nil {
		return "", err
	}
	return verify(doc, mod, build, version)
}

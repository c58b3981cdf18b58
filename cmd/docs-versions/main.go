// Command docs-versions renders text that has one source in code into the
// README, the CHANGELOG and the registry page templates, between their
// versions:begin and versions:end markers: the supported and tested
// Terraform and OpenTofu versions and the CLI feature table (package
// versions), and the retry policy, timeouts, interrupt handling and failure
// outcomes (provider.DocBlocks, from the values the code uses). make generate
// runs it; with -check (make docs-check) it changes nothing and fails when a
// page is stale, such as a copy edited by hand.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/viberops/terraform-provider-viber/internal/provider"
	"github.com/viberops/terraform-provider-viber/internal/versions"
)

func main() {
	check := flag.Bool("check", false, "change nothing; fail when a page is not what this would write")
	root := flag.String("root", ".", "the repository's root")
	flag.Parse()
	if err := run(*root, *check); err != nil {
		fmt.Fprintln(os.Stderr, "docs-versions:", err)
		os.Exit(1)
	}
}

func run(root string, check bool) error {
	tested, err := versions.ReadTested(root)
	if err != nil {
		return err
	}
	blocks := versions.Blocks(tested)
	own := provider.DocBlocks()
	for name, text := range own {
		blocks[name] = text
	}
	for name, file := range exampleBlocks {
		b, err := os.ReadFile(filepath.Join(root, file.path))
		if err != nil {
			return err
		}
		own[name] = "```" + file.lang + "\n" + string(b) + "```\n"
		blocks[name] = own[name]
	}
	used := map[string]bool{}
	for _, page := range append(slices.Clone(versions.Pages), behaviourPages...) {
		path := filepath.Join(root, page)
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		want, err := versions.Render(string(b), blocks)
		if err != nil {
			return fmt.Errorf("%s: %w", page, err)
		}
		for name := range own {
			if strings.Contains(string(b), "versions:begin "+name+" ") {
				used[name] = true
			}
		}
		switch {
		case want == string(b):
		case check:
			return fmt.Errorf("%s differs from what internal/versions, the pinned CLIs and the provider's own values say "+
				"(a copy edited by hand?): run make generate", page)
		default:
			if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
				return err
			}
			fmt.Println("docs-versions: updated", page)
		}
	}
	for name := range own {
		if !used[name] {
			return fmt.Errorf("no page holds the %q block", name)
		}
	}
	return nil
}

// exampleBlocks are example files the README prints whole, so that what it
// prints is what the tests apply.
var exampleBlocks = map[string]struct{ path, lang string }{
	"quickstart":    {"examples/guides/getting-started/main.tf", "hcl"},
	"dev-overrides": {"examples/guides/getting-started/dev.tfrc", "hcl"},
	"many-bots":     {"examples/guides/bots-map/main.tf", "hcl"},
}

// behaviourPages hold provider.DocBlocks and exampleBlocks only; versions.Pages hold every
// versions block and may hold these too.
var behaviourPages = []string{
	"CHANGELOG.md",
	"templates/resources/webhook.md.tmpl",
	"templates/guides/endpoint-and-webhook.md.tmpl",
	"templates/guides/getting-started.md.tmpl",
}

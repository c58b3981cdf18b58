// Command docs-versions renders the supported and tested Terraform and
// OpenTofu versions and the CLI feature table (package versions) into the
// README and the registry page templates, between their versions:begin and
// versions:end markers. make generate runs it; with -check (make
// docs-check) it changes nothing and fails when a page is stale.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

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
	for _, page := range versions.Pages {
		path := filepath.Join(root, page)
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		want, err := versions.Render(string(b), blocks)
		if err != nil {
			return fmt.Errorf("%s: %w", page, err)
		}
		switch {
		case want == string(b):
		case check:
			return fmt.Errorf("%s shows versions other than internal/versions and the pinned CLIs: run make generate", page)
		default:
			if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
				return err
			}
			fmt.Println("docs-versions: updated", page)
		}
	}
	return nil
}

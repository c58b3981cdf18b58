// Command schema-check compares the provider's schema, as
// `terraform providers schema -json` reports it for a fresh build, with the
// committed record of the last release's, and fails on a breaking change
// that the CHANGELOG's unreleased section does not declare. With -write it
// records the current schema instead (cutting a release does that).
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/viberops/terraform-provider-viber/internal/clitest"
	"github.com/viberops/terraform-provider-viber/internal/schemacheck"
)

func main() {
	terraform := flag.String("terraform", "terraform", "the Terraform CLI")
	record := flag.String("record", "schema/released.json", "the last release's schema")
	changelog := flag.String("changelog", "CHANGELOG.md", "where breaking changes are declared")
	write := flag.Bool("write", false, "record the current schema instead of checking it")
	flag.Parse()
	if err := run(*terraform, *record, *changelog, *write); err != nil {
		fmt.Fprintln(os.Stderr, "schema-check:", err)
		os.Exit(1)
	}
}

func run(terraform, record, changelog string, write bool) error {
	current, err := currentSchema(terraform)
	if err != nil {
		return err
	}
	if write {
		var pretty bytes.Buffer
		if err := json.Indent(&pretty, current, "", "  "); err != nil {
			return err
		}
		pretty.WriteByte('\n')
		if err := os.WriteFile(record, pretty.Bytes(), 0o644); err != nil { //nolint:gosec // a committed file
			return err
		}
		fmt.Printf("schema-check: recorded the current schema in %s\n", record)
		return nil
	}
	raw, err := os.ReadFile(record)
	if err != nil {
		return fmt.Errorf("reading the last release's schema: %w", err)
	}
	old, err := schemacheck.Parse(raw)
	if err != nil {
		return fmt.Errorf("%s: %w", record, err)
	}
	now, err := schemacheck.Parse(current)
	if err != nil {
		return fmt.Errorf("the provider's schema: %w", err)
	}
	breaking := schemacheck.Breaking(old, now)
	if len(breaking) == 0 {
		fmt.Printf("schema-check: no breaking change since the schema in %s\n", record)
		return nil
	}
	notes, err := os.ReadFile(changelog)
	if err != nil {
		return err
	}
	for _, b := range breaking {
		fmt.Println("  breaking:", b)
	}
	if schemacheck.AllowedByChangelog(notes) {
		fmt.Printf("schema-check: %d breaking changes, declared under BREAKING CHANGES in %s's unreleased section\n", len(breaking), changelog)
		return nil
	}
	return fmt.Errorf("%d breaking changes since the last release (%s): keep the old schema, or, for a major "+
		"release, declare them under BREAKING CHANGES: in %s's unreleased section", len(breaking), record, changelog)
}

// currentSchema builds the provider and asks the CLI for its schema,
// through dev_overrides, as a user's CLI would see it.
func currentSchema(terraform string) ([]byte, error) {
	dir, err := clitest.Build(".", "terraform-provider-viber")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	work, err := os.MkdirTemp("", "schema-check-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)
	rc := filepath.Join(work, ".terraformrc")
	config := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n", "viberops/viber", dir)
	if err := os.WriteFile(rc, []byte(config), 0o600); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(work, "main.tf"), []byte(clitest.Header), 0o600); err != nil {
		return nil, err
	}
	cmd := exec.Command(terraform, "providers", "schema", "-json")
	cmd.Dir = work
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%s providers schema -json: %v\n%s", terraform, err, stderr.String())
	}
	return out, nil
}

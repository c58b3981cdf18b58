// Package versions is the one source of the Terraform and OpenTofu versions
// the provider supports, the versions its tests run under, and the CLI
// features it documents. cmd/docs-versions renders it into the README and
// the registry pages; the test beside this file fails when a copy is stale.
package versions

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// The oldest supported releases. Terraform 1.5.7 is the last MPL-licensed
// release; OpenTofu 1.12 is the oldest series its project still supports.
const (
	MinTerraform = "1.5"
	MinOpenTofu  = "1.12"
)

// Feature is a CLI feature the docs tell users about, with the first
// release of each CLI that has it ("" when it has none).
type Feature struct {
	Name      string // as the docs name it, Markdown allowed
	Gives     string // what it gives a user of this provider
	Terraform string
	OpenTofu  string
}

// Each version was checked against the CLI's own changelog: Terraform's,
// and OpenTofu's (v1.6 forked with import blocks; v1.7 added for_each in
// import blocks; v1.9 for_each in provider blocks; v1.11 ephemeral values;
// v1.12 import by identity; no release up to v1.12.6 has the query command
// or list resources). OpenTofu's removed blocks came in v1.7 without a
// lifecycle block; which release first took lifecycle { destroy = false }
// is not settled here, so the table names v1.12, whose docs show it.
var (
	ImportBlocks       = Feature{"`import` blocks", "adopting existing webhooks from configuration", "1.5", "1.6"}
	ImportForEach      = Feature{"`for_each` in `import` blocks", "adopting a whole fleet with one block", "1.7", "1.7"}
	RemovedBlocks      = Feature{"`removed` blocks with `lifecycle { destroy = false }`", "letting go of a webhook without removing it from Viber", "1.7", "1.12"}
	ProviderForEach    = Feature{"`for_each` in `provider` blocks", "one provider configuration per bot", "", "1.9"}
	EphemeralVariables = Feature{"ephemeral variables and resources", "tokens kept out of saved plans as well as state", "1.10", "1.11"}
	ResourceIdentity   = Feature{"resource identity, import by identity", "`import { identity = { account_id = ... } }`", "1.12", "1.12"}
	Query              = Feature{"`terraform query` and list resources", "finding every bot's webhook and generating its configuration", "1.14", ""}
	TestFiles          = Feature{"`terraform test` with `.tftest.hcl` files", "testing a configuration against the local Viber", "1.6", "1.6"}
	MockProviders      = Feature{"`mock_provider` in test files", "testing a configuration with no Viber and no token", "1.7", "1.8"}
)

// Features is the feature table, in the order the docs show it.
var Features = []Feature{ImportBlocks, ImportForEach, RemovedBlocks, ProviderForEach, EphemeralVariables, ResourceIdentity, Query, TestFiles, MockProviders}

// Needs says which CLI releases a feature needs, for a sentence:
// "Terraform 1.14+; not OpenTofu", or "Terraform 1.10+" when every
// supported OpenTofu has it. A release older than the oldest supported one
// is never named.
func (f Feature) Needs() string {
	tf, tofu := needs("Terraform", f.Terraform, MinTerraform), needs("OpenTofu", f.OpenTofu, MinOpenTofu)
	switch {
	case f.Terraform == "":
		return tofu + "; not Terraform"
	case f.OpenTofu == "":
		return tf + "; not OpenTofu"
	case Supports(f.Terraform, MinTerraform) && Supports(f.OpenTofu, MinOpenTofu):
		return "every supported release"
	case Supports(f.OpenTofu, MinOpenTofu):
		return tf
	case Supports(f.Terraform, MinTerraform):
		return tofu
	}
	return tf + ", " + tofu
}

// needs is "Terraform 1.10+", or "every supported Terraform" when even the
// oldest supported release has the feature.
func needs(cli, since, oldest string) string {
	if Supports(since, oldest) {
		return "every supported " + cli
	}
	return cli + " " + since + "+"
}

// Supports reports whether every release from min on has a feature that
// came in release since ("" when it never did).
func Supports(since, oldest string) bool {
	return since != "" && !Older(oldest, since)
}

// Older reports whether release a ("1.9") came before release b ("1.12").
func Older(a, b string) bool {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) && i < len(pb); i++ {
		x, _ := strconv.Atoi(pa[i]) // a part that is not a number counts as 0
		y, _ := strconv.Atoi(pb[i])
		if x != y {
			return x < y
		}
	}
	return len(pa) < len(pb)
}

// Tested is what the tests run under, read from where the build pins it.
type Tested struct {
	// Terraform and OpenTofu are the exact versions make test builds
	// (GNUmakefile, tools/opentofu/go.mod), newest first.
	Terraform []string
	OpenTofu  string
	// CITerraform and CIOpenTofu are the minor releases GitHub Actions
	// runs the acceptance suite under (.github/workflows/test.yml).
	CITerraform, CIOpenTofu []string
}

// ReadTested reads the tested versions from the repository at root.
func ReadTested(root string) (Tested, error) {
	var t Tested
	mk, err := os.ReadFile(filepath.Join(root, "GNUmakefile"))
	if err != nil {
		return t, err
	}
	for _, name := range []string{"TERRAFORM_VERSION", "TERRAFORM_OLDEST_VERSION"} {
		m := regexp.MustCompile(`(?m)^` + name + `\s*:=\s*(\S+)`).FindSubmatch(mk)
		if m == nil {
			return t, fmt.Errorf("GNUmakefile sets no %s", name)
		}
		t.Terraform = append(t.Terraform, string(m[1]))
	}
	mod, err := os.ReadFile(filepath.Join(root, "tools/opentofu/go.mod"))
	if err != nil {
		return t, err
	}
	m := regexp.MustCompile(`(?m)^require github\.com/opentofu/opentofu v(\S+)`).FindSubmatch(mod)
	if m == nil {
		return t, fmt.Errorf("tools/opentofu/go.mod requires no github.com/opentofu/opentofu")
	}
	t.OpenTofu = string(m[1])
	wf, err := os.ReadFile(filepath.Join(root, ".github/workflows/test.yml"))
	if err != nil {
		return t, err
	}
	for _, cli := range []struct {
		key  string
		into *[]string
	}{{"terraform", &t.CITerraform}, {"opentofu", &t.CIOpenTofu}} {
		m := regexp.MustCompile(`(?m)^\s+` + cli.key + `:\s*\[([^\]]*)\]`).FindSubmatch(wf)
		if m == nil {
			return t, fmt.Errorf(".github/workflows/test.yml has no %s matrix", cli.key)
		}
		for _, v := range strings.Split(string(m[1]), ",") {
			*cli.into = append(*cli.into, strings.TrimSuffix(strings.Trim(strings.TrimSpace(v), `'"`), ".*"))
		}
	}
	return t, nil
}

// minor is "1.16" for "1.16.4".
func minor(v string) string {
	parts := strings.SplitN(v, ".", 3)
	if len(parts) < 2 {
		return v
	}
	return parts[0] + "." + parts[1]
}

// list joins words as a sentence does: "a, b and c".
func list(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// ciOnly are the CI minors that make test does not build.
func ciOnly(ci []string, built ...string) []string {
	var only []string
	for _, v := range ci {
		if !slices.ContainsFunc(built, func(b string) bool { return minor(b) == v }) {
			only = append(only, v)
		}
	}
	return only
}

// Blocks renders every block a page can hold, by marker name.
func Blocks(t Tested) map[string]string {
	var b strings.Builder
	fmt.Fprintf(&b, "The provider supports **Terraform %s and later** and **OpenTofu %s and later**.\n", MinTerraform, MinOpenTofu)
	var built []string
	for _, v := range t.Terraform {
		built = append(built, "Terraform v"+v)
	}
	built = append(built, "OpenTofu v"+t.OpenTofu)
	fmt.Fprintf(&b, "`make test` runs the whole acceptance suite, every example and the demo program under %s, built from source.\n", list(built))
	fmt.Fprintf(&b, "GitHub Actions runs the acceptance suite under the newest patch of Terraform %s and of OpenTofu %s.\n",
		list(t.CITerraform), list(t.CIOpenTofu))
	var only []string
	if tf := ciOnly(t.CITerraform, t.Terraform...); len(tf) > 0 {
		only = append(only, "Terraform "+list(tf))
	}
	if tofu := ciOnly(t.CIOpenTofu, t.OpenTofu); len(tofu) > 0 {
		only = append(only, "OpenTofu "+list(tofu))
	}
	if len(only) > 0 {
		fmt.Fprintf(&b, "%s run on GitHub Actions only.\n", strings.Join(only, " and "))
	}
	b.WriteString("Releases in between are supported, but no test runs under them.\n")
	support := b.String()

	b.Reset()
	b.WriteString("| feature | what it gives you here | Terraform | OpenTofu |\n|---|---|---|---|\n")
	for _, f := range Features {
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", f.Name, f.Gives, since(f.Terraform, MinTerraform), since(f.OpenTofu, MinOpenTofu))
	}
	b.WriteString("\nThe provider works on every supported release without these features.\n")
	b.WriteString("Its tests of a feature skip on a CLI that lacks it, and say which version they need.\n")
	return map[string]string{"support": support, "features": b.String()}
}

// since is a feature table cell: the first release with the feature, or
// every supported one when even the oldest has it.
func since(v, oldest string) string {
	switch {
	case v == "":
		return "not supported"
	case Supports(v, oldest):
		return "every supported release"
	}
	return v + " and later"
}

// Pages are the files that hold rendered blocks, relative to the root.
var Pages = []string{"README.md", "templates/index.md.tmpl"}

var (
	beginMarker = regexp.MustCompile(`versions:begin (\S+)`)
	endMarker   = regexp.MustCompile(`versions:end`)
)

// Render returns text with every marked block replaced by its current
// rendering. A block runs from the line holding "versions:begin <name>"
// to the line holding "versions:end"; both marker lines are kept.
func Render(text string, blocks map[string]string) (string, error) {
	lines := strings.SplitAfter(text, "\n")
	var out strings.Builder
	for i := 0; i < len(lines); i++ {
		out.WriteString(lines[i])
		m := beginMarker.FindStringSubmatch(lines[i])
		if m == nil {
			continue
		}
		block, ok := blocks[m[1]]
		if !ok {
			return "", fmt.Errorf("line %d: no block named %q", i+1, m[1])
		}
		end := i + 1
		for end < len(lines) && !endMarker.MatchString(lines[end]) {
			end++
		}
		if end == len(lines) {
			return "", fmt.Errorf("line %d: block %q has no versions:end", i+1, m[1])
		}
		out.WriteString(block)
		i = end - 1 // the end marker is written next
	}
	return out.String(), nil
}

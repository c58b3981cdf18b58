package versions

import (
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

const root = "../.."

func tested(t *testing.T) Tested {
	t.Helper()
	got, err := ReadTested(root)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// Every page that shows the supported versions or the feature table shows
// what this package and the pinned CLIs say today (make generate renders
// them; a stale copy fails here and in make docs-check).
func TestPagesAreCurrent(t *testing.T) {
	blocks := Blocks(tested(t))
	for _, page := range Pages {
		b, err := os.ReadFile(filepath.Join(root, page))
		if err != nil {
			t.Fatal(err)
		}
		for name := range blocks {
			if !strings.Contains(string(b), "versions:begin "+name) {
				t.Errorf("%s has no %q block", page, name)
			}
		}
		// Blocks rendered from elsewhere (cmd/docs-versions checks them)
		// stay as they are.
		all := maps.Clone(blocks)
		for name, text := range current(string(b)) {
			if _, ok := all[name]; !ok {
				all[name] = text
			}
		}
		want, err := Render(string(b), all)
		if err != nil {
			t.Fatalf("%s: %v", page, err)
		}
		if want != string(b) {
			t.Errorf("%s shows stale versions: run make generate", page)
		}
	}
}

// current returns the text of every marked block in page, by name.
func current(page string) map[string]string {
	blocks := map[string]string{}
	lines := strings.SplitAfter(page, "\n")
	for i, line := range lines {
		m := beginMarker.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		var b strings.Builder
		for _, l := range lines[i+1:] {
			if endMarker.MatchString(l) {
				break
			}
			b.WriteString(l)
		}
		blocks[m[1]] = b.String()
	}
	return blocks
}

// The oldest supported releases are the ones the tests run under.
func TestOldestSupportedIsTested(t *testing.T) {
	got := tested(t)
	if oldest := got.Terraform[len(got.Terraform)-1]; minor(oldest) != MinTerraform {
		t.Errorf("make test's oldest Terraform is %s; the oldest supported is %s", oldest, MinTerraform)
	}
	if minor(got.OpenTofu) != MinOpenTofu {
		t.Errorf("make test's OpenTofu is %s; the oldest supported is %s", got.OpenTofu, MinOpenTofu)
	}
	if !slices.Contains(got.CITerraform, MinTerraform) || !slices.Contains(got.CIOpenTofu, MinOpenTofu) {
		t.Errorf("GitHub Actions runs Terraform %v and OpenTofu %v, without the oldest supported (%s, %s)",
			got.CITerraform, got.CIOpenTofu, MinTerraform, MinOpenTofu)
	}
}

// userPages are the files users read: every version they name must be one
// this package knows, so that no page keeps a version the others dropped.
func userPages(t *testing.T) []string {
	t.Helper()
	pages := []string{"README.md", "CHANGELOG.md", "SECURITY.md"}
	for _, pattern := range []string{"templates/*.tmpl", "templates/*/*.tmpl", "examples/*/*/*.tf", "examples/*/*.tf", "internal/provider/*.go"} {
		found, err := filepath.Glob(filepath.Join(root, pattern))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range found {
			if !strings.HasSuffix(f, "_test.go") {
				rel, _ := filepath.Rel(root, f)
				pages = append(pages, rel)
			}
		}
	}
	return pages
}

func TestPagesNameOnlyKnownVersions(t *testing.T) {
	got := tested(t)
	known := map[string][]string{"Terraform": {MinTerraform}, "OpenTofu": {MinOpenTofu}}
	for _, f := range Features {
		known["Terraform"] = append(known["Terraform"], f.Terraform)
		known["OpenTofu"] = append(known["OpenTofu"], f.OpenTofu)
	}
	for _, v := range got.Terraform {
		known["Terraform"] = append(known["Terraform"], v, minor(v))
	}
	known["Terraform"] = append(known["Terraform"], got.CITerraform...)
	known["OpenTofu"] = append(known["OpenTofu"], got.OpenTofu, minor(got.OpenTofu))
	known["OpenTofu"] = append(known["OpenTofu"], got.CIOpenTofu...)

	mention := regexp.MustCompile(`\b(Terraform|OpenTofu)\s+v?(\d+\.\d+(?:\.\d+)?)`)
	for _, page := range userPages(t) {
		b, err := os.ReadFile(filepath.Join(root, page))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range mention.FindAllStringSubmatch(string(b), -1) {
			oldest := map[string]string{"Terraform": MinTerraform, "OpenTofu": MinOpenTofu}[m[1]]
			switch {
			case Older(m[2], oldest) && !strings.HasPrefix(m[2], oldest+"."):
				t.Errorf("%s names %s %s, older than the oldest supported (%s): say every supported release has it", page, m[1], m[2], oldest)
			case !slices.Contains(known[m[1]], m[2]):
				t.Errorf("%s names %s %s, which internal/versions does not know (a minimum, a feature's release or a tested one)", page, m[1], m[2])
			}
		}
	}
}

// The README says the provider is not published exactly as long as the
// CHANGELOG has no released section.
func TestReadmeSaysWhetherReleased(t *testing.T) {
	changelog, err := os.ReadFile(filepath.Join(root, "CHANGELOG.md"))
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	headings := regexp.MustCompile(`(?m)^## \d+\.\d+\.\d+ \((.*)\)$`).FindAllSubmatch(changelog, -1)
	if len(headings) == 0 {
		t.Fatal("CHANGELOG.md has no version heading")
	}
	released := slices.ContainsFunc(headings, func(h [][]byte) bool { return string(h[1]) != "Unreleased" })
	for _, phrase := range []string{"not published yet", "once 1.0.0 is published"} {
		if says := strings.Contains(string(readme), phrase); says == released {
			t.Errorf("README.md says %q: %v, but the CHANGELOG has a released section: %v", phrase, says, released)
		}
	}
}

func TestRender(t *testing.T) {
	blocks := map[string]string{"a": "new\n"}
	got, err := Render("x\n<!-- versions:begin a -->\nold\nolder\n<!-- versions:end -->\ny\n", blocks)
	if want := "x\n<!-- versions:begin a -->\nnew\n<!-- versions:end -->\ny\n"; err != nil || got != want {
		t.Errorf("Render = %q, %v; want %q", got, err, want)
	}
	if _, err := Render("<!-- versions:begin b -->\n<!-- versions:end -->\n", blocks); err == nil {
		t.Error("Render accepted a block it cannot render")
	}
	if _, err := Render("<!-- versions:begin a -->\nold\n", blocks); err == nil {
		t.Error("Render accepted a block with no end")
	}
}

func TestNeedsNamesNoUnsupportedRelease(t *testing.T) {
	for _, c := range []struct {
		f    Feature
		want string
	}{
		{EphemeralVariables, "Terraform 1.10+"},
		{Query, "Terraform 1.14+; not OpenTofu"},
		{ProviderForEach, "every supported OpenTofu; not Terraform"},
		{ImportBlocks, "every supported release"},
		{Feature{Terraform: "1.20", OpenTofu: "1.13"}, "Terraform 1.20+, OpenTofu 1.13+"},
	} {
		if got := c.f.Needs(); got != c.want {
			t.Errorf("%s: Needs() = %q, want %q", c.f.Name, got, c.want)
		}
	}
	if !Older("1.9", "1.12") || Older("1.12", "1.9") || Older("1.12", "1.12") || !Older("1.12", "1.12.6") {
		t.Error("Older compares releases as text")
	}
}

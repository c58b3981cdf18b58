package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// bom is the part of a CycloneDX JSON document that sbomcheck reads.
type bom struct {
	BOMFormat   string `json:"bomFormat"`
	SpecVersion string `json:"specVersion"`
	Metadata    struct {
		Component *component `json:"component"`
	} `json:"metadata"`
	Components []component `json:"components"`
}

type component struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	PURL    string `json:"purl"`
}

// stdlib is the name cyclonedx-gomod gives the Go standard library's component.
const stdlib = "std"

var specVersionPattern = regexp.MustCompile(`^1\.[0-9]+$`)

func parseBOM(data []byte) (*bom, error) {
	var doc bom
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("not a CycloneDX JSON document: %w", err)
	}
	if doc.BOMFormat != "CycloneDX" {
		return nil, fmt.Errorf("bomFormat is %q, not \"CycloneDX\"", doc.BOMFormat)
	}
	if !specVersionPattern.MatchString(doc.SpecVersion) {
		return nil, fmt.Errorf("specVersion is %q, not a CycloneDX 1.x version", doc.SpecVersion)
	}
	return &doc, nil
}

// goPURL returns the module path and version a Go package URL names
// (pkg:golang/<path>@<version>, qualifiers and subpath ignored).
func goPURL(purl string) (path, version string, ok bool) {
	rest, ok := strings.CutPrefix(purl, "pkg:golang/")
	if !ok {
		return "", "", false
	}
	rest, _, _ = strings.Cut(rest, "#")
	rest, _, _ = strings.Cut(rest, "?")
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return "", "", false
	}
	path, err := url.PathUnescape(rest[:at])
	if err != nil {
		return "", "", false
	}
	version, err = url.PathUnescape(rest[at+1:])
	if err != nil {
		return "", "", false
	}
	return path, version, true
}

// checkComponent reports what is wrong with one component, or "".
func checkComponent(c component) string {
	if c.Name == "" || c.Version == "" || c.PURL == "" {
		return fmt.Sprintf("component %q %q lacks a name, version or purl", c.Name, c.Version)
	}
	path, version, ok := goPURL(c.PURL)
	// Package URLs may lower-case a Go module path.
	if !ok || !strings.EqualFold(path, c.Name) || version != c.Version {
		return fmt.Sprintf("component %s %s: purl %q does not name it", c.Name, c.Version, c.PURL)
	}
	return ""
}

// verify checks the SBOM against go.mod and the build, and returns what it
// verified, or every problem it found.
func verify(doc *bom, mod *goMod, b *build, version string) (string, error) {
	var problems []string
	top := doc.Metadata.Component
	switch {
	case top == nil:
		problems = append(problems, "no main component (metadata.component)")
	case top.Name != mod.Path:
		problems = append(problems, fmt.Sprintf("the main component is %q, not the module %s", top.Name, mod.Path))
	case version != "" && top.Version != version:
		problems = append(problems, fmt.Sprintf("the main component's version is %q, not the release's %s", top.Version, version))
	}

	listed := map[string]string{}
	std := ""
	for _, c := range doc.Components {
		if p := checkComponent(c); p != "" {
			problems = append(problems, p)
			continue
		}
		if _, dup := listed[c.Name]; dup || (c.Name == stdlib && std != "") {
			problems = append(problems, fmt.Sprintf("component %s is listed twice", c.Name))
			continue
		}
		if c.Name == stdlib {
			std = c.Version
			continue
		}
		listed[c.Name] = c.Version
	}

	switch {
	case std == "":
		problems = append(problems, "the Go standard library (std) is not listed")
	case std != b.GoVersion:
		problems = append(problems, fmt.Sprintf("std is listed as %s, but %s builds the release", std, b.GoVersion))
	}

	for path, v := range b.Modules {
		switch lv, ok := listed[path]; {
		case !ok:
			problems = append(problems, fmt.Sprintf("%s %s, which the provider's binary is built from, is not listed", path, v))
		case lv != v:
			problems = append(problems, fmt.Sprintf("%s is listed as %s, but the build uses %s", path, lv, v))
		}
	}
	for path, v := range listed {
		if _, ok := b.Modules[path]; !ok {
			problems = append(problems, fmt.Sprintf("%s %s is listed, but the provider's binary is not built from it", path, v))
		}
	}

	direct := 0
	var notShipped []string
	for path, v := range mod.Direct {
		if _, ok := b.Modules[path]; !ok {
			notShipped = append(notShipped, path)
			continue
		}
		direct++
		if lv, ok := listed[path]; ok && lv != v {
			problems = append(problems, fmt.Sprintf("go.mod requires %s %s, but the SBOM lists %s", path, v, lv))
		}
	}

	if len(problems) > 0 {
		slices.Sort(problems)
		return "", errors.New("  " + strings.Join(problems, "\n  "))
	}
	summary := fmt.Sprintf("CycloneDX %s of %s %s: the %d modules the provider's binary is built from, at the versions it builds with; go.mod's %d direct requires in the binary at go.mod's versions; %s %s",
		doc.SpecVersion, top.Name, top.Version, len(listed), direct, stdlib, std)
	if len(notShipped) > 0 {
		slices.Sort(notShipped)
		summary += fmt.Sprintf(" (not in the binary, so not listed: %s)", strings.Join(notShipped, ", "))
	}
	return summary, nil
}

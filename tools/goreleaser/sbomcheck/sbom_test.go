package main

import (
	"os"
	"strings"
	"testing"
)

// fixture is testdata's go.mod and SBOM, and the build they describe:
// example.com/testing is a direct require used by tests only.
func fixture(t *testing.T) (*bom, *goMod, *build) {
	t.Helper()
	mod, err := readGoMod("testdata/go.mod")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("testdata/sbom.cdx.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := parseBOM(data)
	if err != nil {
		t.Fatal(err)
	}
	b := &build{
		Modules:   map[string]string{"example.com/framework": "v1.2.0", "example.com/proto": "v1.0.0"},
		GoVersion: "go1.26.8",
	}
	return doc, mod, b
}

func TestReadGoMod(t *testing.T) {
	mod, err := readGoMod("testdata/go.mod")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"example.com/framework": "v1.2.0", "example.com/testing": "v0.3.0"}
	if mod.Path != "example.com/terraform-provider-example" || len(mod.Direct) != len(want) {
		t.Fatalf("got %s %v, want the module and its direct requires %v", mod.Path, mod.Direct, want)
	}
	for path, v := range want {
		if mod.Direct[path] != v {
			t.Errorf("direct require %s: got %q, want %s", path, mod.Direct[path], v)
		}
	}
}

func TestVerify(t *testing.T) {
	tests := map[string]struct {
		change  func(*bom, *goMod, *build)
		version string
		want    string // in the summary when the check passes, else in the error
		fails   bool
	}{
		"the fixture passes": {
			version: "v1.0.0",
			want:    "CycloneDX 1.6 of example.com/terraform-provider-example v1.0.0: the 2 modules the provider's binary is built from, at the versions it builds with; go.mod's 1 direct requires in the binary at go.mod's versions; std go1.26.8 (not in the binary, so not listed: example.com/testing)",
		},
		"no main component": {
			change: func(d *bom, _ *goMod, _ *build) { d.Metadata.Component = nil },
			want:   "no main component", fails: true,
		},
		"another module's SBOM": {
			change: func(d *bom, _ *goMod, _ *build) { d.Metadata.Component.Name = "example.com/other" },
			want:   `the main component is "example.com/other"`, fails: true,
		},
		"another release's SBOM": {
			version: "v1.0.1",
			want:    `the main component's version is "v1.0.0", not the release's v1.0.1`, fails: true,
		},
		"a component without purl": {
			change: func(d *bom, _ *goMod, _ *build) { d.Components[1].PURL = "" },
			want:   "lacks a name, version or purl", fails: true,
		},
		"a purl naming another version": {
			change: func(d *bom, _ *goMod, _ *build) { d.Components[1].PURL = "pkg:golang/example.com/proto@v0.9.0" },
			want:   "does not name it", fails: true,
		},
		"a module listed twice": {
			change: func(d *bom, _ *goMod, _ *build) { d.Components = append(d.Components, d.Components[0]) },
			want:   "example.com/framework is listed twice", fails: true,
		},
		"a direct require at another version than go.mod's": {
			change: func(d *bom, _ *goMod, b *build) {
				d.Components[0].Version, d.Components[0].PURL = "v1.1.0", "pkg:golang/example.com/framework@v1.1.0"
				b.Modules["example.com/framework"] = "v1.1.0"
			},
			want: "go.mod requires example.com/framework v1.2.0, but the SBOM lists v1.1.0", fails: true,
		},
		"a module of the binary missing": {
			change: func(_ *bom, _ *goMod, b *build) { b.Modules["example.com/grpc"] = "v1.79.3" },
			want:   "example.com/grpc v1.79.3, which the provider's binary is built from, is not listed", fails: true,
		},
		"a module at another version than the build's": {
			change: func(_ *bom, _ *goMod, b *build) { b.Modules["example.com/proto"] = "v1.0.1" },
			want:   "example.com/proto is listed as v1.0.0, but the build uses v1.0.1", fails: true,
		},
		"a module the binary is not built from": {
			change: func(_ *bom, _ *goMod, b *build) { delete(b.Modules, "example.com/proto") },
			want:   "example.com/proto v1.0.0 is listed, but the provider's binary is not built from it", fails: true,
		},
		"no standard library": {
			change: func(d *bom, _ *goMod, _ *build) { d.Components = d.Components[:2] },
			want:   "the Go standard library (std) is not listed", fails: true,
		},
		"another Go's standard library": {
			change: func(_ *bom, _ *goMod, b *build) { b.GoVersion = "go1.27.0" },
			want:   "std is listed as go1.26.8, but go1.27.0 builds the release", fails: true,
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			doc, mod, b := fixture(t)
			if tt.change != nil {
				tt.change(doc, mod, b)
			}
			summary, err := verify(doc, mod, b, tt.version)
			switch {
			case tt.fails && err == nil:
				t.Fatalf("passed (%s), want an error containing %q", summary, tt.want)
			case tt.fails && !strings.Contains(err.Error(), tt.want):
				t.Fatalf("error %q does not contain %q", err, tt.want)
			case !tt.fails && err != nil:
				t.Fatalf("failed: %v", err)
			case !tt.fails && summary != tt.want:
				t.Fatalf("summary\n%s\nwant\n%s", summary, tt.want)
			}
		})
	}
}

func TestParseBOM(t *testing.T) {
	tests := map[string]string{
		`{"bomFormat":"SPDX","specVersion":"1.6"}`:      `bomFormat is "SPDX"`,
		`{"bomFormat":"CycloneDX"}`:                     `specVersion is ""`,
		`{"bomFormat":"CycloneDX","specVersion":"2.0"}`: `specVersion is "2.0"`,
		`<bom/>`: "not a CycloneDX JSON document",
	}
	for data, want := range tests {
		if _, err := parseBOM([]byte(data)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("parseBOM(%s): got %v, want an error containing %q", data, err, want)
		}
	}
}

func TestGoPURL(t *testing.T) {
	tests := []struct {
		purl, path, version string
		ok                  bool
	}{
		{"pkg:golang/github.com/hashicorp/go-plugin@v1.7.0", "github.com/hashicorp/go-plugin", "v1.7.0", true},
		{"pkg:golang/github.com/vmihailenco/msgpack/v5@v5.4.1?type=module&goos=linux#sub", "github.com/vmihailenco/msgpack/v5", "v5.4.1", true},
		{"pkg:golang/github.com/x/y@v2.0.0%2Bincompatible", "github.com/x/y", "v2.0.0+incompatible", true},
		{"pkg:npm/left-pad@1.3.0", "", "", false},
		{"pkg:golang/github.com/x/y", "", "", false},
	}
	for _, tt := range tests {
		path, version, ok := goPURL(tt.purl)
		if path != tt.path || version != tt.version || ok != tt.ok {
			t.Errorf("goPURL(%q) = %q, %q, %v; want %q, %q, %v", tt.purl, path, version, ok, tt.path, tt.version, tt.ok)
		}
	}
}

func TestParseModuleList(t *testing.T) {
	got, err := parseModuleList("\n\nexample.com/a v1.0.0\nexample.com/a v1.0.0\n\nexample.com/b v0.2.0\n")
	if err != nil || len(got) != 2 || got["example.com/a"] != "v1.0.0" || got["example.com/b"] != "v0.2.0" {
		t.Errorf("got %v, %v; want a v1.0.0 and b v0.2.0", got, err)
	}
	for _, out := range []string{"\n\n", "example.com/a\n"} {
		if _, err := parseModuleList(out); err == nil {
			t.Errorf("parseModuleList(%q) passed, want an error", out)
		}
	}
}

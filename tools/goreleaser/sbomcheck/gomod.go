package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"golang.org/x/mod/modfile"
)

// goMod is what sbomcheck needs of go.mod: the module's path and its direct
// requires (those not marked // indirect) with their versions.
type goMod struct {
	Path   string
	Direct map[string]string
}

func readGoMod(path string) (*goMod, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	f, err := modfile.Parse(path, data, nil)
	if err != nil {
		return nil, err
	}
	if f.Module == nil {
		return nil, fmt.Errorf("%s has no module line", path)
	}
	mod := &goMod{Path: f.Module.Mod.Path, Direct: map[string]string{}}
	for _, r := range f.Require {
		if !r.Indirect {
			mod.Direct[r.Mod.Path] = r.Mod.Version
		}
	}
	return mod, nil
}

// build is what the release is built from: every module of the provider's
// binary but the main one, with the version the build selects, and the Go
// release that builds it.
type build struct {
	Modules   map[string]string
	GoVersion string
}

// loadBuild asks the go command about the main package in dir, as
// goreleaser builds it (CGO_ENABLED=0). The modules are the same on every
// platform the release builds for.
func loadBuild(dir string) (*build, error) {
	out, err := goCommand(dir, "list", "-deps", "-f", "{{with .Module}}{{if not .Main}}{{.Path}} {{.Version}}{{end}}{{end}}", ".")
	if err != nil {
		return nil, err
	}
	modules, err := parseModuleList(out)
	if err != nil {
		return nil, err
	}
	version, err := goCommand(dir, "env", "GOVERSION")
	if err != nil {
		return nil, err
	}
	return &build{Modules: modules, GoVersion: strings.TrimSpace(version)}, nil
}

// parseModuleList reads "path version" lines, one per package; blank lines
// are the standard library's packages.
func parseModuleList(out string) (map[string]string, error) {
	modules := map[string]string{}
	for line := range strings.Lines(out) {
		fields := strings.Fields(line)
		switch len(fields) {
		case 0:
		case 2:
			modules[fields[0]] = fields[1]
		default:
			return nil, fmt.Errorf("unexpected go list line %q", strings.TrimSpace(line))
		}
	}
	if len(modules) == 0 {
		return nil, fmt.Errorf("go list found no modules the provider's binary is built from")
	}
	return modules, nil
}

func goCommand(dir string, args ...string) (string, error) {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go %s in %s: %v\n%s", strings.Join(args, " "), dir, err, stderr.String())
	}
	return string(out), nil
}

package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/goreleaser/goreleaser/v2/pkg/config"

	"github.com/viberops/terraform-provider-viber/tools/goreleaser/internal/registrymanifest"
)

// release is what a release in dist must hold.
type release struct {
	dist        string
	manifestSrc string // the file the release uploads as the manifest
	project     string
	version     string   // without the leading v
	platforms   []string // os_arch, as the registry names them
}

// load reads the configuration and the version goreleaser recorded.
func load(configPath, dist, manifestSrc string) (*release, error) {
	cfg, err := config.Load(configPath)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", configPath, err)
	}
	if cfg.ProjectName == "" {
		return nil, fmt.Errorf("%s sets no project_name", configPath)
	}
	platforms, err := platformsOf(cfg)
	if err != nil {
		return nil, err
	}
	raw, err := os.ReadFile(filepath.Join(dist, "metadata.json"))
	if err != nil {
		return nil, fmt.Errorf("no goreleaser metadata (did the release run?): %w", err)
	}
	var meta struct {
		Version string `json:"version"`
	}
	if err := json.Unmarshal(raw, &meta); err != nil || meta.Version == "" {
		return nil, fmt.Errorf("dist/metadata.json holds no version: %v", err)
	}
	return &release{dist: dist, manifestSrc: manifestSrc, project: cfg.ProjectName, version: strings.TrimPrefix(meta.Version, "v"), platforms: platforms}, nil
}

// narrow makes the release one of the given platforms alone, each of which
// the configuration must build.
func (r *release) narrow(only []string) error {
	for _, p := range only {
		if !slices.Contains(r.platforms, p) {
			return fmt.Errorf("%s is not a platform of the configuration (%s)", p, strings.Join(r.platforms, " "))
		}
	}
	r.platforms = slices.Clone(only)
	slices.Sort(r.platforms)
	r.platforms = slices.Compact(r.platforms)
	return nil
}

// platformsOf lists the os_arch pairs the builds produce: goos × goarch
// less the ignored pairs and those Go cannot build (goreleaser skips them
// too, e.g. darwin/arm). A configuration using features this check does not
// model fails rather than being checked wrongly.
func platformsOf(cfg config.Project) ([]string, error) {
	supported, err := goPlatforms()
	if err != nil {
		return nil, err
	}
	if len(cfg.Builds) != 1 {
		return nil, fmt.Errorf("expected one build, found %d", len(cfg.Builds))
	}
	b := cfg.Builds[0]
	if len(b.Targets) > 0 || len(b.Goarm) > 1 || len(b.Goos) == 0 || len(b.Goarch) == 0 {
		return nil, errors.New("the build must list goos and goarch (and no targets, at most one goarm) for this check")
	}
	var out []string
	for _, goos := range b.Goos {
		for _, goarch := range b.Goarch {
			ignored := slices.ContainsFunc(b.Ignore, func(i config.IgnoredBuild) bool {
				return i.Goos == goos && i.Goarch == goarch
			})
			if !ignored && supported[goos+"/"+goarch] {
				out = append(out, goos+"_"+goarch)
			}
		}
	}
	slices.Sort(out)
	return out, nil
}

// goPlatforms is the set of GOOS/GOARCH pairs the Go toolchain supports.
func goPlatforms() (map[string]bool, error) {
	out, err := exec.Command("go", "tool", "dist", "list").Output()
	if err != nil {
		return nil, fmt.Errorf("go tool dist list: %w", err)
	}
	set := map[string]bool{}
	for _, p := range strings.Fields(string(out)) {
		set[p] = true
	}
	return set, nil
}

func (r *release) prefix() string             { return r.project + "_" + r.version }
func (r *release) sums() string               { return r.prefix() + "_SHA256SUMS" }
func (r *release) binary() string             { return r.project + "_v" + r.version }
func (r *release) manifest() string           { return r.prefix() + "_manifest.json" }
func (r *release) zip(platform string) string { return r.prefix() + "_" + platform + ".zip" }
func (r *release) sbom() string               { return r.prefix() + "_sbom.cdx.json" }

// verify runs every check, and reports every failure, not just the first.
func (r *release) verify() error {
	sums, err := r.readSums()
	if err != nil {
		return err
	}
	var errs []error
	// The SBOM is listed too, so that the signature and the attestation
	// cover it; the registry ignores files that are not zips.
	want := map[string]bool{r.manifest(): true, r.sbom(): true}
	for _, p := range r.platforms {
		want[r.zip(p)] = true
	}
	for name := range want {
		if _, listed := sums[name]; !listed {
			errs = append(errs, fmt.Errorf("%s does not list %s", r.sums(), name))
		}
	}
	for name, sum := range sums {
		if !want[name] {
			// Most of all the signature: a file that lists its own signature
			// cannot verify, which is how goreleaser v2.15.0 and v2.15.1 break releases.
			errs = append(errs, fmt.Errorf("%s lists %s, which is not part of a provider release", r.sums(), name))
			continue
		}
		if got, err := fileSHA256(r.path(name)); err != nil {
			errs = append(errs, err)
		} else if got != sum {
			errs = append(errs, fmt.Errorf("%s: sha256 %s, but %s says %s", name, got, r.sums(), sum))
		}
	}
	for _, p := range r.platforms {
		if err := r.checkZip(r.zip(p)); err != nil {
			errs = append(errs, err)
		}
	}
	errs = append(errs, r.checkManifest(), r.checkSignature())
	return errors.Join(errs...)
}

// path is where the release file name is: in dist, but for the manifest,
// which the release uploads from the work tree under that name.
func (r *release) path(name string) string {
	if name == r.manifest() {
		return r.manifestSrc
	}
	return filepath.Join(r.dist, name)
}

// readSums parses the checksum file: "<hex>  <name>" per line.
func (r *release) readSums() (map[string]string, error) {
	f, err := os.Open(filepath.Join(r.dist, r.sums()))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sums := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) != 2 {
			return nil, fmt.Errorf("%s: malformed line %q", r.sums(), sc.Text())
		}
		sums[fields[1]] = fields[0]
	}
	return sums, sc.Err()
}

// checkZip requires the archive to hold exactly the provider binary.
func (r *release) checkZip(name string) error {
	z, err := zip.OpenReader(filepath.Join(r.dist, name))
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	defer z.Close()
	var names []string
	for _, f := range z.File {
		names = append(names, f.Name)
	}
	want := r.binary()
	if strings.HasPrefix(strings.TrimSuffix(name, ".zip"), r.prefix()+"_windows_") {
		want += ".exe"
	}
	if len(names) != 1 || names[0] != want {
		return fmt.Errorf("%s holds %v, want exactly [%s]", name, names, want)
	}
	return nil
}

func (r *release) checkManifest() error {
	raw, err := os.ReadFile(r.path(r.manifest()))
	if err != nil {
		return err
	}
	m, err := registrymanifest.Parse(raw, r.manifest())
	if err != nil {
		return err
	}
	if !slices.Equal(m.ProtocolVersions, []string{"6.0"}) {
		return fmt.Errorf("%s declares protocols %v; want [6.0], the protocol this provider speaks", r.manifest(), m.ProtocolVersions)
	}
	return nil
}

// checkSignature asks gpg, as a user of the registry would, whether the
// detached signature matches the checksum file.
func (r *release) checkSignature() error {
	sig := filepath.Join(r.dist, r.sums()+".sig")
	if _, err := os.Stat(sig); err != nil {
		return fmt.Errorf("no signature: %w", err)
	}
	var out bytes.Buffer
	cmd := exec.Command("gpg", "--batch", "--verify", sig, filepath.Join(r.dist, r.sums()))
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("gpg --verify %s: %v\n%s", filepath.Base(sig), err, out.String())
	}
	return nil
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

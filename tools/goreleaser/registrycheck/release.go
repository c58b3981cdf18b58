package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/viberops/terraform-provider-viber/tools/goreleaser/internal/registrymanifest"
)

// platform is an os/arch pair as the registry protocol names it.
type platform struct {
	OS   string `json:"os"`
	Arch string `json:"arch"`
}

func (p platform) String() string { return p.OS + "_" + p.Arch }

func parsePlatform(s string) (platform, error) {
	goos, arch, ok := strings.Cut(s, "_")
	if !ok || goos == "" || arch == "" || strings.Contains(arch, "_") {
		return platform{}, fmt.Errorf("%q is not an os_arch platform", s)
	}
	return platform{goos, arch}, nil
}

// release is a provider release as goreleaser wrote it to dist, read the way
// a registry reads it when the release is published: everything it serves
// comes from the checksum file, its signature, the manifest and the zips.
type release struct {
	dist      string
	namespace string // from the README's source address
	typ       string
	version   string            // without a leading v
	sums      map[string]string // file name -> sha256 hex, as the checksum file lists it
	sumsRaw   []byte
	protocols []string          // from the manifest
	platforms []platform        // one per zip the checksum file lists, sorted
	files     map[string]string // served name -> path on disk
}

func (r *release) prefix() string       { return "terraform-provider-" + r.typ + "_" + r.version }
func (r *release) sumsName() string     { return r.prefix() + "_SHA256SUMS" }
func (r *release) sigName() string      { return r.sumsName() + ".sig" }
func (r *release) manifestName() string { return r.prefix() + "_manifest.json" }
func (r *release) zipName(p platform) string {
	return r.prefix() + "_" + p.String() + ".zip"
}

// semver without prerelease or build metadata: the only versions a
// constraint such as "~> 1.0" selects.
var releaseVersion = regexp.MustCompile(`^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$`)

// loadRelease reads the release of namespace/typ in dist. manifestSrc is
// where the manifest is when goreleaser did not copy it into dist (it uploads
// it from the work tree); "" means it must be in dist.
func loadRelease(dist, namespace, typ, manifestSrc string) (*release, error) {
	pattern := filepath.Join(dist, "terraform-provider-"+typ+"_*_SHA256SUMS")
	found, err := filepath.Glob(pattern)
	if err != nil {
		return nil, err
	}
	if len(found) != 1 {
		return nil, fmt.Errorf("want exactly one checksum file %s, found %d", pattern, len(found))
	}
	base := filepath.Base(found[0])
	version := strings.TrimSuffix(strings.TrimPrefix(base, "terraform-provider-"+typ+"_"), "_SHA256SUMS")
	if !releaseVersion.MatchString(version) {
		return nil, fmt.Errorf("%s: version %q is not X.Y.Z: a snapshot or prerelease is never selected by a user's version constraint; build it from a vX.Y.Z tag", base, version)
	}
	r := &release{dist: dist, namespace: namespace, typ: typ, version: version, files: map[string]string{}}
	if r.sumsRaw, err = os.ReadFile(found[0]); err != nil {
		return nil, err
	}
	if r.sums, err = parseSums(r.sumsRaw); err != nil {
		return nil, fmt.Errorf("%s: %w", base, err)
	}
	r.files[r.sumsName()] = found[0]
	sig := filepath.Join(dist, r.sigName())
	if _, err := os.Stat(sig); err != nil {
		return nil, fmt.Errorf("no signature of the checksum file: %w", err)
	}
	r.files[r.sigName()] = sig

	var errs []error
	for name := range r.sums {
		switch {
		case name == r.manifestName():
		case name == r.prefix()+"_sbom.cdx.json":
			// Listed so that the signature covers it; the registry serves
			// only zips, and the CLIs record a hash for every line.
		case strings.HasPrefix(name, r.prefix()+"_") && strings.HasSuffix(name, ".zip"):
			p, err := parsePlatform(strings.TrimSuffix(strings.TrimPrefix(name, r.prefix()+"_"), ".zip"))
			if err != nil {
				errs = append(errs, fmt.Errorf("%s lists %s: %w", base, name, err))
				continue
			}
			path := filepath.Join(dist, name)
			if _, err := os.Stat(path); err != nil {
				errs = append(errs, fmt.Errorf("%s lists %s, which the release lacks: %w", base, name, err))
				continue
			}
			r.platforms = append(r.platforms, p)
			r.files[name] = path
		default:
			errs = append(errs, fmt.Errorf("%s lists %s, which is not part of a provider release", base, name))
		}
	}
	slices.SortFunc(r.platforms, func(a, b platform) int { return strings.Compare(a.String(), b.String()) })
	if len(r.platforms) == 0 {
		errs = append(errs, fmt.Errorf("%s lists no %s_<os>_<arch>.zip", base, r.prefix()))
	}
	if err := r.loadManifest(manifestSrc); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return r, nil
}

// loadManifest takes the protocol versions from the manifest the checksum
// file lists, as the registry does; without it the registry would assume
// protocol 5.0, which this provider does not speak.
func (r *release) loadManifest(manifestSrc string) error {
	want, listed := r.sums[r.manifestName()]
	if !listed {
		return fmt.Errorf("%s does not list %s: the registry would not know the provider's protocol", r.sumsName(), r.manifestName())
	}
	path := filepath.Join(r.dist, r.manifestName())
	if _, err := os.Stat(path); err != nil {
		if manifestSrc == "" {
			return fmt.Errorf("%s is not in %s (give -manifest)", r.manifestName(), r.dist)
		}
		path = manifestSrc
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if got := sha256Hex(raw); got != want {
		return fmt.Errorf("%s: sha256 %s, but %s lists %s", path, got, r.sumsName(), want)
	}
	m, err := registrymanifest.Parse(raw, path)
	if err != nil {
		return err
	}
	r.protocols = m.ProtocolVersions
	r.files[r.manifestName()] = path
	return nil
}

// parseSums reads "<sha256 hex>  <name>" lines, as sha256sum writes them.
func parseSums(raw []byte) (map[string]string, error) {
	sums := map[string]string{}
	for _, line := range splitLines(raw) {
		sum, name, ok := cutSumLine(line)
		if !ok {
			return nil, fmt.Errorf("malformed line %q", line)
		}
		if _, dup := sums[name]; dup {
			return nil, fmt.Errorf("lists %s twice", name)
		}
		sums[name] = sum
	}
	if len(sums) == 0 {
		return nil, errors.New("empty")
	}
	return sums, nil
}

func splitLines(raw []byte) []string {
	s := strings.TrimSuffix(string(raw), "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func cutSumLine(line string) (sum, name string, ok bool) {
	sum, name, ok = strings.Cut(line, "  ")
	if b, err := hex.DecodeString(sum); !ok || err != nil || len(b) != sha256.Size || name == "" || strings.ContainsAny(name, " /\r") {
		return "", "", false
	}
	return strings.ToLower(sum), name, true
}

// allSums are the checksums the signed checksum file lists, one per line:
// what a lock file's zh: hashes must be, since Terraform and OpenTofu record
// every line of a checksum file whose signature they verified (the zips' and
// the manifest's).
func (r *release) allSums() []string {
	var out []string
	for _, sum := range r.sums {
		out = append(out, sum)
	}
	slices.Sort(out)
	return out
}

func (r *release) hasPlatform(p platform) bool { return slices.Contains(r.platforms, p) }

// The registry protocol's documents (developer.hashicorp.com/terraform/internals/provider-registry-protocol).

type versionsDoc struct {
	Versions []versionEntry `json:"versions"`
}

type versionEntry struct {
	Version   string     `json:"version"`
	Protocols []string   `json:"protocols"`
	Platforms []platform `json:"platforms"`
}

type downloadDoc struct {
	Protocols           []string    `json:"protocols"`
	OS                  string      `json:"os"`
	Arch                string      `json:"arch"`
	Filename            string      `json:"filename"`
	DownloadURL         string      `json:"download_url"`
	ShasumsURL          string      `json:"shasums_url"`
	ShasumsSignatureURL string      `json:"shasums_signature_url"`
	Shasum              string      `json:"shasum"`
	SigningKeys         signingKeys `json:"signing_keys"`
}

type signingKeys struct {
	GPGPublicKeys []gpgPublicKey `json:"gpg_public_keys"`
}

type gpgPublicKey struct {
	KeyID          string `json:"key_id"`
	ASCIIArmor     string `json:"ascii_armor"`
	TrustSignature string `json:"trust_signature"`
	Source         string `json:"source"`
	SourceURL      string `json:"source_url"`
}

// versions is GET /v1/providers/{namespace}/{type}/versions.
func (r *release) versions() versionsDoc {
	return versionsDoc{Versions: []versionEntry{{Version: r.version, Protocols: r.protocols, Platforms: r.platforms}}}
}

// download is GET /v1/providers/{namespace}/{type}/{version}/download/{os}/{arch};
// filesURL is where the release files are served (ending in /), key the
// signing key. shasum is what the checksum file lists for the zip, as the
// registry records it when the release is published.
func (r *release) download(p platform, filesURL string, key signingKey) downloadDoc {
	zip := r.zipName(p)
	return downloadDoc{
		Protocols:           r.protocols,
		OS:                  p.OS,
		Arch:                p.Arch,
		Filename:            zip,
		DownloadURL:         filesURL + zip,
		ShasumsURL:          filesURL + r.sumsName(),
		ShasumsSignatureURL: filesURL + r.sigName(),
		Shasum:              r.sums[zip],
		SigningKeys: signingKeys{GPGPublicKeys: []gpgPublicKey{{
			KeyID:      key.id,
			ASCIIArmor: key.armor,
			Source:     r.namespace,
		}}},
	}
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

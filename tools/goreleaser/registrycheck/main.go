// Command registrycheck installs a provider release the way its users do:
// from a registry, by the README's version constraint, with the signature
// and the lock file checked, under each Terraform and OpenTofu binary given.
//
//	registrycheck -dist DIST -key KEY.asc -readme README.md -manifest MANIFEST -work DIR CLI...
//
// DIST is goreleaser's output for a vX.Y.Z tag (release --skip=publish):
// the checksum file, its signature and the zips. KEY.asc is the armored
// public key that signed the checksum file. Everything the registry serves
// is derived from those files, so a release the CLIs cannot install, or one
// whose signature or downloaded zips do not match, fails; the zips of other
// platforms and the manifest's contents are releasecheck's to verify.
//
// It serves the provider registry protocol over HTTPS on 127.0.0.1 with a
// throwaway CA (DIR/ca.pem, trusted by the CLIs through SSL_CERT_FILE, which
// Go honours on Linux), points the default registry hostname at it with a
// host block in a CLI configuration, and per CLI runs init (the signing key
// named in its output), compares the lock file's zh: and h1: hashes with the
// release's, runs providers lock for three platforms, init -lockfile=readonly
// in a fresh directory and providers schema -json. Two negative controls
// must make init fail: a zip whose bytes differ from the checksum file, and
// a checksum file rewritten to match such a zip under the original signature.
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
)

func main() {
	dist := flag.String("dist", "", "goreleaser's dist folder of a vX.Y.Z release")
	keyFile := flag.String("key", "", "the armored public key that signed the checksum file")
	readme := flag.String("readme", "README.md", "the README whose required_providers block users copy")
	manifest := flag.String("manifest", "", "the registry manifest, when goreleaser did not put it in dist")
	work := flag.String("work", "", "an empty or new directory for the CA, CLI configurations and configurations")
	lockPlatforms := flag.String("lock-platforms", "linux_amd64,darwin_arm64,windows_amd64", "platforms for providers lock")
	timeout := flag.Duration("timeout", 3*time.Minute, "limit for each CLI command")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: %s -dist DIR -key KEY.asc -work DIR [flags] CLI...\n", os.Args[0])
		flag.PrintDefaults()
	}
	flag.Parse()
	if *dist == "" || *keyFile == "" || *work == "" || flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	if err := run(ctx, *dist, *keyFile, *readme, *manifest, *work, *lockPlatforms, *timeout, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "registry-check: FAILED:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, dist, keyFile, readmePath, manifest, work, lockPlatforms string, timeout time.Duration, clis []string) error {
	readme, err := os.ReadFile(readmePath)
	if err != nil {
		return err
	}
	req, err := readmeRequirement(string(readme))
	if err != nil {
		return fmt.Errorf("%s: %w", readmePath, err)
	}
	armor, err := os.ReadFile(keyFile)
	if err != nil {
		return err
	}
	key, err := parseSigningKey(string(armor))
	if err != nil {
		return fmt.Errorf("%s: %w", keyFile, err)
	}
	rel, err := loadRelease(dist, req.namespace, req.typ, manifest)
	if err != nil {
		return err
	}
	var locks []platform
	for _, s := range strings.Split(lockPlatforms, ",") {
		p, err := parsePlatform(s)
		if err != nil {
			return err
		}
		if !rel.hasPlatform(p) {
			return fmt.Errorf("the release has no %s zip", p)
		}
		locks = append(locks, p)
	}
	if work, err = filepath.Abs(work); err != nil {
		return err
	}
	if err := os.MkdirAll(work, 0o755); err != nil {
		return err
	}
	if entries, _ := os.ReadDir(work); len(entries) > 0 {
		return fmt.Errorf("%s is not empty", work)
	}

	// Who runs: each CLI's name, version and platform.
	empty := filepath.Join(work, "empty.tfrc")
	if err := writeFile(empty, ""); err != nil {
		return err
	}
	var bins []*cli
	for _, path := range clis {
		if path, err = filepath.Abs(path); err != nil {
			return err
		}
		c, err := identify(ctx, path, empty, timeout)
		if err != nil {
			return err
		}
		if !rel.hasPlatform(c.platform) {
			return fmt.Errorf("%s runs on %s, for which the release has no zip", path, c.platform)
		}
		if len(bins) > 0 && c.platform != bins[0].platform {
			return fmt.Errorf("%s runs on %s, %s on %s: give CLIs of one platform", path, c.platform, bins[0].path, bins[0].platform)
		}
		bins = append(bins, c)
	}
	host := bins[0].platform

	good := &variant{rel: rel, key: key}
	tamperedZip, err := newTamperedZip(rel, key, host)
	if err != nil {
		return err
	}
	rehashed, err := newRehashed(rel, key, host)
	if err != nil {
		return err
	}
	reg, err := startRegistry(good, tamperedZip, rehashed)
	if err != nil {
		return err
	}
	defer reg.close()
	caFile := filepath.Join(work, "ca.pem")
	if err := writeFile(caFile, string(reg.caPEM)); err != nil {
		return err
	}
	if err := reg.selfCheck(ctx, rel); err != nil {
		return err
	}

	c := &checker{rel: rel, key: key, req: req, reg: reg, caFile: caFile, locks: locks,
		good: good, negatives: []negative{
			{tamperedZip, "a tampered zip", "checksum", regexp.MustCompile(`archive has incorrect checksum`)},
			{rehashed, "SHA256SUMS re-hashed for a tampered zip", "signature",
				regexp.MustCompile(`error checking signature|authentication signature from unknown issuer|not signed with a valid signing key`)},
		}}
	c.hashes = map[platform]string{}
	for _, p := range append([]platform{host}, locks...) {
		raw, err := os.ReadFile(rel.files[rel.zipName(p)])
		if err != nil {
			return err
		}
		if c.hashes[p], err = h1Hash(raw); err != nil {
			return fmt.Errorf("%s: %w", rel.zipName(p), err)
		}
	}
	for i, b := range bins {
		dir := filepath.Join(work, fmt.Sprintf("%d-%s", i+1, filepath.Base(b.path)))
		line, err := c.check(ctx, b, dir)
		if err != nil {
			return fmt.Errorf("%s %s (%s): %w", b.name, b.version, b.path, err)
		}
		fmt.Println(line)
	}
	return nil
}

// selfCheck fetches the service discovery document and the versions over
// HTTPS with the CA the CLIs are told to trust, so that a broken server
// fails here with a clear message rather than inside a CLI.
func (reg *registry) selfCheck(ctx context.Context, rel *release) error {
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(reg.caPEM) {
		return errors.New("the throwaway CA does not parse")
	}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	defer client.CloseIdleConnections()
	for path, want := range map[string]string{
		"/.well-known/terraform.json":                                  `{"providers.v1":"/v1/providers/"}`,
		"/v1/providers/" + rel.namespace + "/" + rel.typ + "/versions": "",
	} {
		r, err := http.NewRequestWithContext(ctx, "GET", reg.base+path, nil)
		if err != nil {
			return err
		}
		resp, err := client.Do(r)
		if err != nil {
			return fmt.Errorf("the local registry: %w", err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK || (want != "" && strings.TrimSpace(string(body)) != want) {
			return fmt.Errorf("the local registry: GET %s: %s %s %v", path, resp.Status, body, err)
		}
	}
	reg.served() // not counted as the CLIs' requests
	return nil
}

type negative struct {
	v      *variant
	what   string
	check  string // the check that must refuse it
	expect *regexp.Regexp
}

type checker struct {
	rel       *release
	key       signingKey
	req       requirement
	reg       *registry
	caFile    string
	locks     []platform
	hashes    map[platform]string // h1: of each zip the CLIs download
	good      *variant
	negatives []negative
}

// check installs the release under one CLI and returns what it verified.
func (c *checker) check(ctx context.Context, b *cli, dir string) (string, error) {
	start := time.Now()
	rel := c.rel
	addr := b.host + "/" + rel.namespace + "/" + rel.typ
	config := c.req.block + "\nprovider \"" + c.req.localName + "\" {}\n"
	env := func(v *variant, name string) ([]string, error) {
		f := filepath.Join(dir, name+".tfrc")
		return cliEnv(f, c.caFile), writeFile(f, cliConfig(b.host, v.providersURL(c.reg.base)))
	}
	goodEnv, err := env(c.good, "registry")
	if err != nil {
		return "", err
	}
	c.reg.served()

	// init, as a user runs it first.
	initDir := filepath.Join(dir, "init")
	if err := writeFile(filepath.Join(initDir, "main.tf"), config); err != nil {
		return "", err
	}
	out, _, err := b.run(ctx, initDir, goodEnv, "init", "-no-color", "-input=false")
	if err != nil {
		return "", explainInitFailure(err, rel)
	}
	installed := fmt.Sprintf("Installed %s/%s v%s", rel.namespace, rel.typ, rel.version)
	if !strings.Contains(out, installed) || !strings.Contains(out, "key ID "+c.key.id) {
		return "", fmt.Errorf("init did not say %q signed with key ID %s:\n%s", installed, c.key.id, out)
	}
	if err := c.fetched(b.platform); err != nil {
		return "", fmt.Errorf("init: %w", err)
	}
	lockFile := filepath.Join(initDir, ".terraform.lock.hcl")
	entry, err := c.readLock(lockFile, addr)
	if err != nil {
		return "", fmt.Errorf("after init: %w", err)
	}
	if err := errors.Join(entry.checkZH(rel.allSums()), entry.checkH1(map[platform]string{b.platform: c.hashes[b.platform]})); err != nil {
		return "", fmt.Errorf("after init: %w", err)
	}

	// providers lock for other platforms: their zips are downloaded and hashed.
	args := []string{"providers", "lock", "-no-color"}
	want := map[platform]string{}
	var names []string
	for _, p := range c.locks {
		args = append(args, "-platform="+p.String())
		want[p] = c.hashes[p]
		names = append(names, p.String())
	}
	if _, _, err := b.run(ctx, initDir, goodEnv, args...); err != nil {
		return "", err
	}
	if err := c.fetched(c.locks...); err != nil {
		return "", fmt.Errorf("providers lock: %w", err)
	}
	if entry, err = c.readLock(lockFile, addr); err != nil {
		return "", fmt.Errorf("after providers lock: %w", err)
	}
	if err := errors.Join(entry.checkZH(rel.allSums()), entry.checkH1(want)); err != nil {
		return "", fmt.Errorf("after providers lock: %w", err)
	}

	// A fresh directory with that lock file, as CI would run.
	lock, err := os.ReadFile(lockFile)
	if err != nil {
		return "", err
	}
	roDir := filepath.Join(dir, "readonly")
	if err := writeFile(filepath.Join(roDir, "main.tf"), config); err != nil {
		return "", err
	}
	if err := writeFile(filepath.Join(roDir, ".terraform.lock.hcl"), string(lock)); err != nil {
		return "", err
	}
	if _, _, err := b.run(ctx, roDir, goodEnv, "init", "-no-color", "-input=false", "-lockfile=readonly"); err != nil {
		return "", err
	}
	if err := c.fetched(b.platform); err != nil {
		return "", fmt.Errorf("init -lockfile=readonly: %w", err)
	}
	if after, err := os.ReadFile(filepath.Join(roDir, ".terraform.lock.hcl")); err != nil || string(after) != string(lock) {
		return "", fmt.Errorf("init -lockfile=readonly changed the lock file (%v)", err)
	}
	schema, _, err := b.run(ctx, roDir, goodEnv, "providers", "schema", "-json")
	if err != nil {
		return "", err
	}
	if err := schemaLists(schema, addr, "viber_webhook"); err != nil {
		return "", err
	}

	// The negative controls: init must refuse each, by the check named.
	var refused []string
	for i, n := range c.negatives {
		negEnv, err := env(n.v, fmt.Sprintf("negative-%d", i+1))
		if err != nil {
			return "", err
		}
		negDir := filepath.Join(dir, fmt.Sprintf("negative-%d", i+1))
		if err := writeFile(filepath.Join(negDir, "main.tf"), config); err != nil {
			return "", err
		}
		stdout, stderr, err := b.run(ctx, negDir, negEnv, "init", "-no-color", "-input=false")
		if err == nil {
			return "", fmt.Errorf("negative control: init accepted %s:\n%s", n.what, tail(stdout+stderr, 20))
		}
		if !n.expect.MatchString(strings.Join(strings.Fields(stdout+stderr), " ")) { // the CLIs wrap lines
			return "", fmt.Errorf("negative control: init refused %s, but not by its %s check (want /%s/): %w", n.what, n.check, n.expect, err)
		}
		if err := c.fetched(b.platform); err != nil { // the tampered zip reached the CLI
			return "", fmt.Errorf("negative control %s: %w", n.what, err)
		}
		refused = append(refused, fmt.Sprintf("%s (%s)", n.what, n.check))
	}

	return fmt.Sprintf("registry-check: %s %s %s: init %s %q -> %s over HTTPS, signed by key ID %s; "+
		"lock: zh: %d/%d = SHA256SUMS, h1: = zips of %s; init -lockfile=readonly; schema lists viber_webhook; "+
		"init refused %s [%.1fs]",
		b.name, b.version, b.platform, addr, constraintOf(c.req.block), rel.version, c.key.id,
		len(entry.scheme("zh:")), len(rel.allSums()), strings.Join(names, " "),
		strings.Join(refused, ", "), time.Since(start).Seconds()), nil
}

func (c *checker) readLock(path, addr string) (lockEntry, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return lockEntry{}, err
	}
	e, err := parseLock(string(raw), addr)
	if err != nil {
		return e, err
	}
	if e.version != c.rel.version {
		return e, fmt.Errorf("the lock file has %s %s, want %s", addr, e.version, c.rel.version)
	}
	return e, nil
}

// fetched requires the zips of ps to have been downloaded from the server
// since the last call: the CLI installed what was served, not a copy from
// elsewhere.
func (c *checker) fetched(ps ...platform) error {
	served := c.reg.served()
	var missing []string
	for _, p := range ps {
		if !slices.ContainsFunc(mapKeys(served), func(path string) bool {
			return strings.HasSuffix(path, "/files/"+c.rel.zipName(p))
		}) {
			missing = append(missing, c.rel.zipName(p))
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%v not downloaded from the local registry (served: %v)", missing, served)
	}
	return nil
}

func mapKeys(m map[string]int) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

var versionConstraint = regexp.MustCompile(`\bversion\s*=\s*"([^"]*)"`)

func constraintOf(block string) string {
	if m := versionConstraint.FindStringSubmatch(block); m != nil {
		return m[1]
	}
	return "any version"
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// cli is a Terraform or OpenTofu binary.
type cli struct {
	path     string
	name     string // "Terraform" or "OpenTofu"
	version  string
	platform platform
	host     string // the hostname its unqualified provider sources resolve to
	timeout  time.Duration
}

// identify asks the binary what it is. configFile is a CLI configuration to
// run it with (OpenTofu warns on stdout without one).
func identify(ctx context.Context, path, configFile string, timeout time.Duration) (*cli, error) {
	c := &cli{path: path, timeout: timeout}
	env := cliEnv(configFile, "")
	raw, _, err := c.run(ctx, ".", env, "version", "-json")
	if err != nil {
		return nil, err
	}
	var v struct {
		Version  string `json:"terraform_version"`
		Platform string `json:"platform"`
	}
	if err := json.Unmarshal([]byte(raw), &v); err != nil || v.Version == "" {
		return nil, fmt.Errorf("%s version -json: %q: %v", path, raw, err)
	}
	if c.platform, err = parsePlatform(v.Platform); err != nil {
		return nil, fmt.Errorf("%s version -json: %w", path, err)
	}
	human, _, err := c.run(ctx, ".", env, "version")
	if err != nil {
		return nil, err
	}
	c.version = v.Version
	switch {
	case strings.HasPrefix(human, "OpenTofu v"):
		c.name, c.host = "OpenTofu", "registry.opentofu.org"
	case strings.HasPrefix(human, "Terraform v"):
		c.name, c.host = "Terraform", "registry.terraform.io"
	default:
		return nil, fmt.Errorf("%s is neither Terraform nor OpenTofu: %q", path, firstLine(human))
	}
	return c, nil
}

// cliEnv is this process's environment without the variables that change
// where or how the CLIs install providers (TF_PLUGIN_CACHE_DIR, TF_DATA_DIR,
// TF_CLI_ARGS*, ...), and with the given CLI configuration and, if given,
// the CA file that Go's TLS on Linux trusts instead of the system's bundle.
func cliEnv(configFile, caFile string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "TF_") || strings.HasPrefix(k, "TOFU_") || strings.HasPrefix(k, "OPENTOFU_") ||
			k == "SSL_CERT_FILE" || k == "SSL_CERT_DIR" || k == "CHECKPOINT_DISABLE" {
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "TF_CLI_CONFIG_FILE="+configFile, "CHECKPOINT_DISABLE=1")
	if caFile != "" {
		env = append(env, "SSL_CERT_FILE="+caFile)
	}
	return env
}

// run runs the CLI in dir and returns its stdout and stderr; a non-zero exit
// is an error holding both.
func (c *cli) run(ctx context.Context, dir string, env []string, args ...string) (stdout, stderr string, err error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	var out, errOut bytes.Buffer
	cmd := exec.CommandContext(ctx, c.path, args...)
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = dir, env, &out, &errOut
	cmd.WaitDelay = 5 * time.Second
	err = cmd.Run()
	if ctx.Err() != nil {
		err = fmt.Errorf("timed out after %s", c.timeout)
	}
	if dir != "." { // a transcript next to the configuration, for a look afterwards
		if f, ferr := os.OpenFile(filepath.Join(dir, "cli.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644); ferr == nil {
			fmt.Fprintf(f, "$ %s %s\n%s%s(exit: %v)\n\n", c.path, strings.Join(args, " "), out.String(), errOut.String(), err)
			f.Close()
		}
	}
	if err != nil {
		err = fmt.Errorf("%s %s (in %s): %w\n%s", filepath.Base(c.path), strings.Join(args, " "), dir, err, tail(out.String()+errOut.String(), 40))
	}
	return out.String(), errOut.String(), err
}

// cliConfig is a CLI configuration that sends host's provider registry to
// providersURL and installs only from registries (no implicit local mirror
// directories, no plugin cache).
func cliConfig(host, providersURL string) string {
	return fmt.Sprintf(`# registry-check: %[1]s's provider registry, served on loopback.
provider_installation {
  direct {}
}

host %[1]q {
  services = {
    "providers.v1" = %[2]q
  }
}
`, host, providersURL)
}

func writeFile(path, content string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(content), 0o644)
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = append([]string{"..."}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "\n")
}

var noMatchingVersion = regexp.MustCompile(`(?i)no available releases match`)

// explainInitFailure adds what is most likely wrong to a failed init.
func explainInitFailure(err error, rel *release) error {
	if noMatchingVersion.MatchString(err.Error()) {
		return fmt.Errorf("%w\nthe README's version constraint does not accept the release's version %s: tag the release to match it, or change the README", err, rel.version)
	}
	return err
}

// schemaLists requires `providers schema -json` to list resource for addr.
func schemaLists(raw, addr, resource string) error {
	var s struct {
		ProviderSchemas map[string]struct {
			ResourceSchemas map[string]json.RawMessage `json:"resource_schemas"`
		} `json:"provider_schemas"`
	}
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		return fmt.Errorf("providers schema -json: %w", err)
	}
	p, ok := s.ProviderSchemas[addr]
	if !ok {
		var have []string
		for k := range s.ProviderSchemas {
			have = append(have, k)
		}
		return fmt.Errorf("providers schema -json has no %s (has %v)", addr, have)
	}
	if _, ok := p.ResourceSchemas[resource]; !ok {
		return fmt.Errorf("providers schema -json: %s lists no %s", addr, resource)
	}
	return nil
}

// Command walk-mutants proves that the walk guards what it claims to: it
// breaks one of the provider's safeguards at a time in a copy of the work
// tree (the write-time check, the replacement's proof, the Retry-After
// wait, the removal's same-apply guard), walks the seeds make test walks
// under the CLI in TF_ACC_TERRAFORM_PATH, and fails unless every broken
// copy makes the walk report a violation. make walk-mutants runs it.
package main

import (
	"bytes"
	"cmp"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// mutant is one safeguard broken by replacing old, which must occur once
// in file, with new; the walk must then report a violation matching want.
type mutant struct {
	name, file, old, new string
	want                 *regexp.Regexp
}

var mutants = []mutant{
	{
		name: "write-time check (an update with another bot's token)",
		file: "internal/provider/webhook_resource.go",
		old:  "case tokenBot != stateID: // resp.State is still the prior state",
		new:  "case false && tokenBot != stateID:",
		want: regexp.MustCompile(`set_webhook with url "[^"]+" reached pa:\d+; the configuration means it for`),
	},
	{
		name: "replacement's proof (tokens changed since the plan)",
		file: "internal/provider/webhook_resource.go",
		old:  `was != "" && was != r.data.tokensDigest {`,
		new:  `false && was != "" && was != r.data.tokensDigest {`,
		want: regexp.MustCompile(`set_webhook with url "[^"]+" reached pa:\d+; the configuration means it for`),
	},
	{
		name: "Retry-After wait",
		file: "internal/retry/retry.go",
		old:  "if hasAsked { // what the server asked for",
		new:  "if false && hasAsked { // what the server asked for",
		want: regexp.MustCompile(`after an answer with Retry-After`),
	},
	{
		name: "removal's same-apply guard",
		file: "internal/provider/webhook_writes.go",
		old:  "return ok && holder != object",
		new:  "return false && ok && holder != object",
		want: regexp.MustCompile(`but Viber holds none`),
	},
}

func main() {
	only := flag.String("only", "", "walk only the mutants whose name contains this")
	seeds := flag.String("seeds", "", "seeds to walk, as WALK_SEEDS (default: make test's)")
	steps := flag.String("steps", "", "steps per seed, as WALK_STEPS (default: make test's)")
	flag.Parse()
	if os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		fmt.Fprintln(os.Stderr, "walk-mutants: set TF_ACC_TERRAFORM_PATH (make walk-mutants does)")
		os.Exit(2)
	}
	// A violation counts only when the walk passes without the mutant.
	start := time.Now()
	if _, err := walkMutant(mutant{name: "none"}, *seeds, *steps); err != nil {
		fmt.Fprintf(os.Stderr, "walk-mutants: with no safeguard broken: %v\nFix that first.\n", err)
		os.Exit(2)
	}
	fmt.Printf("%-58s passed (%.1f min)\n", "(no safeguard broken)", time.Since(start).Minutes())
	survived := 0
	for _, m := range mutants {
		if !strings.Contains(m.name, *only) {
			continue
		}
		start := time.Now()
		verdict, err := walkMutant(m, *seeds, *steps)
		if err != nil {
			fmt.Fprintf(os.Stderr, "walk-mutants: %s: %v\n", m.name, err)
			os.Exit(2)
		}
		if verdict == "passed" {
			verdict = "SURVIVED: the walk passed"
			survived++
		}
		fmt.Printf("%-58s %s (%.1f min)\n", m.name, verdict, time.Since(start).Minutes())
	}
	if survived > 0 {
		fmt.Printf("%d broken safeguard(s) went unnoticed by the walk\n", survived)
		os.Exit(1)
	}
}

// violation is the first line of a walk's failure report.
var violation = regexp.MustCompile(`seed \d+, CLI \S+: step \d+ violates an invariant: [^\n]*`)

// walkMutant walks seeds of steps (make test's when "") in a copy of the
// work tree with m applied (none when m.file is ""): "passed", or
// "killed: " and the violations m.want names.
func walkMutant(m mutant, seeds, steps string) (string, error) {
	dir, err := os.MkdirTemp("", "walk-mutant-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	if err := copyTree(dir); err != nil {
		return "", err
	}
	if m.file != "" {
		path := filepath.Join(dir, m.file)
		src, err := os.ReadFile(path)
		if err != nil {
			return "", err
		}
		if n := bytes.Count(src, []byte(m.old)); n != 1 {
			return "", fmt.Errorf("%s holds %q %d times, want once: update the mutant with the code", m.file, m.old, n)
		}
		if err := os.WriteFile(path, bytes.Replace(src, []byte(m.old), []byte(m.new), 1), 0o644); err != nil {
			return "", err
		}
	}
	cmd := exec.Command(cmp.Or(os.Getenv("GO"), "go"), "test", "-count=1", "-v", "-timeout", "30m", "-run", "^TestAccWalk$", "./internal/provider/")
	cmd.Dir = dir
	// "" is the walk's default: make test's seeds and steps. No shrinking.
	cmd.Env = append(os.Environ(), "WALK_SEEDS="+seeds, "WALK_STEPS="+steps, "WALK_REPLAY=", "WALK_OUT=", "WALK_SHRINK=0")
	out, err := cmd.CombinedOutput()
	if err == nil {
		return "passed", nil
	}
	var found [][]byte
	for _, v := range violation.FindAll(out, -1) {
		if m.want != nil && m.want.Match(v) {
			found = append(found, v)
		}
	}
	if found == nil {
		return "", fmt.Errorf("the walk failed, but not as breaking this safeguard must make it fail:\n%s", out)
	}
	return "killed: " + string(bytes.Join(found, []byte("\n  "))), nil
}

// copyTree copies the work tree's files that git does not ignore, as they
// are now and with their modes, to dir.
func copyTree(dir string) error {
	list, err := exec.Command("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard").Output()
	if err != nil {
		return fmt.Errorf("git ls-files: %w", err)
	}
	for _, name := range strings.Split(strings.TrimRight(string(list), "\x00"), "\x00") {
		info, err := os.Lstat(name)
		if os.IsNotExist(err) {
			continue // deleted in the work tree
		}
		if err != nil {
			return err
		}
		if !info.Mode().IsRegular() {
			continue // the walk needs only regular files
		}
		raw, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(dst, raw, info.Mode().Perm()); err != nil {
			return err
		}
	}
	return nil
}

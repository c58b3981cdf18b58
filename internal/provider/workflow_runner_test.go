package provider_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/viberops/terraform-provider-viber/internal/clitest"
)

// workflow is what the tests read of a GitHub Actions workflow.
type workflow struct {
	path string
	Env  map[string]string
	Jobs map[string]workflowJob
}

type workflowJob struct {
	Defaults struct {
		Run struct {
			WorkingDirectory string `yaml:"working-directory"`
		}
	}
	Steps []workflowStep
}

type workflowStep struct {
	Uses             string
	Run              string
	Env              map[string]string
	With             map[string]string
	WorkingDirectory string `yaml:"working-directory"`
}

func readWorkflow(t *testing.T, path string) *workflow {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	wf := &workflow{path: path}
	if err := yaml.Unmarshal(raw, wf); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return wf
}

// expression is a ${{ ... }} in a workflow.
var expression = regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)

// expand replaces the expressions in s with their values in exprs, failing
// t on one it has no value for.
func expand(t *testing.T, s string, exprs map[string]string) string {
	t.Helper()
	return expression.ReplaceAllStringFunc(s, func(m string) string {
		name := expression.FindStringSubmatch(m)[1]
		v, ok := exprs[name]
		if !ok {
			t.Fatalf("no value for ${{ %s }} in %q", name, s)
		}
		return v
	})
}

// workflowRunner runs a workflow's jobs as a GitHub runner does, on this
// machine: each job in a new workspace, each `run:` step's text written to
// a file and run by `bash --noprofile --norc -eo pipefail FILE` with the
// workflow's and the step's env, and the CLI on PATH as `terraform`, the
// way setup-terraform leaves it. Of the actions, checkout writes the
// configuration (checkout), and upload-artifact and download-artifact carry
// files between jobs; the others (setting up Terraform, cloud credentials)
// have nothing to do here.
type workflowRunner struct {
	t         *testing.T
	w         *clitest.Workdir
	wf        *workflow
	bin       string
	checkout  func(workspace string)
	artifacts map[string][]byte
	runs      int
	ran       map[string]bool // the jobs run so far
}

func newWorkflowRunner(t *testing.T, w *clitest.Workdir, wf *workflow, checkout func(workspace string)) *workflowRunner {
	t.Helper()
	w.EnableInit()
	bin := filepath.Join(w.Dir, ".bin")
	if err := os.MkdirAll(bin, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(w.CLI(), filepath.Join(bin, "terraform")); err != nil {
		t.Fatal(err)
	}
	return &workflowRunner{t: t, w: w, wf: wf, bin: bin, checkout: checkout, artifacts: map[string][]byte{}, ran: map[string]bool{}}
}

// stepFunc runs one prepared `run:` step to its end and reports whether it
// succeeded: the job's later steps run only if it did.
type stepFunc func(cmd *exec.Cmd, step workflowStep, out *os.File) bool

// mustSucceed fails the test unless the step exits 0.
func (r *workflowRunner) mustSucceed(cmd *exec.Cmd, step workflowStep, out *os.File) bool {
	r.t.Helper()
	if err := cmd.Run(); err != nil {
		r.t.Fatalf("step %q: %v\n%s", step.Run, err, readOutput(r.t, out))
	}
	return true
}

// job runs the steps of the workflow's job name in a new workspace, with
// exprs the values of the expressions they use, each `run:` step through
// run (nil: each must succeed); it returns the workspace.
func (r *workflowRunner) job(name string, exprs map[string]string, run stepFunc) string {
	r.t.Helper()
	job, ok := r.wf.Jobs[name]
	if !ok {
		r.t.Fatalf("%s has no job %q", r.wf.path, name)
	}
	if run == nil {
		run = r.mustSucceed
	}
	r.runs++
	r.ran[name] = true
	workspace := filepath.Join(r.w.Dir, fmt.Sprintf("run%d-%s", r.runs, name))
	for _, step := range job.Steps {
		switch action := step.Uses; {
		case strings.HasPrefix(action, "actions/checkout@"):
			if err := os.MkdirAll(workspace, 0o700); err != nil {
				r.t.Fatal(err)
			}
			r.checkout(workspace)
		case strings.HasPrefix(action, "actions/upload-artifact@"):
			b, err := os.ReadFile(filepath.Join(workspace, expand(r.t, step.With["path"], exprs)))
			if err != nil {
				r.t.Fatalf("upload-artifact: %v", err)
			}
			r.artifacts[expand(r.t, step.With["name"], exprs)] = b
		case strings.HasPrefix(action, "actions/download-artifact@"):
			name := expand(r.t, step.With["name"], exprs)
			b, ok := r.artifacts[name]
			if !ok {
				r.t.Fatalf("download-artifact: no artifact %q", name)
			}
			// The artifact keeps the file's name (tfplan); path is the folder.
			dir := filepath.Join(workspace, expand(r.t, step.With["path"], exprs))
			if err := os.WriteFile(filepath.Join(dir, "tfplan"), b, 0o600); err != nil {
				r.t.Fatal(err)
			}
		case action != "":
		default:
			dir := step.WorkingDirectory
			if dir == "" {
				dir = job.Defaults.Run.WorkingDirectory
			}
			cmd, out := r.command(filepath.Join(workspace, expand(r.t, dir, exprs)), step, exprs)
			if !run(cmd, step, out) {
				return workspace
			}
		}
	}
	return workspace
}

// ranEveryJob fails the test unless every job of the workflow has run, so
// that none of its Terraform steps goes untried.
func (r *workflowRunner) ranEveryJob() {
	r.t.Helper()
	for name := range r.wf.Jobs {
		if !r.ran[name] {
			r.t.Errorf("%s: job %s was never run", r.wf.path, name)
		}
	}
}

// command prepares step as the runner starts it: its text in a file, run
// by bash in its own process group, output to out.
func (r *workflowRunner) command(dir string, step workflowStep, exprs map[string]string) (*exec.Cmd, *os.File) {
	r.t.Helper()
	script, err := os.CreateTemp(r.w.Dir, "step-*.sh")
	if err != nil {
		r.t.Fatal(err)
	}
	if _, err := script.WriteString(step.Run); err != nil {
		r.t.Fatal(err)
	}
	_ = script.Close()
	// A file, not a pipe: a process left behind by bash keeps a pipe open,
	// and waiting for bash would wait for it too.
	out, err := os.CreateTemp(r.w.Dir, "step-*.out")
	if err != nil {
		r.t.Fatal(err)
	}
	r.t.Cleanup(func() { _ = out.Close() })
	cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", script.Name())
	cmd.Dir = dir
	cmd.Env = r.w.Env()
	for _, env := range []map[string]string{r.wf.Env, step.Env} {
		for k, v := range env {
			cmd.Env = append(cmd.Env, k+"="+expand(r.t, v, exprs))
		}
	}
	cmd.Env = append(cmd.Env, "PATH="+r.bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	return cmd, out
}

func readOutput(t *testing.T, out *os.File) string {
	t.Helper()
	b, err := os.ReadFile(out.Name())
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The GitHub runner's cancel of a `run:` step: SIGINT to the step's entry
// process (bash), SIGTERM 7.5 s later if it still runs, and 2.5 s after
// that the process tree is killed (what bash left running is killed at the
// job's end anyway).
const (
	runnerTermAfter = 7500 * time.Millisecond
	runnerKillAfter = 10 * time.Second
)

// cancelResult is what a runner's cancel of a step saw.
type cancelResult struct {
	exited   time.Duration // from SIGINT to the entry process's exit
	exitCode int
	output   string
}

// cancelLikeRunner starts cmd, waits until ready reports the moment to
// cancel, and cancels it as GitHub's runner does. It returns once the
// entry process has exited and, if it needed more than SIGINT, once its
// process group has been killed at the runner's 10 s.
func cancelLikeRunner(t *testing.T, cmd *exec.Cmd, out *os.File, ready func() bool) cancelResult {
	t.Helper()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pgid := cmd.Process.Pid // Setpgid: the group is named after bash
	killGroup := func() { _ = syscall.Kill(-pgid, syscall.SIGKILL) }
	t.Cleanup(killGroup)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	for deadline := time.Now().Add(time.Minute); !ready(); time.Sleep(20 * time.Millisecond) {
		select {
		case err := <-done:
			t.Fatalf("the step ended (%v) before the moment to cancel it:\n%s", err, readOutput(t, out))
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("the moment to cancel the step never came:\n%s", readOutput(t, out))
		}
	}
	start := time.Now()
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	term := time.AfterFunc(runnerTermAfter, func() { _ = cmd.Process.Signal(syscall.SIGTERM) })
	defer term.Stop()
	err := <-done
	res := cancelResult{exited: time.Since(start)}
	var exitErr *exec.ExitError
	switch {
	case errors.As(err, &exitErr):
		res.exitCode = exitErr.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	if res.exited >= runnerTermAfter {
		// Bash gave way to SIGTERM; Terraform, never signalled, is killed
		// with the tree.
		time.Sleep(time.Until(start.Add(runnerKillAfter)))
		killGroup()
		time.Sleep(200 * time.Millisecond) // the kernel closes the killed processes' connections
	}
	res.output = readOutput(t, out)
	return res
}

// failsOnLock runs `init` steps to success and wants the first other step
// to fail on the held state lock, which ends the job.
func failsOnLock(t *testing.T, r *workflowRunner) stepFunc {
	return func(cmd *exec.Cmd, step workflowStep, out *os.File) bool {
		t.Helper()
		if strings.Contains(step.Run, "terraform init") {
			return r.mustSucceed(cmd, step, out)
		}
		err := cmd.Run()
		if output := readOutput(t, out); err == nil || !strings.Contains(output, "Error acquiring the state lock") {
			t.Fatalf("step %q exited with %v, want a failure on the held lock:\n%s", step.Run, err, output)
		}
		return false
	}
}

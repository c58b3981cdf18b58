package provider_test

import (
	"bufio"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/viberops/terraform-provider-viber/internal/emulator"
)

// pipelineWorkflow is the pipeline guide's GitHub Actions workflow.
var pipelineWorkflow = filepath.Join(examplesDir, "guides", "pipelines", "terraform.yml")

// botsSecret is VIBER_BOTS as the repository secret holds it.
func botsSecret() string {
	tokens, _ := json.Marshal(map[string]string{"sales": fleet["sales"].token, "support": fleet["support"].token})
	return string(tokens)
}

// terraformRun matches a `run:` step that hands the shell over to
// Terraform (or OpenTofu), so that the runner's SIGINT reaches it.
var terraformRun = regexp.MustCompile(`^exec (terraform|tofu) \S`)

// Every `run:` step of every example workflow is one Terraform command the
// shell execs, and only plan and apply steps get the secret.
func TestGuide_workflowsExecTerraform(t *testing.T) {
	var workflows []string
	err := filepath.WalkDir(examplesDir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(path, ".yml") || strings.HasSuffix(path, ".yaml")) {
			workflows = append(workflows, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(workflows) < 2 {
		t.Fatalf("found workflows %v, want the pipeline guide's two", workflows)
	}
	for _, path := range workflows {
		for name, job := range readWorkflow(t, path).Jobs {
			for _, step := range job.Steps {
				if step.Run == "" {
					continue
				}
				run := strings.TrimSpace(step.Run)
				if strings.Contains(run, "\n") || !terraformRun.MatchString(run) {
					t.Errorf("%s, job %s: step %q is not one `exec terraform ...` command", path, name, step.Run)
				}
				if strings.Contains(run, "secrets.") || strings.Contains(run, "VIBER_BOTS") {
					t.Errorf("%s, job %s: step %q mentions the secret", path, name, step.Run)
				}
				_, secret := step.Env["VIBER_BOTS"]
				if writes := regexp.MustCompile(` (plan|apply) `).MatchString(run); secret != writes {
					t.Errorf("%s, job %s: step %q has VIBER_BOTS %v, want it only in plan and apply steps", path, name, step.Run, secret)
				}
			}
		}
	}
}

// The pipeline guide's workflow: plan and apply jobs, with the commands
// TestAccGuide_pipelines runs.
func TestGuide_pipelineWorkflowSteps(t *testing.T) {
	want := map[string][]string{
		"plan":  {"exec terraform init -input=false", "exec terraform plan -input=false -out=tfplan"},
		"apply": {"exec terraform init -input=false", "exec terraform apply -input=false tfplan"},
	}
	got := map[string][]string{}
	for name, job := range readWorkflow(t, pipelineWorkflow).Jobs {
		got[name] = nil
		for _, step := range job.Steps {
			if step.Run != "" {
				got[name] = append(got[name], step.Run)
			}
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the workflow's run steps are %q, want %q: change TestAccGuide_pipelines with them", got, want)
	}
}

// Every snippet in the docs' sources that runs Terraform in a `run:` step
// execs it, as the workflows do.
func TestGuide_snippetsExecTerraform(t *testing.T) {
	snippet := regexp.MustCompile(`^\s*(- )?run:\s+(terraform|tofu)\b`)
	files := []string{"../../README.md"}
	err := filepath.WalkDir("../../templates", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range files {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		for n, s := 1, bufio.NewScanner(f); s.Scan(); n++ {
			if snippet.MatchString(s.Text()) {
				t.Errorf("%s:%d: %q runs Terraform without exec: a cancelled run's SIGINT never reaches it", path, n, strings.TrimSpace(s.Text()))
			}
		}
		_ = f.Close()
	}
}

// pipelineRun is the pipeline guide's workflow and configuration, set up
// against a local Viber and a locking state server.
type pipelineRun struct {
	v     *testViber
	state *stateServer
	r     *workflowRunner
	exprs map[string]string
}

const pipelineState = "viber-bots"

func newPipelineRun(t *testing.T) *pipelineRun {
	t.Helper()
	t.Setenv("VIBER_BOTS", "") // the secret reaches only the steps given it
	v, w := newFleet(t)
	w.Setenv("VIBER_API_URL=" + v.apiURL)
	p := &pipelineRun{v: v, state: newStateServer(t), exprs: map[string]string{"secrets.VIBER_BOTS": botsSecret()}}
	config := localExample(t, v, filepath.Join("guides", "pipelines", "main.tf"))
	p.r = newWorkflowRunner(t, w, readWorkflow(t, pipelineWorkflow), func(workspace string) {
		for name, content := range map[string]string{"main.tf": config, "backend_override.tf": p.state.backendOverride(pipelineState)} {
			if err := os.WriteFile(filepath.Join(workspace, name), []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
		}
	})
	return p
}

// converged runs the workflow again, as "Re-run all jobs" does, and checks
// that Viber holds the configuration, the lock is free and a third plan
// finds nothing to do; then it destroys the webhooks.
func (p *pipelineRun) converged(t *testing.T) {
	t.Helper()
	p.r.job("plan", p.exprs, nil)
	apply := p.r.job("apply", p.exprs, nil)
	requireBotsHoldWebhooks(t, p.v, "sales", "support")
	p.lockFree(t)
	env := append(p.r.w.Env(), "VIBER_BOTS="+botsSecret())
	plan := exec.Command(p.r.w.CLI(), "plan", "-input=false", "-detailed-exitcode", "-no-color")
	plan.Dir, plan.Env = apply, env
	if out, err := plan.CombinedOutput(); err != nil {
		t.Fatalf("the plan after the workflow is not empty (%v):\n%s", err, out)
	}
	destroy := exec.Command(p.r.w.CLI(), "destroy", "-input=false", "-auto-approve", "-no-color")
	destroy.Dir, destroy.Env = apply, env
	if out, err := destroy.CombinedOutput(); err != nil {
		t.Fatalf("destroy: %v\n%s", err, out)
	}
}

func (p *pipelineRun) lockFree(t *testing.T) {
	t.Helper()
	if info, held := p.state.lock(pipelineState); held {
		t.Errorf("the state lock is still held (%s, ID %s)", info.Operation, info.ID)
	}
}

// The pipeline guide: the workflow's jobs, each step in its own bash as on
// a runner, against a local Viber with the guide's configuration and a
// locking remote state in place of S3. The plan is saved in one job and
// applied in another workspace with VIBER_BOTS given again; neither the
// plan nor the state holds a token.
func TestAccGuide_pipelines(t *testing.T) {
	p := newPipelineRun(t)
	plan := p.r.job("plan", p.exprs, nil)
	requireNoSecret(t, filepath.Join(plan, "tfplan"), fleet["sales"].token, fleet["support"].token)
	if n := len(p.v.emu.RequestsTo("set_webhook")); n != 0 {
		t.Fatalf("the plan made %d set_webhook calls", n)
	}
	p.lockFree(t)
	p.r.job("apply", p.exprs, nil)
	state := filepath.Join(t.TempDir(), "state")
	if err := os.WriteFile(state, p.state.state(pipelineState), 0o600); err != nil {
		t.Fatal(err)
	}
	requireNoSecret(t, state, fleet["sales"].token, fleet["support"].token)
	requireBotsHoldWebhooks(t, p.v, "sales", "support")
	p.lockFree(t)
	p.converged(t)
	p.r.ranEveryJob()
}

// A cancelled or timed-out run, as GitHub's runner cancels the apply step:
// SIGINT to the step's bash while webhooks are being set, SIGTERM at 7.5 s,
// the process tree killed at 10 s. With the workflow's `exec`, Terraform
// gets the SIGINT, stops within the 7.5 s and releases the lock; the state
// records nothing Viber lacks (not the webhook removed at Viber since the
// last run, whose create was cut), and re-running the workflow converges. Run as plain `terraform apply` (no exec), the same step
// outlives the SIGINT, is killed, and leaves the lock held: the next run
// fails on it.
func TestAccGuide_pipelineCancel(t *testing.T) {
	t.Run("exec", func(t *testing.T) {
		p := newPipelineRun(t)
		// A first run sets both webhooks; then support's is removed at
		// Viber, so the cancelled run's plan creates it again, while the
		// state it starts from still records it.
		p.r.job("plan", p.exprs, nil)
		p.r.job("apply", p.exprs, nil)
		p.v.emu.SetWebhook(fleet["support"].token, nil)
		res := p.cancelApply(t, func(run string) string { return run }, 1)
		t.Logf("the apply step exited %s after SIGINT, with code %d", res.exited.Round(time.Millisecond), res.exitCode)
		if res.exited >= runnerTermAfter {
			t.Errorf("the step ran %s after SIGINT, past the runner's 7.5 s", res.exited)
		}
		if res.exitCode == 0 || !regexp.MustCompile(`Interrupt received`).MatchString(res.output) {
			t.Errorf("the apply exited %d and did not report the interrupt:\n%s", res.exitCode, res.output)
		}
		if info, held := p.state.lock(pipelineState); held {
			t.Fatalf("the state lock is still held (%s, ID %s): the next run fails on it", info.Operation, info.ID)
		}
		urls := p.state.webhookURLs(t, pipelineState)
		t.Logf("after the cancel the state records %v", urls)
		for bot, url := range urls {
			holdsURL(t, p.v, bot, url)
		}
		if _, ok := urls["sales"]; !ok {
			t.Errorf("the state lost sales's webhook, which Viber holds: %v", urls)
		}
		p.v.emu.SetFaults(emulator.Faults{})
		p.converged(t)
	})
	t.Run("without exec", func(t *testing.T) {
		p := newPipelineRun(t)
		res := p.cancelApply(t, func(run string) string { return strings.TrimPrefix(run, "exec ") }, 2)
		if res.exited < runnerTermAfter {
			t.Fatalf("the step exited %s after SIGINT: bash was to hold the signal:\n%s", res.exited, res.output)
		}
		info, held := p.state.lock(pipelineState)
		if !held {
			t.Fatalf("the killed apply left the lock free:\n%s", res.output)
		}
		t.Logf("bash exited %s after SIGINT (on SIGTERM); Terraform, killed at 10 s, left the lock %s held", res.exited.Round(time.Millisecond), info.ID)
		p.v.emu.SetFaults(emulator.Faults{})
		p.r.job("plan", p.exprs, failsOnLock(t, p.r))
	})
}

// cancelApply runs the plan job, then the apply job with its apply step
// (its text through edit) cancelled as the runner cancels it while Viber is
// slow to answer the apply's writes (that many set_webhook calls).
func (p *pipelineRun) cancelApply(t *testing.T, edit func(string) string, writes int) cancelResult {
	t.Helper()
	p.r.job("plan", p.exprs, nil)
	before := len(p.v.emu.RequestsTo("set_webhook"))
	p.v.emu.SetFaults(emulator.Faults{Methods: []string{"set_webhook"}, Latency: time.Minute})
	var res cancelResult
	cancelled := false
	p.r.job("apply", p.exprs, func(cmd *exec.Cmd, step workflowStep, out *os.File) bool {
		if !strings.Contains(step.Run, "terraform apply") {
			return p.r.mustSucceed(cmd, step, out)
		}
		script := cmd.Args[len(cmd.Args)-1]
		if err := os.WriteFile(script, []byte(edit(step.Run)), 0o600); err != nil {
			t.Fatal(err)
		}
		res = cancelLikeRunner(t, cmd, out, func() bool { return len(p.v.emu.RequestsTo("set_webhook")) >= before+writes })
		cancelled = true
		return false
	})
	if !cancelled {
		t.Fatal("the apply job has no `terraform apply` step")
	}
	return res
}

// staging is the staging environment's bots: the same keys as production's,
// other Viber bots.
var staging = map[string]struct{ token, id string }{
	"sales":   {"57a657a657a657a6-57a657a657a657a6-57a657a657a657a6", "pa:110"},
	"support": {"57a757a757a757a7-57a757a757a757a7-57a757a757a757a7", "pa:210"},
}

// The guide's staging and production variant: every job, the plan once per
// environment as its matrix does, each environment with its own bots'
// secret and its own state, against a local Viber and a locking state
// server. Staging's and production's bots end up holding their webhooks,
// each state records its own environment's bots only, and neither the
// plans nor the states hold a token.
func TestAccGuide_pipelineEnvironments(t *testing.T) {
	t.Setenv("VIBER_BOTS", "")
	v, w := newFleet(t)
	w.Setenv("VIBER_API_URL=" + v.apiURL)
	stagingTokens := map[string]string{}
	for name, bot := range staging {
		v.emu.AddAccount(bot.token, emulator.Account{ID: bot.id, Name: "staging " + name})
		v.endpoint.AddToken(bot.token)
		stagingTokens[name] = bot.token
	}
	stagingSecret, _ := json.Marshal(stagingTokens)
	secrets := map[string]string{"staging": string(stagingSecret), "production": botsSecret()}
	tokens := []string{staging["sales"].token, staging["support"].token, fleet["sales"].token, fleet["support"].token}

	state := newStateServer(t)
	dir := filepath.Join("guides", "pipelines", "environments")
	r := newWorkflowRunner(t, w, readWorkflow(t, filepath.Join(examplesDir, dir, "terraform.yml")), func(workspace string) {
		files := map[string]string{filepath.Join("modules", "bots", "main.tf"): localExample(t, v, filepath.Join(dir, "modules", "bots", "main.tf"))}
		for env := range secrets {
			files[filepath.Join(env, "main.tf")] = localExample(t, v, filepath.Join(dir, env, "main.tf"))
			files[filepath.Join(env, "backend_override.tf")] = state.backendOverride(env)
		}
		for name, content := range files {
			if err := os.MkdirAll(filepath.Join(workspace, filepath.Dir(name)), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(workspace, name), []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
		}
	})
	exprs := func(env string) map[string]string {
		return map[string]string{"matrix.environment": env, "secrets.VIBER_BOTS": secrets[env]}
	}
	for _, env := range []string{"staging", "production"} {
		plan := r.job("plan", exprs(env), nil)
		requireNoSecret(t, filepath.Join(plan, env, "tfplan"), tokens...)
	}
	if n := len(v.emu.RequestsTo("set_webhook")); n != 0 {
		t.Fatalf("the plans made %d set_webhook calls", n)
	}
	applied := map[string]string{"staging": r.job("apply-staging", exprs("staging"), nil), "production": r.job("apply-production", exprs("production"), nil)}
	r.ranEveryJob()

	for env, bots := range map[string]map[string]struct{ token, id string }{"staging": staging, "production": fleet} {
		if info, held := state.lock(env); held {
			t.Errorf("%s: the state lock is still held (%s)", env, info.Operation)
		}
		urls := state.webhookURLs(t, env)
		if len(urls) != 2 {
			t.Errorf("%s's state records %v, want its two bots", env, urls)
		}
		for name, url := range urls {
			if hook, ok := v.emu.Webhook(bots[name].token); !ok || hook.URL != url || url != v.endpoint.URL()+"/viber/"+name {
				t.Errorf("%s's %s: the state records %q, Viber holds %+v (set: %v)", env, name, url, hook, ok)
			}
		}
		for _, token := range tokens {
			if strings.Contains(string(state.state(env)), token) {
				t.Errorf("%s's state holds an auth token", env)
			}
		}
		cliEnv := append(w.Env(), "VIBER_BOTS="+secrets[env])
		for _, args := range [][]string{{"plan", "-detailed-exitcode"}, {"destroy", "-auto-approve"}} {
			cmd := exec.Command(w.CLI(), append(args, "-input=false", "-no-color")...)
			cmd.Dir, cmd.Env = filepath.Join(applied[env], env), cliEnv
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("%s: %s: %v\n%s", env, args[0], err, out)
			}
		}
	}
}

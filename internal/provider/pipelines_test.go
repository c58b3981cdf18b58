package provider_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/viberops/terraform-provider-viber/internal/clitest"
)

// pipelineWorkflow is the pipeline guide's GitHub Actions workflow.
var pipelineWorkflow = filepath.Join(examplesDir, "guides", "pipelines", "terraform.yml")

// workflowStep is one `run: terraform ...` step of a workflow.
type workflowStep struct {
	args   []string // the command line, without "terraform"
	secret bool     // VIBER_BOTS from the repository secret in the step's env
}

var (
	stepStart = regexp.MustCompile(`^\s*- `)
	runLine   = regexp.MustCompile(`^\s*(?:- )?run: (.*)$`)
	botsEnv   = regexp.MustCompile(`^\s*VIBER_BOTS: \$\{\{ secrets\.VIBER_BOTS \}\}$`)
)

// terraformSteps reads the Terraform steps of the workflow at path, in
// order, failing t on what the reading would miss: a multi-line run, or a
// run that mentions the secret.
func terraformSteps(t *testing.T, path string) []workflowStep {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var steps []workflowStep
	var current *workflowStep
	for _, line := range strings.Split(string(raw), "\n") {
		if stepStart.MatchString(line) {
			current = nil
		}
		if m := runLine.FindStringSubmatch(line); m != nil {
			cmd := strings.TrimSpace(m[1])
			if strings.HasPrefix(cmd, "|") || strings.HasPrefix(cmd, ">") {
				t.Fatalf("%s: a multi-line run, which this test cannot follow: %q", path, line)
			}
			if strings.Contains(cmd, "VIBER_BOTS") || strings.Contains(cmd, "secrets.") {
				t.Errorf("%s: a run that mentions the secret: %q", path, line)
			}
			if fields := strings.Fields(cmd); len(fields) > 0 && fields[0] == "terraform" {
				steps = append(steps, workflowStep{args: fields[1:]})
				current = &steps[len(steps)-1]
			}
		}
		if botsEnv.MatchString(line) {
			if current == nil {
				t.Errorf("%s: VIBER_BOTS given to a step that runs no terraform command: %q", path, line)
				continue
			}
			current.secret = true
		}
	}
	return steps
}

// The pipeline guide's workflow runs exactly the Terraform commands
// TestAccGuide_pipelines runs, and gives the secret to plan and apply only.
func TestGuide_pipelineWorkflowSteps(t *testing.T) {
	want := []workflowStep{
		{args: []string{"init", "-input=false"}},
		{args: []string{"plan", "-input=false", "-out=tfplan"}, secret: true},
		{args: []string{"init", "-input=false"}},
		{args: []string{"apply", "-input=false", "tfplan"}, secret: true},
	}
	if got := terraformSteps(t, pipelineWorkflow); !reflect.DeepEqual(got, want) {
		t.Errorf("the workflow's Terraform steps are %+v, want %+v: change TestAccGuide_pipelines with them", got, want)
	}
}

// The pipeline guide: the workflow's Terraform steps, each in its own
// process as on a runner, against a local Viber with the guide's
// configuration. The plan is saved in one process, applied in another with
// VIBER_BOTS given again, and neither file holds a token.
func TestAccGuide_pipelines(t *testing.T) {
	ctx := context.Background()
	t.Setenv("VIBER_BOTS", "") // the secret reaches only the steps given it
	v, w := newFleet(t)
	w.Setenv("VIBER_API_URL=" + v.apiURL)
	copyExample(t, v, w, filepath.Join("guides", "pipelines", "main.tf"), "main.tf")
	tokens, _ := json.Marshal(map[string]string{"sales": fleet["sales"].token, "support": fleet["support"].token})
	secret := "VIBER_BOTS=" + string(tokens)

	for _, step := range terraformSteps(t, pipelineWorkflow) {
		if step.args[0] == "init" {
			continue // dev_overrides: the provider is used from where it was built
		}
		var env []string
		if step.secret {
			env = append(env, secret)
		}
		runStep(ctx, t, w, step.args, env...)
		switch step.args[0] {
		case "plan":
			requireNoSecret(t, filepath.Join(w.Dir, "tfplan"), fleet["sales"].token, fleet["support"].token)
			if n := len(v.emu.RequestsTo("set_webhook")); n != 0 {
				t.Fatalf("the plan made %d set_webhook calls", n)
			}
		case "apply":
			requireNoSecret(t, filepath.Join(w.Dir, "terraform.tfstate"), fleet["sales"].token, fleet["support"].token)
		}
	}
	requireBotsHoldWebhooks(t, v, "sales", "support")

	w.Setenv(secret)
	requireEmptyPlan(ctx, t, w)
	w.Destroy(ctx)
}

// runStep runs the CLI with args in its own process, with env on top of the
// working directory's, and fails t unless it exits 0.
func runStep(ctx context.Context, t *testing.T, w *clitest.Workdir, args []string, env ...string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := w.Command(ctx, &stdout, &stderr, args...)
	cmd.Env = append(cmd.Env, env...)
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v\n%s%s", strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
}

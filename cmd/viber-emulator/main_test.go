package main

import (
	"bufio"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/viberops/terraform-provider-viber/internal/clitest"
)

// The command as the testing guide runs it: with -endpoint, a webhook under
// the endpoint's URL passes Viber's check, for a -bot token only.
func TestEndpointFlag(t *testing.T) {
	dir, err := clitest.Build("./cmd/viber-emulator", "viber-emulator")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	const tok = "5a1e5a1e5a1e5a1e-5a1e5a1e5a1e5a1e-5a1e5a1e5a1e5a1e"
	cmd := exec.Command(filepath.Join(dir, "viber-emulator"), "-listen", "127.0.0.1:0", "-endpoint", "127.0.0.1:0", "-bot", tok+"=pa:100")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })

	var apiURL, endpoint string
	lines := bufio.NewScanner(out)
	for (apiURL == "" || endpoint == "") && lines.Scan() {
		if m := regexp.MustCompile(`^Local Viber: api_url = "(.+)"`).FindStringSubmatch(lines.Text()); m != nil {
			apiURL = m[1]
		}
		if m := regexp.MustCompile(`^Bot endpoint: (https://\S+)`).FindStringSubmatch(lines.Text()); m != nil {
			endpoint = m[1]
		}
	}
	if apiURL == "" || endpoint == "" {
		t.Fatalf("the emulator did not print its api_url and endpoint (api_url %q, endpoint %q)", apiURL, endpoint)
	}

	for _, tc := range []struct {
		token      string
		wantStatus int
	}{{tok, 0}, {"not-a-bot", 2}} {
		req, _ := http.NewRequest(http.MethodPost, apiURL+"/set_webhook", strings.NewReader(`{"url":"`+endpoint+`/viber/sales"}`))
		req.Header.Set("X-Viber-Auth-Token", tc.token)
		resp, err := (&http.Client{Timeout: 20 * time.Second}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var answer struct {
			Status        int    `json:"status"`
			StatusMessage string `json:"status_message"`
		}
		err = json.NewDecoder(resp.Body).Decode(&answer)
		_ = resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if answer.Status != tc.wantStatus {
			t.Errorf("set_webhook with token %q answered status %d (%s), want %d", tc.token, answer.Status, answer.StatusMessage, tc.wantStatus)
		}
	}
}

package provider

import (
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/viberops/terraform-provider-viber/internal/retry"
)

func TestIsLoopback(t *testing.T) {
	for host, want := range map[string]bool{
		"127.0.0.1": true, "127.1.2.3": true, "::1": true, "localhost": true, "LOCALHOST": true, "viber.localhost": true,
		"10.0.0.1": false, "chatapi.viber.com": false, "localhost.example.com": false, "::": false, "": false,
	} {
		if got := isLoopback(host); got != want {
			t.Errorf("isLoopback(%q) = %v, want %v", host, got, want)
		}
	}
}

func TestRetryPolicyUnknownFieldsMeanDefaults(t *testing.T) {
	m := &retryModel{MinDelayMS: types.Int64Unknown(), MaxDelayMS: types.Int64Unknown(), MaxAttempts: types.Int64Unknown()}
	if got := m.policy(); got != retry.Default {
		t.Errorf("policy with unknown fields = %+v, want the defaults %+v", got, retry.Default)
	}
	m = &retryModel{MinDelayMS: types.Int64Value(10), MaxDelayMS: types.Int64Null(), MaxAttempts: types.Int64Value(3)}
	if got := m.policy(); got.MinDelay != 10*time.Millisecond || got.MaxAttempts != 3 || got.MaxDelay != retry.Default.MaxDelay {
		t.Errorf("policy = %+v", got)
	}
}

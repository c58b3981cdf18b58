package pluginlog

import (
	"maps"
	"testing"
)

func TestQuietUnlessRequested(t *testing.T) {
	cases := []struct {
		name    string
		environ []string
		want    map[string]string
	}{
		{"no log variables", []string{"HOME=/root", "TF_CLI_CONFIG_FILE=x"},
			map[string]string{"TF_LOG_SDK": "off", "TF_LOG_SDK_PROTO": "off", "TF_LOG_SDK_FRAMEWORK": "off", "TF_LOG_PROVIDER_VIBER": "off"}},
		{"TF_LOG set", []string{"TF_LOG=trace"}, map[string]string{}},
		{"TF_LOG empty", []string{"TF_LOG=", "TF_LOG_PATH="},
			map[string]string{"TF_LOG_SDK": "off", "TF_LOG_SDK_PROTO": "off", "TF_LOG_SDK_FRAMEWORK": "off", "TF_LOG_PROVIDER_VIBER": "off"}},
		{"only the provider's level set", []string{"TF_LOG_PROVIDER=debug"}, map[string]string{}},
		{"only a log file set", []string{"TF_LOG_PATH=/tmp/tf.log"}, map[string]string{}},
		{"only this provider's level set", []string{"TF_LOG_PROVIDER_VIBER=debug"}, map[string]string{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := map[string]string{}
			QuietUnlessRequested("registry.terraform.io/viberops/viber", c.environ, func(k, v string) error { got[k] = v; return nil })
			if !maps.Equal(got, c.want) {
				t.Errorf("set %v, want %v", got, c.want)
			}
		})
	}
}

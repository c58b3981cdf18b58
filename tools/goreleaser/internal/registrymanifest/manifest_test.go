package registrymanifest

import (
	"slices"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	m, err := Parse([]byte(`{"version": 1, "metadata": {"protocol_versions": ["6.0"]}}`), "m.json")
	if err != nil || m.Version != 1 || !slices.Equal(m.ProtocolVersions, []string{"6.0"}) {
		t.Fatalf("Parse = %+v, %v; want version 1, [6.0]", m, err)
	}
	for _, bad := range []string{
		`{"version": 2, "metadata": {"protocol_versions": ["6.0"]}}`,
		`{"version": 1, "metadata": {}}`,
		`not json`,
	} {
		if _, err := Parse([]byte(bad), "m.json"); err == nil || !strings.HasPrefix(err.Error(), "m.json") {
			t.Errorf("Parse(%s) = %v, want an error naming m.json", bad, err)
		}
	}
}

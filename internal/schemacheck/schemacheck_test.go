package schemacheck

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// record is the committed schema of the last release.
func record(t *testing.T) []byte {
	t.Helper()
	raw, err := os.ReadFile("../../schema/released.json")
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func parse(t *testing.T, raw string) *Schemas {
	t.Helper()
	s, err := Parse([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// edit returns the record with the first match of the regular expression
// old replaced by repl, failing when nothing matches (the case would prove
// nothing).
func edit(t *testing.T, raw []byte, old, repl string) string {
	t.Helper()
	re := regexp.MustCompile(old)
	loc := re.FindIndex(raw)
	if loc == nil {
		t.Fatalf("the record has nothing matching %s", old)
	}
	return string(raw[:loc[0]]) + string(re.Expand(nil, []byte(repl), raw, re.FindSubmatchIndex(raw))) + string(raw[loc[1]:])
}

func TestTheRecordIsNotBrokenByItself(t *testing.T) {
	s := parse(t, string(record(t)))
	if got := Breaking(s, s); got != nil {
		t.Errorf("Breaking(record, record) = %v", got)
	}
}

func TestBreakingChanges(t *testing.T) {
	raw := record(t)
	recorded := parse(t, string(raw))
	// Each case edits the recorded (old) schema or the current (new) one:
	// a field only the old schema has was removed by the new one.
	for _, c := range []struct {
		name     string
		old, new string
		want     string
	}{
		{"attribute removed", edit(t, raw, `"attributes": \{`, `"attributes": {"legacy_field": {"type": "string", "optional": true},`), string(raw),
			`attribute "legacy_field" removed`},
		{"type changed", string(raw), edit(t, raw, `("url": \{\s*"type": )"string"`, `${1}"number"`),
			`resource viber_webhook: attribute "url" changed type from "string" to "number"`},
		{"optional became required", string(raw), edit(t, raw, `("event_types": \{)(\s*"type": \[\s*"set",\s*"string"\s*\],\s*"description": "The events to deliver)`,
			`${1}"required": true,${2}`), `resource viber_webhook: attribute "event_types" became required`},
		{"new required attribute", string(raw), edit(t, raw, `"attributes": \{`, `"attributes": {"region": {"type": "string", "required": true},`),
			`new required attribute "region"`},
		{"sensitive dropped", string(raw), edit(t, raw, `"sensitive": true`, `"sensitive": false`), `is no longer sensitive`},
		{"computed dropped", string(raw), edit(t, raw, `"computed": true`, `"computed": false`), `is no longer computed`},
		{"identity attribute dropped", edit(t, raw, `"account_id": \{`, `"bot_id": {"type": "string"}, "account_id": {`), string(raw),
			`identity of resource viber_webhook: attribute "bot_id" removed`},
		{"data source removed", string(raw), edit(t, raw, `"viber_account": \{`, `"viber_account_old": {`), `data source viber_account removed`},
		{"block removed", string(raw), edit(t, raw, `"timeouts": \{`, `"timeouts_old": {`), `block "timeouts" removed`},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := strings.Join(Breaking(parse(t, c.old), parse(t, c.new)), "\n")
			if !strings.Contains(got, c.want) {
				t.Errorf("Breaking = %q, want it to name %q", got, c.want)
			}
		})
	}
	added := edit(t, raw, `"attributes": \{`, `"attributes": {"extra": {"type": "string", "optional": true},`)
	if got := Breaking(recorded, parse(t, added)); got != nil {
		t.Errorf("adding an optional attribute is breaking: %v", got)
	}
}

func TestAllowedByChangelog(t *testing.T) {
	for text, want := range map[string]bool{
		"## 1.0.0 (Unreleased)\n\nBREAKING CHANGES:\n\n* x\n\n## 0.1.0 (May 1, 2027)\n":              true,
		"## 1.0.0 (Unreleased)\n\nFEATURES:\n\n* x\n\n## 0.1.0 (May 1, 2027)\n\nBREAKING CHANGES:\n": false,
		"## 0.1.0 (May 1, 2027)\n\nBREAKING CHANGES:\n":                                              false,
	} {
		if got := AllowedByChangelog([]byte(text)); got != want {
			t.Errorf("AllowedByChangelog(%q) = %v, want %v", text, got, want)
		}
	}
}

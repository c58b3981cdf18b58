package provider

import (
	"context"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// readPage returns a generated registry page.
func readPage(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("../../docs/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The resource page documents the identity schema as the provider
// declares it, and the timeouts block with a description.
func TestResourcePageDocumentsIdentityAndTimeouts(t *testing.T) {
	page := readPage(t, "resources/webhook.md")
	var resp resource.IdentitySchemaResponse
	(&webhookResource{}).IdentitySchema(context.Background(), resource.IdentitySchemaRequest{}, &resp)
	if !strings.Contains(page, "## Identity Schema") {
		t.Fatal("resources/webhook.md has no Identity Schema section")
	}
	for name, a := range resp.IdentitySchema.Attributes {
		if !strings.Contains(page, "- `"+name+"` (String, Required for import) "+a.GetDescription()) {
			t.Errorf("resources/webhook.md does not document the identity attribute %s with its description", name)
		}
	}
	if !regexp.MustCompile("- `timeouts` \\(Block, Optional\\) \\w").MatchString(page) {
		t.Error("resources/webhook.md lists timeouts without a description")
	}
}

// No page has an empty Schema section, and viber_account's event_types
// says why it cannot be copied into viber_webhook as it is.
func TestPagesHaveNoEmptySchemaAndSayWhatIsTrue(t *testing.T) {
	for _, name := range []string{"list-resources/webhook.md", "resources/webhook.md", "data-sources/account.md", "index.md"} {
		if regexp.MustCompile(`## Schema\s*(\z|\n## )`).MatchString(readPage(t, name)) {
			t.Errorf("%s has an empty Schema section", name)
		}
	}
	if account := readPage(t, "data-sources/account.md"); !strings.Contains(account, `setsubtract(data.viber_account.<name>.event_types, ["message"])`) {
		t.Error("data-sources/account.md does not say how to copy event_types into viber_webhook")
	}
	for _, name := range []string{"index.md", "resources/webhook.md"} {
		if strings.Contains(readPage(t, name), "per run") {
			t.Errorf("%s says look-ups happen once per run; they happen once per provider process", name)
		}
	}
}

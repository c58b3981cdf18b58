// Package validators holds the plan-time checks that
// terraform-plugin-framework-validators does not provide.
package validators

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// URL returns a validator that accepts an absolute URL with a host whose
// scheme is one of schemes.
func URL(schemes ...string) validator.String {
	return urlValidator{check: func(raw string) error { return CheckURL(raw, schemes...) },
		description: fmt.Sprintf("value must be an absolute %s URL with a host", strings.Join(schemes, " or "))}
}

// WebhookURL is URL("https") for a webhook, with CheckWebhookURL's further
// rules. People may mean an empty value as "no webhook": the error then
// says how to remove one.
func WebhookURL() validator.String {
	return urlValidator{check: CheckWebhookURL,
		description: "value must be an absolute https URL with a host, without credentials or a #fragment",
		emptyHint:   "To remove the webhook, destroy the resource (or remove it from the configuration)."}
}

type urlValidator struct {
	check       func(raw string) error
	description string
	emptyHint   string // added to the error for an empty value
}

func (v urlValidator) Description(context.Context) string { return v.description }

func (v urlValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v urlValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	raw := req.ConfigValue.ValueString()
	if err := v.check(raw); err != nil {
		detail := fmt.Sprintf("%s %s.", req.Path, err)
		if raw == "" && v.emptyHint != "" {
			detail += " " + v.emptyHint
		}
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid URL", detail)
	}
}

// CheckURL returns what is wrong with raw as an absolute URL with a host and
// one of schemes, or nil. The error reads after the attribute's name, and
// quotes raw with any password hidden (RedactURL).
func CheckURL(raw string, schemes ...string) error {
	want := strings.Join(schemes, "://, ") + "://"
	if raw == "" {
		return fmt.Errorf("must not be empty: give an absolute URL starting with %s", want)
	}
	if err := checkSpace(raw); err != nil {
		return err
	}
	quoted := RedactURL(raw)
	u, err := url.Parse(raw)
	if err != nil {
		if quoted != raw {
			// The parser's message may quote a piece of the credentials.
			return fmt.Errorf("is not a valid URL (%q, credentials hidden)", quoted)
		}
		return fmt.Errorf("is not a valid URL (%q: %v)", raw, unwrapURLError(err))
	}
	ok := false
	for _, s := range schemes {
		ok = ok || u.Scheme == s
	}
	switch {
	case !ok:
		return fmt.Errorf("must start with %s, got %q", want, quoted)
	case u.Opaque != "" || u.Host == "":
		return fmt.Errorf("must be an absolute URL with a host, like %sbot.example.com/viber, got %q", schemes[0]+"://", quoted)
	case u.Hostname() == "":
		return fmt.Errorf("has no host name, got %q", quoted)
	}
	return nil
}

// CheckWebhookURL is CheckURL(raw, "https") and refuses what Viber would
// keep but the endpoint could never use: credentials, which Viber would
// store and show with the URL, and a #fragment, which never reaches the
// endpoint.
func CheckWebhookURL(raw string) error {
	if err := CheckURL(raw, "https"); err != nil {
		return err
	}
	u, err := url.Parse(raw)
	if err != nil { // CheckURL parsed it; never quote the parser's text, which repeats raw
		return errors.New("is not a valid URL")
	}
	// What to write instead: neither credentials nor fragment.
	clean := *u
	clean.User, clean.Fragment, clean.RawFragment = nil, "", ""
	switch {
	case u.User != nil:
		return fmt.Errorf("must not hold credentials (user:password@): Viber would store them with the URL and show them "+
			"to whoever reads the bot's account. They are not needed: Viber signs every callback (the "+
			"X-Viber-Content-Signature header, an HMAC-SHA256 of the body keyed with the bot's token), and that "+
			"signature is how the endpoint tells Viber's calls from others. Write %q and check the signature instead", clean.String())
	case strings.Contains(raw, "#"): // a '#' anywhere else would have to be escaped as %23
		return fmt.Errorf("must not have a #fragment: HTTP clients drop the fragment before they send a request, so "+
			"the endpoint would never see it. Remove it (%q)", clean.String())
	}
	return nil
}

// checkSpace refuses whitespace, which no valid URL holds: a space pasted
// inside, or a newline or blank left around a value read from a file.
func checkSpace(raw string) error {
	i := strings.IndexFunc(raw, unicode.IsSpace)
	if i < 0 {
		return nil
	}
	r := []rune(raw[i:])[0]
	what := spaceName(r)
	quoted := RedactURL(raw)
	switch {
	case i == 0:
		return fmt.Errorf("is not a valid URL: it starts with %s (%q). Remove the whitespace around the URL "+
			"(trimspace() does, for a value read from a file)", what, quoted)
	case strings.TrimRightFunc(raw, unicode.IsSpace) == raw[:i]:
		return fmt.Errorf("is not a valid URL: it ends with %s (%q). Remove the whitespace around the URL "+
			"(trimspace() does, for a value read from a file)", what, quoted)
	case r == ' ':
		return fmt.Errorf("is not a valid URL: it contains a space (%q). Remove it, or write a space that belongs "+
			"in the path as %%20", quoted)
	}
	return fmt.Errorf("is not a valid URL: it contains %s (%q). Remove it", what, quoted)
}

func spaceName(r rune) string {
	switch r {
	case ' ':
		return "a space"
	case '\t':
		return "a tab"
	case '\n':
		return "a newline"
	case '\r':
		return "a carriage return"
	case '\u00a0':
		return "a no-break space"
	}
	return fmt.Sprintf("whitespace (%U)", r)
}

// RedactURL returns raw fit to quote in a message or a log: a password in
// it shows as "xxxxx" (url.URL.Redacted). When raw does not parse, or parses
// as an opaque URL, everything from the start of its authority to its last
// "@" is dropped, so that no piece of a password is ever quoted.
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err == nil && u.User != nil {
		return u.Redacted()
	}
	if err == nil && u.Opaque == "" {
		return raw // an '@' left is in the path, query or fragment
	}
	at := strings.LastIndex(raw, "@")
	if at < 0 {
		return raw
	}
	start := 0
	if i := strings.Index(raw, "//"); i >= 0 && i < at {
		start = i + 2
	} else if i := strings.Index(raw, ":"); i >= 0 && i < at {
		start = i + 1 // an opaque URL, "scheme:user:password@host"
	}
	return raw[:start] + raw[at+1:]
}

func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

package provider

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/viberops/terraform-provider-viber/internal/retry"
	"github.com/viberops/terraform-provider-viber/internal/viber"
)

// DocBlocks renders what the docs say about retries, timeouts, interrupts
// and what a failure leaves in state, from the values the code uses.
// cmd/docs-versions writes each block between its page markers, so a page
// cannot state a policy other than this one: make docs-check fails on a
// copy edited by hand.
func DocBlocks() map[string]string {
	return map[string]string{
		"retries":   retriesBlock(),
		"timeouts":  timeoutsBlock(),
		"failures":  failuresBlock(),
		"interrupt": interruptBlock(),
		"summary":   summaryBlock(),
	}
}

func retriesBlock() string {
	p := retry.Default
	return fmt.Sprintf(`These failures are retried:

- network errors, such as no answer or a dropped connection;
- HTTP 429 and 5xx answers, such as a proxy's HTML error page;
- Viber's `+"`tooManyRequests (12)`"+`;
- for `+"`set_webhook`"+`, a failed availability check of the endpoint, which Viber reports as `+"`invalidUrl (1)`"+` with its `+"`Result[...]`"+` dump of the callback, or with no message at all (the error then says "Viber sent no status_message"). The endpoint may be down, still deploying, answering other than 200, or failing TLS.

Everything else fails at once, with Viber's status and message: `+"`invalidUrl (1)`"+` with `+"`URL not valid or not HTTPS`"+` (Viber refuses the URL itself), a bad or missing token (`+"`invalidAuthToken (2)`"+`), a blocked or suspended account and every other status, a redirect (never followed, so the token goes to `+"`api_url`"+`'s host only), and an HTTP 200 answer that is not the Bot API's JSON.

The waits grow exponentially, with jitter:

- The first wait is between half and all of `+"`min_delay_ms`"+`: %s to %s by default.
- Each later wait doubles, up to `+"`max_delay_ms`"+` (%s by default), and jitter again makes it between half and all of that.
- A `+"`Retry-After`"+` on an HTTP 429 or 503 answer sets the next wait instead, kept between `+"`min_delay_ms`"+` and `+"`max_delay_ms`"+`. Proxies and gateways send it, in seconds or as a date.

Retries stop when the next wait would end past the operation's timeout, or after `+"`max_attempts`"+` (by default attempts go on until the timeout).
When even a capped `+"`Retry-After`"+` would end past the timeout, the retries stop at once, and the error says what was asked for.
Otherwise the error says "Tried N times over …" and quotes Viber's last answer.
A plan's own look-ups (`+"`get_account_info`"+`) have no `+"`timeouts`"+` block: their retries stop after %s.
`, short(p.MinDelay/2), short(p.MinDelay), short(p.MaxDelay), long(p.MaxElapsed))
}

func timeoutsBlock() string {
	return fmt.Sprintf(`| operation | time limit, retries included | set with |
|---|---|---|
| `+"`viber_webhook`"+` create | %s | `+"`timeouts { create }`"+` |
| `+"`viber_webhook`"+` update | %s | `+"`timeouts { update }`"+` |
| `+"`viber_webhook`"+` refresh | %s | `+"`timeouts { read }`"+` |
| `+"`viber_webhook`"+` destroy | %s | `+"`timeouts { delete }`"+` |
| a plan's look-ups (`+"`get_account_info`"+`) | %s of retries | cannot be set; `+"`retry { max_attempts }`"+` caps the attempts |
| `+"`viber_account`"+` data source read | %s | its own `+"`timeouts { read }`"+` |
| `+"`viber_webhook`"+` list resource (`+"`terraform query`"+`) | %s per bot, %d bots at a time | cannot be set |

Creating and updating wait longest, because an endpoint deployed by the same apply may take a while to answer Viber's check.
With the defaults, a create whose endpoint is down retries quietly for up to %s before it fails.
To fail fast while you debug, set `+"`retry { max_attempts = 1 }`"+` in the provider block, or a short `+"`timeouts { create = \"30s\" }`"+` on the resource.
`, long(defaultCreateTimeout), long(defaultUpdateTimeout), long(defaultReadTimeout), long(defaultDeleteTimeout),
		long(retry.Default.MaxElapsed), long(defaultAccountReadTimeout), long(defaultReadTimeout), listParallelism,
		long(defaultCreateTimeout))
}

func failuresBlock() string {
	return `| what failed | what the state holds afterwards |
|---|---|
| a create | nothing; the next apply plans the create again |
| a create that Viber accepted, while the bot's look-up failed | nothing, while Viber holds the new webhook; the error says so, and the next apply sets the same webhook again, which changes nothing at Viber, and records it |
| an update | the previous values |
| a destroy | the resource, as it was |
| any call whose answer was lost (no answer, a gateway error, the timeout), on any attempt | what a read-back of Viber shows; when the read-back fails too, a warning says "Whether Viber applied the change is unknown", and the next ` + "`terraform plan`" + ` settles it |
| a change of ` + "`send_name` or `send_photo`" + ` whose answer was lost | their previous values (a create: nothing), and the apply fails saying so: Viber never reports them, so no read-back can prove them |
`
}

func interruptBlock() string {
	return fmt.Sprintf(`On an interrupt (Ctrl-C, or a CI runner's SIGINT when the step `+"`exec`"+`s Terraform, as the [pipelines guide](guides/pipelines.md) says), no new write and no retry starts.
A call already sent gets %s to be answered, and its answer is recorded.
Without an answer, or when an earlier attempt's answer was lost, one read-back asks Viber what it holds (for up to %s more), and that is recorded.
The state then matches Viber within the 7.5 s a CI runner waits before it kills, unless the read-back fails too: a warning then says "Whether Viber applied the change is unknown", and the next plan's refresh settles it.
`, short(viber.CancelGrace), short(settleAfterInterrupt))
}

// summaryBlock is the README's short version, linking to the full ones.
func summaryBlock() string {
	return fmt.Sprintf(`Network errors, HTTP 429 and 5xx answers, Viber's rate limiting and a failed check of the endpoint are retried with exponential backoff and jitter, for up to %s on a create or update and %s on a refresh or destroy; everything else fails at once ([Retries](docs/index.md#retries)).
A failure records in state only what Viber was seen to hold; when even the read-back fails, the state keeps what it had and a warning says so ([Timeouts and failures](docs/resources/webhook.md#timeouts-and-failures)).
On Ctrl-C, a call already sent gets %s to be answered, and the state then matches Viber unless that read-back fails too.
`, long(defaultCreateTimeout), long(defaultReadTimeout), short(viber.CancelGrace))
}

// long is a duration as a sentence says it: "5 minutes", "90 seconds".
func long(d time.Duration) string {
	switch {
	case d%time.Minute == 0:
		return plural(int(d/time.Minute), "minute")
	case d%time.Second == 0:
		return plural(int(d/time.Second), "second")
	}
	return short(d)
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return strconv.Itoa(n) + " " + unit + "s"
}

// short is a duration with a unit symbol: "250 ms", "2.5 s", "30 s".
func short(d time.Duration) string {
	if d < time.Second {
		return strconv.FormatInt(d.Milliseconds(), 10) + " ms"
	}
	s := strconv.FormatFloat(d.Seconds(), 'f', -1, 64)
	return strings.TrimSuffix(s, ".0") + " s"
}

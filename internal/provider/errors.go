package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/viberops/terraform-provider-viber/internal/retry"
	"github.com/viberops/terraform-provider-viber/internal/viber"
)

// missingTokenDiag is the error for an operation that needs a token when
// none is configured. It names every place a token can come from, in the
// order tokenFor and Configure look.
func missingTokenDiag() diag.Diagnostic {
	return diag.NewErrorDiagnostic("Missing Viber auth token",
		"No auth token is configured for this bot. The provider looks for one in this order, so set any of them:\n"+
			"- bot = \"<key>\" on this resource, data source or list block, naming an entry of the provider's bots map, "+
			"or of the "+EnvBots+" environment variable (a JSON object of keys to tokens) when bots is not set;\n"+
			"- auth_token on this resource or data source;\n"+
			"- auth_token in the provider block;\n"+
			"- the "+EnvAuthToken+" environment variable.\n"+
			"A bot's token is on its Info screen in the Viber Admin Panel.")
}

// unconfiguredDiag is the error of a read that needs Viber while the
// provider's configuration is not known yet (it depends on values known
// only after apply), so the provider is not configured.
func unconfiguredDiag(what string) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Provider configuration not known yet",
		what+" needs the provider's auth_token, bots and api_url, and they depend on values that are known only after "+
			"apply. Apply the resources they depend on first (terraform apply -target=...), or give the provider "+
			"values known at plan time.")
}

// apiErrorDiag turns an error from package viber into a diagnostic that
// names what failed, quotes Viber, and says what to do. doing reads after
// "while", e.g. "setting the webhook". Status 1 is about the url attribute,
// so it is attached there.
func apiErrorDiag(ctx context.Context, doing string, err error) diag.Diagnostic {
	var (
		apiErr    *viber.APIError
		httpErr   *viber.HTTPError
		fieldErr  *viber.FieldError
		redirect  *viber.RedirectError
		netErr    *viber.NetworkError
		tokenErr  *viber.TokenFormatError
		exhausted *retry.ExhaustedError
	)
	// After retries, say how many and for how long before what went wrong.
	tried := ""
	if errors.As(err, &exhausted) {
		tried = fmt.Sprintf("Tried %d times over %s, retrying what may pass. ", exhausted.Attempts, exhausted.Elapsed.Round(time.Second))
		if exhausted.Cut != nil {
			tried += "The timeout cut the last attempt short; the one before got this answer. "
		}
		if exhausted.Asked > 0 {
			tried += fmt.Sprintf("Its last answer asked to retry after %s (Retry-After, from Viber or a proxy in front of it), "+
				"which is past this operation's timeout: retry later, or raise the timeout. ", exhausted.Asked)
		}
		err = exhausted.Last
	}
	timedOut := errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded)
	switch {
	case errors.Is(err, context.Canceled) || errors.Is(ctx.Err(), context.Canceled):
		return diag.NewErrorDiagnostic("Viber call interrupted",
			fmt.Sprintf("Stopped while %s. Viber may or may not have applied the change: "+
				"run terraform plan to see where things stand.", doing))
	case timedOut && exhausted == nil:
		return diag.NewErrorDiagnostic("Viber call timed out",
			fmt.Sprintf("The operation's timeout ran out while %s (%v). Viber may be slow or unreachable: "+
				"try again, or raise the operation's timeout (its timeouts block, e.g. timeouts { create = \"10m\" } on a "+
				"viber_webhook, timeouts { read = \"5m\" } on a viber_account).", doing, err))
	case errors.As(err, &tokenErr):
		return diag.NewErrorDiagnostic("Unusable auth token",
			fmt.Sprintf("Error while %s: the auth token holds a line break or another control character inside it, "+
				"which an HTTP header cannot carry, so nothing was sent to Viber. Surrounding whitespace is trimmed, "+
				"as Viber trims it; this is inside the token. Check the value given to auth_token, bots, %s or %s "+
				"(a token file with two lines, say).", doing, EnvAuthToken, EnvBots))
	case errors.As(err, &apiErr):
		summary := fmt.Sprintf("Viber refused %s: %s (%d)", apiErr.Method, viber.StatusName(apiErr.Status), apiErr.Status)
		quote := "Viber sent no status_message."
		if apiErr.Message != "" {
			quote = fmt.Sprintf("Viber said: %q", apiErr.Message)
		}
		detail := fmt.Sprintf("Error while %s. %s%s\n\n%s", doing, tried, quote, statusAdvice(apiErr))
		if apiErr.Status == viber.StatusInvalidURL {
			return diag.NewAttributeErrorDiagnostic(path.Root("url"), summary, detail)
		}
		return diag.NewErrorDiagnostic(summary, detail)
	case errors.As(err, &redirect):
		return diag.NewErrorDiagnostic("The Viber API URL redirects elsewhere",
			fmt.Sprintf("Error while %s. %s answered HTTP %d, a redirect to %s, which the provider does not follow: "+
				"the request carries the bot's token, and the token goes to api_url's host only.\n\n"+
				"Check api_url (or %s): the Bot API is %s. A proxy or captive portal that redirects cannot be used.",
				doing, redirect.Method, redirect.StatusCode, redirect.Host, EnvAPIURL, viber.DefaultBaseURL))
	case errors.As(err, &fieldErr):
		// A Bot API document, but one that cannot be used: saying it is not
		// the Bot API's would send people hunting for a proxy.
		return diag.NewErrorDiagnostic("Unexpected answer from the Viber API",
			fmt.Sprintf("Error while %s. %s%v\n\nViber answered, but its %q field is missing or not what the Bot API "+
				"documents, so the answer was not used. Try again later; if it persists, "+
				"check that api_url (or %s) points at the Bot API (%s).",
				doing, tried, err, fieldErr.Field, EnvAPIURL, viber.DefaultBaseURL))
	case errors.As(err, &httpErr):
		return diag.NewErrorDiagnostic("Unexpected answer from the Viber API",
			fmt.Sprintf("Error while %s. %s%v\n\nThis is not an answer of the Viber Bot API. Check that api_url (or %s) "+
				"points at the Bot API (%s) and that no proxy stands in the way; if Viber itself is failing, try again later.",
				doing, tried, httpErr, EnvAPIURL, viber.DefaultBaseURL))
	case errors.As(err, &netErr):
		return diag.NewErrorDiagnostic("Cannot reach the Viber API",
			fmt.Sprintf("Error while %s. %s%v\n\nCheck api_url (or %s) and this machine's network access to it.",
				doing, tried, netErr, EnvAPIURL))
	default:
		return diag.NewErrorDiagnostic("Viber API call failed", fmt.Sprintf("Error while %s. %s%v", doing, tried, err))
	}
}

// statusAdvice says what to do about a status code.
func statusAdvice(e *viber.APIError) string {
	switch e.Status {
	case viber.StatusInvalidURL:
		if e.AvailabilityCheckFailed() {
			return "Before it accepts a webhook, Viber POSTs a signed \"webhook\" event to the url and needs HTTP 200 back. " +
				"Make sure the endpoint is deployed and reachable from the internet, answers that POST with 200, " +
				"and serves a certificate from a trusted CA (self-signed certificates are refused). " +
				"If the endpoint is created in the same configuration, make viber_webhook depend on it."
		}
		return "Viber did not accept the url: it must be a valid https:// URL that Viber can reach."
	case viber.StatusInvalidAuthToken, viber.StatusPublicAccountNotFound:
		return "Check the token (the bots entry named by bot, auth_token, or " + EnvAuthToken + "): copy the bot's token " +
			"from its Info screen in the Viber Admin Panel. If Viber replaced the token, put the new one where the old one was."
	case viber.StatusPublicAccountBlocked, viber.StatusPublicAccountSuspended, viber.StatusPublicAccountNotAuthorized:
		return "The bot account cannot be used in its current state: check it in the Viber Admin Panel or contact Viber support."
	case viber.StatusTooManyRequests:
		return "Viber is rate limiting this bot: wait a little and apply again."
	case viber.StatusBadData, viber.StatusMissingData:
		return "Viber could not use the request the provider sent. This is a provider bug: please report it with the provider version."
	default:
		return "See the status codes in the Viber Bot API documentation (https://developers.viber.com/docs/api/rest-bot-api/#errors)."
	}
}

package emulator

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"time"
)

// chatHostname is the undocumented field real answers carry.
const chatHostname = "SN-CHAT-06_"

// ServeHTTP answers Bot API calls under BasePath. As Viber does, every
// answer that gets as far as the API is HTTP 200, errors included.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	method := methodOf(r.URL.Path)
	body, err := io.ReadAll(io.LimitReader(r.Body, 64*1024))
	if err != nil {
		return
	}
	token := r.Header.Get(authTokenHeader)

	e.mu.Lock()
	b := e.accounts[token]
	rec := &Request{Method: method, Body: body, UserAgent: r.UserAgent(), Start: e.now()}
	if b != nil {
		rec.AccountID = b.account.ID
	}
	e.requests = append(e.requests, rec)
	e.mu.Unlock()
	defer func() {
		e.mu.Lock()
		rec.End = e.now()
		e.mu.Unlock()
	}()

	if method != "set_webhook" && method != "get_account_info" {
		http.NotFound(w, r)
		return
	}
	fault, faults := e.faultFor(method)
	if faults.Latency > 0 {
		select {
		case <-time.After(faults.Latency):
		case <-r.Context().Done():
			return
		}
	}
	switch fault {
	case dropFault:
		dropConnection(w)
		return
	case httpErrorFault:
		status := cmp.Or(faults.HTTPErrorStatus, http.StatusBadGateway)
		w.Header().Set("Content-Type", "text/html")
		if faults.RetryAfter != "" {
			w.Header().Set("Retry-After", faults.RetryAfter)
			e.mu.Lock()
			rec.RetryAfter = faults.RetryAfter
			e.mu.Unlock()
		}
		w.WriteHeader(status)
		fmt.Fprintf(w, gatewayPage, status, status)
		return
	case rateLimitFault:
		writeAnswer(w, failure(statusTooManyRequests, "tooManyRequests"))
		return
	case statusFault:
		writeAnswer(w, failure(faults.Status, StatusName(faults.Status)))
		return
	}

	var answer map[string]any
	switch {
	case len(body) >= 30*1024:
		answer = failure(statusBadData, "request too large")
	case b == nil:
		answer = failure(statusInvalidAuthToken, "invalidAuthToken")
	case method == "set_webhook":
		answer = e.setWebhook(r, token, body)
	default:
		answer = e.accountInfo(token)
		if fault == omitIDFault {
			delete(answer, "id")
		}
	}
	if fault == dropAnswerFault {
		dropConnection(w)
		return
	}
	if faults.AnswerLatency > 0 {
		select {
		case <-time.After(faults.AnswerLatency):
		case <-r.Context().Done():
			return
		}
	}
	writeAnswer(w, answer)
}

func writeAnswer(w http.ResponseWriter, answer map[string]any) {
	answer["chat_hostname"] = chatHostname
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(answer)
}

func failure(status int, message string) map[string]any {
	return map[string]any{"status": status, "status_message": message}
}

func success() map[string]any {
	return map[string]any{"status": statusOK, "status_message": "ok"}
}

// setWebhookBody keeps raw fields so that "absent" and "empty" differ.
type setWebhookBody struct {
	URL        *string          `json:"url"`
	EventTypes *json.RawMessage `json:"event_types"`
	SendName   bool             `json:"send_name"`
	SendPhoto  bool             `json:"send_photo"`
}

func (e *Emulator) setWebhook(r *http.Request, token string, body []byte) map[string]any {
	var req setWebhookBody
	if err := json.Unmarshal(body, &req); err != nil {
		return failure(statusBadData, "failed to parse request body")
	}
	if req.URL == nil {
		return failure(statusMissingData, "missing url")
	}
	if *req.URL == "" {
		e.SetWebhook(token, nil)
		return success()
	}

	var types []string // nil: key absent, every event
	if req.EventTypes != nil {
		types = []string{}
		if err := json.Unmarshal(*req.EventTypes, &types); err != nil || types == nil {
			return failure(statusBadData, "event_types must be an array of strings")
		}
		for _, t := range types {
			if !slices.Contains(requestableEventTypes, t) {
				return failure(statusBadData, "invalid event type: "+t)
			}
		}
	}

	u, err := url.Parse(*req.URL)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return failure(statusInvalidURL, "URL not valid or not HTTPS")
	}
	if msg, ok := e.availabilityCheck(r.Context(), token, u); !ok {
		e.mu.Lock()
		silent := e.silentChecks
		e.mu.Unlock()
		if silent {
			return map[string]any{"status": statusInvalidURL}
		}
		return failure(statusInvalidURL, msg)
	}

	// Viber is reported to drop query strings from webhook URLs.
	u.RawQuery, u.ForceQuery = "", false
	e.SetWebhook(token, &Webhook{URL: u.String(), EventTypes: types, SendName: req.SendName, SendPhoto: req.SendPhoto})

	answer := success()
	answer["event_types"] = e.answerEventTypes(types)
	return answer
}

func (e *Emulator) accountInfo(token string) map[string]any {
	e.mu.Lock()
	b := e.accounts[token]
	acc := b.account
	hook := b.webhook
	var types []string
	if hook != nil {
		types = slices.Clone(hook.EventTypes)
	}
	e.mu.Unlock()

	members := []map[string]any{}
	for _, m := range acc.Members {
		members = append(members, map[string]any{"id": m.ID, "name": m.Name, "avatar": m.Avatar, "role": m.Role})
	}
	answer := success()
	answer["id"] = acc.ID
	answer["name"] = acc.Name
	answer["uri"] = acc.URI
	answer["icon"] = acc.Icon
	answer["background"] = acc.Background
	answer["category"] = acc.Category
	answer["subcategory"] = acc.Subcategory
	answer["location"] = map[string]any{"lat": acc.Location.Lat, "lon": acc.Location.Lon}
	answer["country"] = acc.Country
	answer["subscribers_count"] = acc.SubscribersCount
	answer["members"] = members
	for _, field := range acc.Omit {
		delete(answer, field)
	}
	// Viber omits both keys, rather than sending "", when no webhook is set.
	if hook != nil {
		answer["webhook"] = hook.URL
		answer["event_types"] = e.answerEventTypes(types)
	}
	return answer
}

package emulator

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
)

// Viber's rules as the emulator plays them, written from Viber's Bot API
// documentation and public captures of its answers, and kept apart from
// package viber on purpose: a stand-in that took its rules from the client
// it tests would agree with the client's mistakes. (A test compares the two.)

// The headers of the Bot API: the token on every call, the signature on
// every callback.
const (
	authTokenHeader = "X-Viber-Auth-Token"
	signatureHeader = "X-Viber-Content-Signature"
)

// Status codes this emulator answers with.
const (
	statusOK               = 0
	statusInvalidURL       = 1
	statusInvalidAuthToken = 2
	statusBadData          = 3
	statusMissingData      = 4
	statusTooManyRequests  = 12
)

// statusNames are the names Viber's documentation gives its status codes;
// a status_message is often, but not always, the name.
var statusNames = map[int]string{
	0: "ok", 1: "invalidUrl", 2: "invalidAuthToken", 3: "badData", 4: "missingData",
	5: "receiverNotRegistered", 6: "receiverNotSubscribed", 7: "publicAccountBlocked",
	8: "publicAccountNotFound", 9: "publicAccountSuspended", 10: "webhookNotSet",
	11: "receiverNoSuitableDevice", 12: "tooManyRequests", 13: "apiVersionNotSupported",
	14: "incompatibleWithVersion", 15: "publicAccountNotAuthorized", 16: "inchatReplyMessageNotAllowed",
	17: "publicAccountIsNotInline", 18: "noPublicChat", 19: "cannotSendBroadcast", 20: "broadcastNotAllowed",
	21: "unsupportedCountry", 22: "paymentUnsupported", 23: "freeMessagesExceeded", 24: "noBalance",
}

// StatusName is Viber's name for a status code: "generalError" for codes
// it does not document.
func StatusName(code int) string {
	if name, ok := statusNames[code]; ok {
		return name
	}
	return "generalError"
}

// Event types. A set_webhook request may name any of requestableEventTypes
// (Viber accepts "message" although it is always delivered: captured, and
// several SDKs send it); mandatoryEventTypes are delivered whatever the
// request says; serverOnlyEventTypes appear in answers but are never asked
// for.
var (
	requestableEventTypes = []string{"delivered", "seen", "failed", "subscribed", "unsubscribed", "conversation_started", "message"}
	mandatoryEventTypes   = []string{"message", "subscribed", "unsubscribed"}
	serverOnlyEventTypes  = []string{"webhook", "client_status", "action"}
)

// sign is a callback's X-Viber-Content-Signature: the lowercase hex
// HMAC-SHA256 of the raw body, keyed with the bot's auth token.
func sign(token string, body []byte) string {
	return hex.EncodeToString(bodyMAC(token, body))
}

// validSignature reports, in constant time, whether signature signs body
// under token.
func validSignature(token string, body []byte, signature string) bool {
	got, err := hex.DecodeString(signature)
	return err == nil && hmac.Equal(got, bodyMAC(token, body))
}

func bodyMAC(token string, body []byte) []byte {
	mac := hmac.New(sha256.New, []byte(token))
	mac.Write(body)
	return mac.Sum(nil)
}

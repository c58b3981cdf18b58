package viber

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
)

// SignatureHeader carries the signature of every callback Viber sends.
const SignatureHeader = "X-Viber-Content-Signature"

// Sign returns the callback signature for body: the lowercase hex
// HMAC-SHA256 of the raw bytes, keyed with the bot's auth token.
func Sign(token string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(token))
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// VerifySignature reports, in constant time, whether signature is body's
// signature under token.
func VerifySignature(token string, body []byte, signature string) bool {
	want, err := hex.DecodeString(signature)
	if err != nil {
		return false
	}
	mac := hmac.New(sha256.New, []byte(token))
	mac.Write(body)
	return hmac.Equal(mac.Sum(nil), want)
}

package viber

import "testing"

// The vector Viber's Java, Node and Python SDKs all test against.
func TestSignMatchesViberSDKVector(t *testing.T) {
	const (
		token = "44dafb7e0f40021e-61a47a1e6778d187-f2c5a676a07050b3"
		body  = `{"event":"webhook","timestamp":4977069964384421269,"message_token":1478683725125}`
		want  = "d21b343448c8aee33b8e93768ef6ceb64a6ba6163099973a2b8bd028fea510ef"
	)
	if got := Sign(token, []byte(body)); got != want {
		t.Fatalf("Sign = %s, want %s", got, want)
	}
	if !VerifySignature(token, []byte(body), want) {
		t.Fatal("VerifySignature rejects the SDK vector")
	}
	for _, bad := range []string{"", "zz", want[:len(want)-2] + "00"} {
		if VerifySignature(token, []byte(body), bad) {
			t.Errorf("VerifySignature accepts %q", bad)
		}
	}
	if VerifySignature("another-token", []byte(body), want) {
		t.Error("VerifySignature accepts the signature under another token")
	}
}

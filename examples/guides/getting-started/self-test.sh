body='{"event":"webhook","timestamp":1,"message_token":1}'
sig=$(printf '%s' "$body" | openssl dgst -sha256 -hmac "$VIBER_AUTH_TOKEN" | awk '{print $NF}')
curl -sS -o /dev/null -w '%{http_code}\n' -X POST \
  -H 'Content-Type: application/json' -H "X-Viber-Content-Signature: $sig" \
  -d "$body" https://bots.example.com/viber

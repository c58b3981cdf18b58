package validators

import (
	"net/url"
	"testing"
)

// CheckURL never panics, and what it accepts is what Viber needs: an
// absolute https URL with a host name.
func FuzzCheckURL(f *testing.F) {
	for _, seed := range []string{"https://bot.example.com/viber", "http://x", "", "/path", "https:///x", "https://:443",
		"https://[::1]:8443/h", "https://bot example.com", "HTTPS://Bot.Example.COM/%41", "https://u:p@h/x?q=1#f", "javascript:alert(1)"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		if err := CheckURL(raw, "https"); err != nil {
			if err.Error() == "" {
				t.Fatalf("empty error for %q", raw)
			}
			return
		}
		u, err := url.Parse(raw)
		if err != nil || u.Scheme != "https" || u.Hostname() == "" || u.Opaque != "" {
			t.Fatalf("CheckURL accepted %q (parsed: %+v, %v)", raw, u, err)
		}
	})
}

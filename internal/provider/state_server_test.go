package provider_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// stateServer is a remote state backend for Terraform's `http` backend, on
// loopback: each path holds one state and its lock, taken and released by
// LOCK and UNLOCK as a remote backend's lock file is, and refused while
// another holder has it (the "Error acquiring the state lock" a held S3
// lock file gives).
type stateServer struct {
	url    string
	mu     sync.Mutex
	states map[string][]byte
	locks  map[string]lockInfo
}

// lockInfo is the part of Terraform's lock information the server reads.
type lockInfo struct {
	ID        string
	Operation string
	raw       []byte
}

func newStateServer(t *testing.T) *stateServer {
	t.Helper()
	s := &stateServer{states: map[string][]byte{}, locks: map[string]lockInfo{}}
	srv := httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(srv.Close)
	s.url = srv.URL
	return s
}

// backendOverride is a backend_override.tf that points a configuration's
// backend at the state under path, whatever backend it names: Terraform and
// OpenTofu replace the backend block with an override file's.
func (s *stateServer) backendOverride(path string) string {
	addr := s.url + "/" + path
	return fmt.Sprintf("terraform {\n  backend \"http\" {\n    address        = %q\n    lock_address   = %q\n    unlock_address = %q\n  }\n}\n", addr, addr, addr)
}

func (s *stateServer) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	path := r.URL.Path
	held, locked := s.locks[path]
	switch r.Method {
	case http.MethodGet:
		state, ok := s.states[path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write(state)
	case http.MethodPost:
		if locked && r.URL.Query().Get("ID") != held.ID {
			w.WriteHeader(http.StatusLocked)
			_, _ = w.Write(held.raw)
			return
		}
		s.states[path] = body
	case "LOCK":
		if locked {
			w.WriteHeader(http.StatusLocked)
			_, _ = w.Write(held.raw)
			return
		}
		var info lockInfo
		if err := json.Unmarshal(body, &info); err != nil || info.ID == "" {
			http.Error(w, "a lock needs its JSON lock information", http.StatusBadRequest)
			return
		}
		info.raw = body
		s.locks[path] = info
	case "UNLOCK":
		delete(s.locks, path)
	default:
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

// lock returns who holds the lock of the state under path, if anyone.
func (s *stateServer) lock(path string) (lockInfo, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	info, ok := s.locks["/"+path]
	return info, ok
}

// state returns the state under path, nil if none was ever written.
func (s *stateServer) state(path string) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.states["/"+path]
}

// webhookURLs returns the url of every viber_webhook instance in the state
// under path, by its bot key.
func (s *stateServer) webhookURLs(t *testing.T, path string) map[string]string {
	t.Helper()
	raw := s.state(path)
	if raw == nil {
		t.Fatalf("no state was ever written under %s", path)
	}
	var st struct {
		Resources []struct {
			Type      string
			Instances []struct {
				Attributes struct {
					Bot string
					URL string
				}
			}
		}
	}
	if err := json.Unmarshal(raw, &st); err != nil {
		t.Fatalf("decoding the state under %s: %v", path, err)
	}
	urls := map[string]string{}
	for _, r := range st.Resources {
		if r.Type != "viber_webhook" {
			continue
		}
		for _, i := range r.Instances {
			urls[i.Attributes.Bot] = i.Attributes.URL
		}
	}
	return urls
}

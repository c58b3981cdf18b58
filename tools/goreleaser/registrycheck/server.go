package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"sync"
	"time"
)

// variant is one registry the server answers for, under its own path
// prefix: the release as built, or a tampered copy of it.
type variant struct {
	prefix    string // "" for the release, "/tampered-zip", ...
	rel       *release
	key       signingKey
	overrides map[string][]byte // served file name -> bytes replacing the release's
	shasums   map[string]string // zip name -> the shasum its download document gives
}

// providersURL is the providers.v1 service of the variant on base.
func (v *variant) providersURL(base string) string { return base + v.prefix + "/v1/providers/" }

// newTamperedZip serves the release with the zip of p replaced by a
// tampered one while the checksum file and its signature stay as built: a
// zip whose bytes differ from SHA256SUMS.
func newTamperedZip(rel *release, key signingKey, p platform) (*variant, error) {
	bad, err := tamperedZipOf(rel, p)
	if err != nil {
		return nil, err
	}
	return &variant{prefix: "/tampered-zip", rel: rel, key: key,
		overrides: map[string][]byte{rel.zipName(p): bad}, shasums: map[string]string{}}, nil
}

// newRehashed serves the tampered zip of p with a checksum file rewritten to
// match it and the original signature: what someone who can replace release
// files but does not hold the signing key can publish.
func newRehashed(rel *release, key signingKey, p platform) (*variant, error) {
	bad, err := tamperedZipOf(rel, p)
	if err != nil {
		return nil, err
	}
	zip, sum := rel.zipName(p), sha256Hex(bad)
	sums := rel.rewriteSums(zip, sum)
	return &variant{prefix: "/rehashed", rel: rel, key: key,
		overrides: map[string][]byte{zip: bad, rel.sumsName(): sums}, shasums: map[string]string{zip: sum}}, nil
}

func tamperedZipOf(rel *release, p platform) ([]byte, error) {
	if !rel.hasPlatform(p) {
		return nil, fmt.Errorf("the release has no %s zip to tamper with", p)
	}
	orig, err := os.ReadFile(rel.files[rel.zipName(p)])
	if err != nil {
		return nil, err
	}
	bad, err := tamperZip(orig)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", rel.zipName(p), err)
	}
	return bad, nil
}

// rewriteSums is the checksum file with name's checksum replaced by sum.
func (r *release) rewriteSums(name, sum string) []byte {
	var out []byte
	for _, line := range splitLines(r.sumsRaw) {
		if _, n, _ := cutSumLine(line); n == name {
			line = sum + "  " + name
		}
		out = append(out, line+"\n"...)
	}
	return out
}

// registry serves the registry protocol for its variants over HTTPS on
// loopback, with a certificate of its own throwaway CA.
type registry struct {
	base     string // https://127.0.0.1:port
	caPEM    []byte
	srv      *http.Server
	mu       sync.Mutex
	requests map[string]int // path -> GET count
}

func startRegistry(variants ...*variant) (*registry, error) {
	caPEM, cert, err := newCertificates()
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	reg := &registry{base: "https://" + ln.Addr().String(), caPEM: caPEM, requests: map[string]int{}}
	mux := http.NewServeMux()
	for _, v := range variants {
		reg.route(mux, v)
	}
	reg.srv = &http.Server{
		Handler:           reg.count(mux),
		TLSConfig:         &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12},
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      2 * time.Minute,
	}
	go func() { _ = reg.srv.ServeTLS(ln, "", "") }() // ends with close()
	return reg, nil
}

func (reg *registry) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if reg.srv.Shutdown(ctx) != nil {
		reg.srv.Close()
	}
}

func (reg *registry) count(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reg.mu.Lock()
		reg.requests[r.URL.Path]++
		reg.mu.Unlock()
		next.ServeHTTP(w, r)
	})
}

// served reports and resets the request counts.
func (reg *registry) served() map[string]int {
	reg.mu.Lock()
	defer reg.mu.Unlock()
	out := reg.requests
	reg.requests = map[string]int{}
	return out
}

func (reg *registry) route(mux *http.ServeMux, v *variant) {
	r, p := v.rel, v.prefix
	files := reg.base + p + "/files/"
	mux.HandleFunc("GET "+p+"/.well-known/terraform.json", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, map[string]string{"providers.v1": p + "/v1/providers/"})
	})
	provider := p + "/v1/providers/" + r.namespace + "/" + r.typ
	mux.HandleFunc("GET "+provider+"/versions", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, r.versions())
	})
	mux.HandleFunc("GET "+provider+"/{version}/download/{os}/{arch}", func(w http.ResponseWriter, req *http.Request) {
		pl := platform{req.PathValue("os"), req.PathValue("arch")}
		if req.PathValue("version") != r.version || !r.hasPlatform(pl) {
			http.NotFound(w, req)
			return
		}
		doc := r.download(pl, files, v.key)
		if s, ok := v.shasums[doc.Filename]; ok {
			doc.Shasum = s
		}
		writeJSON(w, doc)
	})
	mux.HandleFunc("GET "+p+"/files/{name}", func(w http.ResponseWriter, req *http.Request) {
		name := req.PathValue("name")
		if b, ok := v.overrides[name]; ok {
			w.Header().Set("Content-Type", "application/octet-stream")
			_, _ = w.Write(b)
			return
		}
		path, ok := r.files[name]
		if !ok {
			http.NotFound(w, req)
			return
		}
		http.ServeFile(w, req, path)
	})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v) // cannot fail for these documents; a broken connection is the client's to see
}

// newCertificates makes a throwaway CA and a certificate it signs for
// 127.0.0.1, valid for an hour.
func newCertificates() (caPEM []byte, leaf tls.Certificate, err error) {
	now := time.Now()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, leaf, err
	}
	ca := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "terraform-provider-viber registry-check CA (throwaway)"},
		NotBefore:             now.Add(-time.Minute),
		NotAfter:              now.Add(time.Hour),
		KeyUsage:              x509.KeyUsageCertSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, leaf, err
	}
	if ca, err = x509.ParseCertificate(caDER); err != nil {
		return nil, leaf, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, leaf, err
	}
	der, err := x509.CreateCertificate(rand.Reader, &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		NotBefore:    now.Add(-time.Minute),
		NotAfter:     now.Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
	}, ca, &key.PublicKey, caKey)
	if err != nil {
		return nil, leaf, err
	}
	caPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER})
	return caPEM, tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}

package main

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const fakeManifest = `{"version": 1, "metadata": {"protocol_versions": ["6.0"]}}` + "\n"

// makeZip writes a deterministic zip of name -> content entries.
func makeZip(t *testing.T, entries ...[2]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, e := range entries {
		fw, err := w.CreateHeader(&zip.FileHeader{Name: e[0], Method: zip.Deflate, Modified: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fw.Write([]byte(e[1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// fakeDist writes a release of viber 1.2.3 as goreleaser lays it out, with
// the manifest in dist unless manifestInDist is false; edit may change the
// checksum file's lines before it is written.
func fakeDist(t *testing.T, manifestInDist bool, edit func(lines []string) []string) (dist, manifest string) {
	t.Helper()
	dist = t.TempDir()
	put := func(dir, name string, b []byte) string {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
		return sha256Hex(b) + "  " + name
	}
	var lines []string
	for _, p := range []string{"windows_amd64", "darwin_arm64", "linux_amd64"} {
		bin := "terraform-provider-viber_v1.2.3"
		if strings.HasPrefix(p, "windows") {
			bin += ".exe"
		}
		lines = append(lines, put(dist, "terraform-provider-viber_1.2.3_"+p+".zip", makeZip(t, [2]string{bin, "binary for " + p})))
	}
	manifestDir := dist
	if !manifestInDist {
		manifestDir = t.TempDir()
	}
	manifest = filepath.Join(manifestDir, "terraform-provider-viber_1.2.3_manifest.json")
	lines = append(lines, put(manifestDir, filepath.Base(manifest), []byte(fakeManifest)))
	lines = append(lines, put(dist, "terraform-provider-viber_1.2.3_sbom.cdx.json", []byte(`{"bomFormat":"CycloneDX"}`)))
	if edit != nil {
		lines = edit(lines)
	}
	put(dist, "terraform-provider-viber_1.2.3_SHA256SUMS", []byte(strings.Join(lines, "\n")+"\n"))
	put(dist, "terraform-provider-viber_1.2.3_SHA256SUMS.sig", []byte("not a real signature"))
	return dist, manifest
}

func testKey(t *testing.T) signingKey {
	t.Helper()
	raw, err := os.ReadFile("testdata/key.asc")
	if err != nil {
		t.Fatal(err)
	}
	k, err := parseSigningKey(string(raw))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestVersionsAndDownloadDocuments(t *testing.T) {
	dist, _ := fakeDist(t, true, nil)
	rel, err := loadRelease(dist, "viberops", "viber", "")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(rel.versions())
	want := `{"versions":[{"version":"1.2.3","protocols":["6.0"],"platforms":[` +
		`{"os":"darwin","arch":"arm64"},{"os":"linux","arch":"amd64"},{"os":"windows","arch":"amd64"}]}]}`
	if string(got) != want {
		t.Errorf("versions:\n got %s\nwant %s", got, want)
	}

	key := testKey(t)
	zipName := "terraform-provider-viber_1.2.3_linux_amd64.zip"
	doc := rel.download(platform{"linux", "amd64"}, "https://127.0.0.1:1234/files/", key)
	raw, _ := json.Marshal(doc)
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	wantFields := map[string]any{
		"protocols":             []any{"6.0"},
		"os":                    "linux",
		"arch":                  "amd64",
		"filename":              zipName,
		"download_url":          "https://127.0.0.1:1234/files/" + zipName,
		"shasums_url":           "https://127.0.0.1:1234/files/terraform-provider-viber_1.2.3_SHA256SUMS",
		"shasums_signature_url": "https://127.0.0.1:1234/files/terraform-provider-viber_1.2.3_SHA256SUMS.sig",
		"shasum":                rel.sums[zipName],
		"signing_keys": map[string]any{"gpg_public_keys": []any{map[string]any{
			"key_id": "886E1E8F32DAE99B", "ascii_armor": key.armor, "trust_signature": "", "source": "viberops", "source_url": "",
		}}},
	}
	if len(m) != len(wantFields) {
		t.Errorf("download document has fields %v", m)
	}
	for k, v := range wantFields {
		g, _ := json.Marshal(m[k])
		w, _ := json.Marshal(v)
		if string(g) != string(w) {
			t.Errorf("download %s = %s, want %s", k, g, w)
		}
	}
	zipBytes, _ := os.ReadFile(filepath.Join(dist, zipName))
	if doc.Shasum != sha256Hex(zipBytes) || len(doc.Shasum) != 64 {
		t.Errorf("shasum %s is not the zip's sha256", doc.Shasum)
	}
	if got := rel.allSums(); len(got) != 5 {
		t.Errorf("allSums = %v, want the 3 zips' sums, the manifest's and the SBOM's", got)
	}
}

func TestManifestOutsideDist(t *testing.T) {
	dist, manifest := fakeDist(t, false, nil)
	if _, err := loadRelease(dist, "viberops", "viber", ""); err == nil || !strings.Contains(err.Error(), "give -manifest") {
		t.Errorf("without -manifest: %v", err)
	}
	rel, err := loadRelease(dist, "viberops", "viber", manifest)
	if err != nil {
		t.Fatal(err)
	}
	if rel.files[rel.manifestName()] != manifest {
		t.Errorf("manifest served from %s", rel.files[rel.manifestName()])
	}
}

func TestBrokenReleasesRefused(t *testing.T) {
	drop := func(substr string) func([]string) []string {
		return func(lines []string) (out []string) {
			for _, l := range lines {
				if !strings.Contains(l, substr) {
					out = append(out, l)
				}
			}
			return out
		}
	}
	for name, c := range map[string]struct {
		edit func([]string) []string
		want string
	}{
		"no manifest line": {drop("manifest"), "does not list terraform-provider-viber_1.2.3_manifest.json"},
		"no zips":          {drop(".zip"), "lists no"},
		"signature listed": {func(l []string) []string {
			return append(l, strings.Repeat("0", 64)+"  terraform-provider-viber_1.2.3_SHA256SUMS.sig")
		}, "not part of a provider release"},
		"zip not in dist": {func(l []string) []string {
			return append(l, strings.Repeat("0", 64)+"  terraform-provider-viber_1.2.3_linux_arm.zip")
		}, "which the release lacks"},
		"manifest differs": {func(l []string) []string {
			for i := range l {
				if strings.Contains(l[i], "manifest") {
					l[i] = strings.Repeat("a", 64) + l[i][64:]
				}
			}
			return l
		}, "but terraform-provider-viber_1.2.3_SHA256SUMS lists"},
		"malformed line": {func(l []string) []string { return append(l, "xyz terraform-provider-viber_1.2.3_linux_arm.zip") }, "malformed line"},
	} {
		t.Run(name, func(t *testing.T) {
			dist, _ := fakeDist(t, true, c.edit)
			_, err := loadRelease(dist, "viberops", "viber", "")
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want an error containing %q", err, c.want)
			}
		})
	}

	t.Run("snapshot", func(t *testing.T) {
		dist := t.TempDir()
		if err := os.WriteFile(filepath.Join(dist, "terraform-provider-viber_0.0.0-SNAPSHOT-abc123_SHA256SUMS"), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := loadRelease(dist, "viberops", "viber", ""); err == nil || !strings.Contains(err.Error(), "is not X.Y.Z") {
			t.Errorf("got %v", err)
		}
	})
	t.Run("no signature", func(t *testing.T) {
		dist, _ := fakeDist(t, true, nil)
		os.Remove(filepath.Join(dist, "terraform-provider-viber_1.2.3_SHA256SUMS.sig"))
		if _, err := loadRelease(dist, "viberops", "viber", ""); err == nil || !strings.Contains(err.Error(), "no signature") {
			t.Errorf("got %v", err)
		}
	})
}

func TestRehashedAndTampered(t *testing.T) {
	dist, _ := fakeDist(t, true, nil)
	rel, err := loadRelease(dist, "viberops", "viber", "")
	if err != nil {
		t.Fatal(err)
	}
	key := testKey(t)
	p := platform{"linux", "amd64"}
	tz, err := newTamperedZip(rel, key, p)
	if err != nil {
		t.Fatal(err)
	}
	bad := tz.overrides[rel.zipName(p)]
	if sha256Hex(bad) == rel.sums[rel.zipName(p)] {
		t.Fatal("the tampered zip has the release's checksum")
	}
	z, err := zip.NewReader(bytes.NewReader(bad), int64(len(bad)))
	if err != nil || len(z.File) != 1 || z.File[0].Name != "terraform-provider-viber_v1.2.3" {
		t.Fatalf("tampered zip is not a zip of the same file: %v", err)
	}
	if len(tz.shasums) != 0 || tz.overrides[rel.sumsName()] != nil {
		t.Error("the tampered-zip variant must serve the checksum file as built")
	}

	rh, err := newRehashed(rel, key, p)
	if err != nil {
		t.Fatal(err)
	}
	sums, err := parseSums(rh.overrides[rel.sumsName()])
	if err != nil {
		t.Fatal(err)
	}
	for name, sum := range rel.sums {
		want := sum
		if name == rel.zipName(p) {
			want = sha256Hex(rh.overrides[name])
		}
		if sums[name] != want {
			t.Errorf("rehashed SHA256SUMS: %s = %s, want %s", name, sums[name], want)
		}
	}
	if rh.shasums[rel.zipName(p)] != sums[rel.zipName(p)] {
		t.Error("the rehashed download document must give the rewritten checksum")
	}
	if _, err := newTamperedZip(rel, key, platform{"plan9", "amd64"}); err == nil {
		t.Error("tampering with a platform the release lacks")
	}
}

func TestH1Hash(t *testing.T) {
	// Golden values from golang.org/x/mod/sumdb/dirhash.HashZip(path, dirhash.Hash1).
	for want, entries := range map[string][][2]string{
		"h1:uo7Mf6wKeT2a1tdw2C40x2wRXnKKAdwoqOGL42VEApc=": {{"terraform-provider-viber_v1.2.3", "linux binary"}},
		"h1:Fgs8GZ/ATg9/E2M5nEwxQTENI1gF7TyAMwfdEPq4PMw=": {{"z/", ""}, {"b.txt", "second"}, {"a.txt", "first"}, {"z/c", "third"}},
	} {
		got, err := h1Hash(makeZip(t, entries...))
		if err != nil || got != want {
			t.Errorf("h1Hash(%v) = %s, %v; want %s", entries, got, err, want)
		}
	}
}

func TestSigningKey(t *testing.T) {
	k := testKey(t)
	// gpg --with-colons --list-keys: fpr 6DC6968FEAAFA98D49570209886E1E8F32DAE99B
	if k.fingerprint != "6DC6968FEAAFA98D49570209886E1E8F32DAE99B" || k.id != "886E1E8F32DAE99B" {
		t.Errorf("fingerprint %s, key ID %s", k.fingerprint, k.id)
	}
	// The same key packet in a new-format header gives the same key.
	data, err := dearmor(k.armor)
	if err != nil {
		t.Fatal(err)
	}
	_, body, err := firstPacket(data)
	if err != nil {
		t.Fatal(err)
	}
	n := len(body) - 192
	newFormat := append([]byte{0xC6, byte(n>>8) + 192, byte(n)}, body...)
	tag, body2, err := firstPacket(newFormat)
	if err != nil || tag != 6 || !bytes.Equal(body, body2) {
		t.Errorf("new-format header: tag %d, %v", tag, err)
	}

	damaged := strings.Replace(k.armor, "mQENBG", "mQENBH", 1)
	if _, err := parseSigningKey(damaged); err == nil {
		t.Error("a damaged key block parsed")
	}
	if _, err := parseSigningKey(strings.ReplaceAll(k.armor, "PUBLIC", "PRIVATE")); err == nil || !strings.Contains(err.Error(), "private") {
		t.Errorf("a private key block: %v", err)
	}
	if _, err := parseSigningKey("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n" + base64.StdEncoding.EncodeToString([]byte{0xC6, 1, 3}) + "\n-----END PGP PUBLIC KEY BLOCK-----\n"); err == nil {
		t.Error("a version 3 key parsed")
	}
}

func TestReadmeRequirement(t *testing.T) {
	raw, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	req, err := readmeRequirement(string(raw))
	if err != nil {
		t.Fatal(err)
	}
	if req.localName != "viber" || req.namespace != "viberops" || req.typ != "viber" || !strings.Contains(string(raw), req.block) {
		t.Errorf("README: %+v", req)
	}
	// The quick start holds its provider block too; init is given only the
	// terraform block, beside a provider block of its own.
	if strings.Contains(req.block, "provider \"") || !strings.HasPrefix(req.block, "terraform {") {
		t.Errorf("README's block as init gets it:\n%s", req.block)
	}

	block := "```hcl\nterraform {\n  required_providers {\n    viber = {\n      source  = \"viberops/viber\"\n      version = \"~> 1.0\"\n    }\n  }\n}\n```\n"
	if _, err := readmeRequirement("# none\n"); err == nil {
		t.Error("a README without the block")
	}
	if _, err := readmeRequirement(block + block); err == nil {
		t.Error("a README with two blocks")
	}
	if _, err := readmeRequirement(strings.Replace(block, "viberops/viber", "example.com/viberops/viber", 1)); err == nil {
		t.Error("a source on another registry")
	}
	if got := constraintOf(block); got != "~> 1.0" {
		t.Errorf("constraint %q", got)
	}
}

func TestLockFile(t *testing.T) {
	lock := `# This file is maintained automatically by "terraform init".

provider "registry.terraform.io/viberops/viber" {
  version     = "1.2.3"
  constraints = "~> 1.0"
  hashes = [
    "h1:AAA=",
    "h1:BBB=",
    "zh:` + strings.Repeat("2", 64) + `",
    "zh:` + strings.Repeat("1", 64) + `",
  ]
}
`
	if _, err := parseLock(lock, "registry.opentofu.org/viberops/viber"); err == nil {
		t.Error("an entry for another host")
	}
	e, err := parseLock(lock, "registry.terraform.io/viberops/viber")
	if err != nil {
		t.Fatal(err)
	}
	if e.version != "1.2.3" || len(e.hashes) != 4 {
		t.Errorf("%+v", e)
	}
	if err := e.checkZH([]string{strings.Repeat("1", 64), strings.Repeat("2", 64)}); err != nil {
		t.Error(err)
	}
	if err := e.checkZH([]string{strings.Repeat("1", 64)}); err == nil {
		t.Error("an extra zh: passed")
	}
	lin, win := platform{"linux", "amd64"}, platform{"windows", "amd64"}
	if err := e.checkH1(map[platform]string{lin: "h1:AAA=", win: "h1:BBB="}); err != nil {
		t.Error(err)
	}
	if err := e.checkH1(map[platform]string{lin: "h1:CCC="}); err == nil {
		t.Error("a missing h1: passed")
	}
}

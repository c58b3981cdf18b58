package main

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// h1Hash is the lock file's h1: hash of a provider zip, as Terraform and
// OpenTofu compute it: golang.org/x/mod/sumdb/dirhash.HashZip with Hash1,
// the sha256 of the sorted lines "<sha256 hex of the entry>  <entry name>\n".
func h1Hash(zipBytes []byte) (string, error) {
	z, err := zip.NewReader(bytes.NewReader(zipBytes), int64(len(zipBytes)))
	if err != nil {
		return "", err
	}
	entries := map[string]*zip.File{}
	var names []string
	for _, f := range z.File {
		names = append(names, f.Name)
		entries[f.Name] = f
	}
	if len(names) == 0 {
		return "", errors.New("empty zip")
	}
	slices.Sort(names)
	summary := sha256.New()
	for _, name := range names {
		if strings.Contains(name, "\n") {
			return "", fmt.Errorf("file name %q contains a newline", name)
		}
		rc, err := entries[name].Open()
		if err != nil {
			return "", err
		}
		h := sha256.New()
		_, err = io.Copy(h, rc)
		rc.Close()
		if err != nil {
			return "", fmt.Errorf("%s: %w", name, err)
		}
		fmt.Fprintf(summary, "%x  %s\n", h.Sum(nil), name)
	}
	return "h1:" + base64.StdEncoding.EncodeToString(summary.Sum(nil)), nil
}

// tamperZip rewrites a provider zip as an attacker would: a valid zip with
// the same file names and metadata whose binary differs in its last byte.
func tamperZip(zipBytes []byte) ([]byte, error) {
	z, err := zip.NewReader(bytes.NewReader(zipBytes), int64(len(zipBytes)))
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	w := zip.NewWriter(&out)
	tampered := false
	for _, f := range z.File {
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		content, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, err
		}
		if !tampered && len(content) > 0 {
			content[len(content)-1] ^= 0xff
			tampered = true
		}
		hdr := f.FileHeader
		fw, err := w.CreateHeader(&hdr)
		if err != nil {
			return nil, err
		}
		if _, err := fw.Write(content); err != nil {
			return nil, err
		}
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	if !tampered {
		return nil, errors.New("nothing to tamper with: the zip holds no data")
	}
	return out.Bytes(), nil
}

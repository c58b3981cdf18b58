package main

import (
	"bufio"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// signingKey is the public key the registry hands out with a release.
type signingKey struct {
	armor       string
	fingerprint string // 40 hex digits, upper case
	id          string // the long key ID: the fingerprint's last 16 digits, as the CLIs print it
}

const (
	armorBegin = "-----BEGIN PGP PUBLIC KEY BLOCK-----"
	armorEnd   = "-----END PGP PUBLIC KEY BLOCK-----"
)

// parseSigningKey reads an ASCII-armored OpenPGP public key (gpg --armor
// --export) and computes its fingerprint and key ID from its primary key
// packet (RFC 4880 §12.2), so that the key the registry names is derived
// from the key itself.
func parseSigningKey(armor string) (signingKey, error) {
	data, err := dearmor(armor)
	if err != nil {
		return signingKey{}, err
	}
	tag, body, err := firstPacket(data)
	if err != nil {
		return signingKey{}, err
	}
	if tag != 6 {
		return signingKey{}, fmt.Errorf("the key block starts with packet type %d, not a public key (6)", tag)
	}
	if len(body) < 6 || body[0] != 4 {
		return signingKey{}, errors.New("not a version 4 OpenPGP key, which Terraform and OpenTofu require")
	}
	switch body[5] {
	case 1, 2, 3, 17: // RSA, RSA encrypt-only, RSA sign-only, DSA
	default:
		return signingKey{}, fmt.Errorf("public key algorithm %d: the Terraform registry accepts RSA or DSA signing keys", body[5])
	}
	h := sha1.New()
	h.Write([]byte{0x99, byte(len(body) >> 8), byte(len(body))})
	h.Write(body)
	fp := strings.ToUpper(hex.EncodeToString(h.Sum(nil)))
	return signingKey{armor: armor, fingerprint: fp, id: fp[24:]}, nil
}

func dearmor(armor string) ([]byte, error) {
	if strings.Contains(armor, "PRIVATE KEY BLOCK") {
		return nil, errors.New("this is a private key: give the public key (gpg --armor --export)")
	}
	sc := bufio.NewScanner(strings.NewReader(armor))
	state := 0 // 0 before BEGIN, 1 headers, 2 body, 3 after the checksum
	var b64 strings.Builder
	var crc string
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case state == 0:
			if line == armorBegin {
				state = 1
			}
		case line == armorEnd:
			if state < 2 || b64.Len() == 0 {
				return nil, errors.New("empty public key block")
			}
			data, err := base64.StdEncoding.DecodeString(b64.String())
			if err != nil {
				return nil, fmt.Errorf("public key block: %w", err)
			}
			if crc != "" {
				want, err := base64.StdEncoding.DecodeString(crc)
				if err != nil || len(want) != 3 {
					return nil, fmt.Errorf("public key block: bad checksum line %q", "="+crc)
				}
				if got := crc24(data); got != uint32(want[0])<<16|uint32(want[1])<<8|uint32(want[2]) {
					return nil, errors.New("public key block: checksum mismatch (damaged key)")
				}
			}
			return data, nil
		case state == 1:
			if line == "" {
				state = 2
			} else if !strings.Contains(line, ": ") { // no header lines, no blank line
				state = 2
				b64.WriteString(line)
			}
		case state == 2 && strings.HasPrefix(line, "="):
			crc, state = line[1:], 3
		case state == 2:
			b64.WriteString(line)
		}
	}
	return nil, fmt.Errorf("no %s ... %s", armorBegin, armorEnd)
}

func crc24(data []byte) uint32 {
	crc := uint32(0xB704CE)
	for _, b := range data {
		crc ^= uint32(b) << 16
		for range 8 {
			crc <<= 1
			if crc&0x1000000 != 0 {
				crc ^= 0x1864CFB
			}
		}
	}
	return crc & 0xFFFFFF
}

// firstPacket splits off the first OpenPGP packet (old or new header format).
func firstPacket(data []byte) (tag int, body []byte, err error) {
	if len(data) < 2 || data[0]&0x80 == 0 {
		return 0, nil, errors.New("not an OpenPGP packet")
	}
	var n, hdr int
	if data[0]&0x40 != 0 { // new format
		tag = int(data[0] & 0x3f)
		switch l0 := int(data[1]); {
		case l0 < 192:
			n, hdr = l0, 2
		case l0 < 224 && len(data) >= 3:
			n, hdr = (l0-192)<<8+int(data[2])+192, 3
		case l0 == 255 && len(data) >= 6:
			n, hdr = int(binary.BigEndian.Uint32(data[2:6])), 6
		default:
			return 0, nil, errors.New("unsupported packet length")
		}
	} else {
		tag = int(data[0]>>2) & 0xf
		switch data[0] & 3 {
		case 0:
			n, hdr = int(data[1]), 2
		case 1:
			if len(data) < 3 {
				return 0, nil, errors.New("truncated packet")
			}
			n, hdr = int(binary.BigEndian.Uint16(data[1:3])), 3
		case 2:
			if len(data) < 5 {
				return 0, nil, errors.New("truncated packet")
			}
			n, hdr = int(binary.BigEndian.Uint32(data[1:5])), 5
		default:
			return 0, nil, errors.New("unsupported packet length")
		}
	}
	if n < 0 || hdr+n > len(data) {
		return 0, nil, errors.New("truncated packet")
	}
	return tag, data[hdr : hdr+n], nil
}

#!/usr/bin/env bash
# make release-check: a signed release made the way the release workflow makes
# it (goreleaser release, signing on), with a throwaway key, then checked the
# way the registry checks it (releasecheck). Nothing is published.
#
#   tools/goreleaser/release-check.sh GORELEASER
set -euo pipefail
goreleaser=${1:?usage: $0 GORELEASER}
root=$(git rev-parse --show-toplevel)
cd "$root"
command -v gpg >/dev/null || { echo "release-check needs gpg (Debian: apt-get install gnupg)" >&2; exit 1; }

# A key of its own in a temporary keyring: the developer's keys are never touched.
GNUPGHOME=$(mktemp -d)
export GNUPGHOME
trap 'gpgconf --kill gpg-agent >/dev/null 2>&1 || true; rm -rf "$GNUPGHOME"' EXIT
# RSA, as the Terraform registry requires of signing keys.
gpg --batch --quiet --passphrase '' --quick-gen-key "terraform-provider-viber release check <release-check@invalid>" rsa3072 sign 1d
GPG_FINGERPRINT=$(gpg --batch --list-secret-keys --with-colons | awk -F: '$1 == "fpr" {print $10; exit}')
export GPG_FINGERPRINT

"$goreleaser" release --snapshot --clean
cd tools/goreleaser
go run ./releasecheck -config "$root/.goreleaser.yml" -dist "$root/dist" -manifest "$root/terraform-registry-manifest.json"

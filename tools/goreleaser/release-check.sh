#!/usr/bin/env bash
# make release-check: a release built the way a vX.Y.Z tag builds it, in a
# clone of HEAD with a throwaway tag and a throwaway signing key, then
#   1. checked file by file the way the registry checks it (releasecheck),
#   2. checked for reproducibility: the provider binary built twice, in two
#      directories with two empty Go build caches, and the release built
#      twice, must be byte-identical,
#   3. its SBOM checked against go.mod and the build (sbomcheck),
#   4. installed from a registry served on loopback, under every CLI given,
#      the way users install it (registrycheck).
# Nothing is published.
#
#   tools/goreleaser/release-check.sh GORELEASER CLI...
#
# RELEASE_CHECK_PLATFORMS=os_arch,... builds only those platforms, the
# host's and the three registrycheck locks ("locked": none beyond those;
# make test's choice, to stay within CI's time on two cores: each platform is
# a build of Go and every module from an empty cache); unset, every platform
# of .goreleaser.yml is built.
set -euo pipefail
goreleaser=${1:?usage: $0 GORELEASER CLI...}
shift
clis=("$@")
root=$(git rev-parse --show-toplevel)
# The version the CHANGELOG's first heading names: the next release.
version=${RELEASE_CHECK_VERSION:-$(awk '/^## [0-9]+\.[0-9]+\.[0-9]+/ {print $2; exit}' "$root/CHANGELOG.md")}
[ -n "$version" ] || { echo "release-check: FAILED: CHANGELOG.md has no '## X.Y.Z' heading" >&2; exit 1; }
command -v gpg >/dev/null || { echo "release-check needs gpg (Debian: apt-get install gnupg)" >&2; exit 1; }

work=$(mktemp -d)
# A key of its own in a temporary keyring: the developer's keys are never touched.
export GNUPGHOME=$work/gnupg
mkdir -m 700 "$GNUPGHOME"
cleanup() {
	gpgconf --kill gpg-agent >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT
# RSA, as the Terraform registry requires of signing keys.
gpg --batch --quiet --passphrase '' --quick-gen-key "terraform-provider-viber release check <release-check@invalid>" rsa3072 sign 1d
GPG_FINGERPRINT=$(gpg --batch --list-secret-keys --with-colons | awk -F: '$1 == "fpr" {print $10; exit}')
export GPG_FINGERPRINT
gpg --batch --armor --export "$GPG_FINGERPRINT" >"$work/signing-key.asc"

echo "release-check: building v$version of $(git -C "$root" rev-parse --short HEAD) in a clone, as a tag would"
if [ -n "$(git -C "$root" status --porcelain --untracked-files=no)" ]; then
	echo "release-check: note: uncommitted changes are not in the release it checks (it builds HEAD)" >&2
fi
git clone -q "$root" "$work/src"
git -C "$work/src" tag -f "v$version" >/dev/null
host=$(go env GOOS)_$(go env GOARCH)
# The platforms registrycheck runs providers lock for: always built.
locked=linux_amd64,darwin_arm64,windows_amd64
# targets stays empty when every platform is built.
config=$work/src/.goreleaser.yml targets=
if [ -n "${RELEASE_CHECK_PLATFORMS:-}" ]; then
	# goreleaser's targets list replaces goos/goarch: it becomes the first
	# key of the first build, in a copy of the config outside the clone
	# (which must stay clean); releasecheck then expects exactly these zips.
	targets=$(tr ',' '\n' <<<"$host,$locked,${RELEASE_CHECK_PLATFORMS#locked}" | awk 'NF && !seen[$0]++' | paste -sd, -)
	config=$work/goreleaser-subset.yml
	awk -v t="$targets" '/^builds:/ {b = 1} b && !done && /^  - / {sub(/^  - /, "  - targets: [" t "]\n    "); done = 1} {print}' \
		"$work/src/.goreleaser.yml" >"$config"
	echo "release-check: building $targets only (RELEASE_CHECK_PLATFORMS; without it, every platform)"
fi

# 2a. The host's provider binary, twice, from two directories with two
# empty build caches: a shared cache would make them identical by itself.
# The second clone is of the first, tag included: Go stamps the tag into
# the binary as the module's version.
git clone -q "$work/src" "$work/src2"
for i in 1 2; do
	dir=$work/src; [ "$i" = 2 ] && dir=$work/src2
	(cd "$dir" && GOCACHE="$work/gocache$i" CGO_ENABLED=0 \
		go build -trimpath -ldflags "-s -w -X main.version=$version" -o "$work/provider$i" .)
done
if ! cmp -s "$work/provider1" "$work/provider2"; then
	echo "release-check: FAILED: the provider binary differs between two clean builds of one commit" >&2
	sha256sum "$work/provider1" "$work/provider2" >&2
	exit 1
fi
echo "release-check: the provider binary is reproducible ($(sha256sum <"$work/provider1" | cut -c1-16)…, two directories, two empty build caches)"

# 2b. The release, twice. The SBOM step runs offline (GOPROXY=off): the
# modules must be in the cache first.
cd "$work/src"
go mod download
"$goreleaser" release --config "$config" --clean --skip=publish --skip=announce >"$work/goreleaser1.log" 2>&1 ||
	{ cat "$work/goreleaser1.log"; exit 1; }
mv dist "$work/dist1"
"$goreleaser" release --config "$config" --clean --skip=publish --skip=announce >"$work/goreleaser2.log" 2>&1 ||
	{ cat "$work/goreleaser2.log"; exit 1; }
(cd "$work/dist1" && sha256sum ./*.zip ./*.cdx.json) >"$work/zips1"
(cd dist && sha256sum ./*.zip ./*.cdx.json) >"$work/zips2"
if ! diff -u "$work/zips1" "$work/zips2" >&2; then
	echo "release-check: FAILED: two goreleaser runs of v$version made different zips" >&2
	exit 1
fi
echo "release-check: two goreleaser runs of v$version made byte-identical zips and SBOM ($(wc -l <"$work/zips1") files)"

# The release's own binary for this platform is the one built twice above,
# so the release is built the way that was proven reproducible.
unzip -p "$work/src/dist/terraform-provider-viber_${version}_${host}.zip" >"$work/provider-release"
if ! cmp -s "$work/provider1" "$work/provider-release"; then
	echo "release-check: FAILED: goreleaser's $host binary differs from the reproducible build (check .goreleaser.yml's flags against this script's)" >&2
	exit 1
fi
echo "release-check: goreleaser's $host binary is that reproducible build"

# 1. The files, as the registry checks them.
cd "$root/tools/goreleaser"
go run ./releasecheck -config "$work/src/.goreleaser.yml" -only "$targets" -dist "$work/src/dist" -manifest "$work/src/terraform-registry-manifest.json"

# 3. The SBOM lists what the provider is built from, at go.mod's versions.
go run ./sbomcheck -gomod "$work/src/go.mod" -sbom "$work/src/dist/terraform-provider-viber_${version}_sbom.cdx.json" -version "v$version"

# 4. Installed as users install it, from a registry, under every CLI.
go run ./registrycheck -lock-platforms "$locked" -dist "$work/src/dist" -manifest "$work/src/terraform-registry-manifest.json" \
	-key "$work/signing-key.asc" -readme "$work/src/README.md" -work "$work/registry" "${clis[@]}"

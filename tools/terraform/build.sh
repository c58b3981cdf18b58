#!/usr/bin/env bash
# Builds a Terraform release from the source the Go module proxy serves, for
# Terraform versions that `go install` refuses (1.9 and later).
#
#   tools/terraform/build.sh VERSION OUTPUT
#
# Why a patch is needed: Terraform's go.mod requires and replaces nested modules
# (./internal/backend/remote-state/<name> and ./internal/legacy) that have a
# go.mod of their own, so the module zip leaves them out. The patch drops
# exactly those modules and the state backends they hold (s3, gcs, azurerm...):
# nothing a provider's tests use (local, remote, cloud, http and inmem stay).
# It stops with an error, rather than guessing, when a version imports a
# dropped module from anywhere but the backend registry.
set -euo pipefail

version=${1:?usage: $0 VERSION OUTPUT}
version=v${version#v}
out=${2:?usage: $0 VERSION OUTPUT}
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac

fail() { echo "tools/terraform/build.sh: $*" >&2; exit 1; }

mod=github.com/hashicorp/terraform
zip_dir=$(go mod download -json "$mod@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')
[ -f "$zip_dir/go.mod" ] || fail "the Go module proxy did not serve $mod@$version"

src=$(mktemp -d)
trap 'rm -rf "$src"' EXIT
cp -R "$zip_dir/." "$src"
chmod -R u+w "$src"
cd "$src"

# 1. Drop every nested module whose directory the zip lacks.
dropped=$(awk '$1 == "replace" && $3 == "=>" && $4 ~ /^\.\// {print $2, $4}' go.mod |
	while read -r path dir; do [ -f "$dir/go.mod" ] || echo "$path"; done)
[ -n "$dropped" ] || fail "$version has no nested modules to drop: build it with go install instead"
for path in $dropped; do
	go mod edit -droprequire="$path" -dropreplace="$path"
done

# 2. Unregister the backends of the dropped modules. The registry,
# internal/backend/init/init.go, is the one non-test file allowed to import them.
registry=internal/backend/init/init.go
for path in $dropped; do
	importers=$(grep -rlF --include='*.go' "\"$path" . | grep -v '_test\.go$' | sed 's|^\./||' || true)
	for f in $importers; do
		[ "$f" = "$registry" ] || fail "$f imports $path, which this build drops: $version needs more than this patch"
		alias=$(awk -v p="\"$path\"" '$2 == p {print $1}' "$f")
		[ -n "$alias" ] || fail "$f imports $path without the alias this patch expects"
		# Remove the import line and the map entry that calls <alias>.New().
		grep -vF -e "$alias \"$path\"" -e "$alias.New()" "$f" >"$f.new" && mv "$f.new" "$f"
		! grep -qw "$alias" "$f" || fail "$f still uses $alias after the patch"
	done
done
gofmt -l "$registry" >/dev/null || fail "$registry no longer parses after the patch"

# 3. Build as releases are built, so that the binary reports the plain version.
mkdir -p "$(dirname "$out")"
CGO_ENABLED=0 GOFLAGS="-mod=mod -buildvcs=false" go build -trimpath \
	-ldflags "-s -w -X '$mod/version.dev=no'" -o "$out.tmp" .
got=$(TF_CLI_CONFIG_FILE=/dev/null "$out.tmp" version)
[ "${got%%$'\n'*}" = "Terraform $version" ] || fail "the build reports ${got%%$'\n'*}, not Terraform $version"
mv "$out.tmp" "$out"
echo "built Terraform $version: $out"

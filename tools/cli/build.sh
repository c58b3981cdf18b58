#!/usr/bin/env bash
# Builds Terraform or OpenTofu from the source the Go module proxy serves,
# with only the state backends a provider's tests use.
#
#   tools/cli/build.sh terraform|tofu VERSION OUTPUT
#
# Why from source: Terraform 1.9 and later cannot be go-installed (its go.mod
# requires and replaces nested modules, ./internal/backend/remote-state/<name>
# and ./internal/legacy, that have a go.mod of their own, so the module zip
# leaves them out), and OpenTofu's go.mod replaces hcl with its fork, which
# go install refuses.
# Why without the cloud backends (s3, gcs, azurerm, kubernetes, oss, cos, pg,
# consul, oci): their SDKs are half of Terraform 1.5.7's source and a third
# of OpenTofu's (whose state-encryption key providers keep the AWS, GCP and
# Azure SDK cores), and on a fresh machine they were most of make test's
# build time (OpenTofu 1.12.6 from an empty build cache: 307 s before, 187 s
# after, on two cores). local, remote, cloud, http and inmem stay; a
# configuration naming a dropped backend gets the CLI's own "unsupported
# backend" error. The build stops with an error, rather than guessing, when a
# version needs more than this patch.
set -euo pipefail

cli=${1:?usage: $0 terraform|tofu VERSION OUTPUT}
version=${2:?usage: $0 terraform|tofu VERSION OUTPUT}
version=v${version#v}
out=${3:?usage: $0 terraform|tofu VERSION OUTPUT}
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac

fail() { echo "tools/cli/build.sh: $*" >&2; exit 1; }

case "$cli" in
terraform) mod=github.com/hashicorp/terraform pkg=. reports="Terraform $version" ;;
tofu) mod=github.com/opentofu/opentofu pkg=./cmd/tofu reports="OpenTofu $version" ;;
*) fail "the CLI must be terraform or tofu, not $cli" ;;
esac

zip_dir=$(go mod download -json "$mod@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')
[ -f "$zip_dir/go.mod" ] || fail "the Go module proxy did not serve $mod@$version"

src=$(mktemp -d)
trap 'rm -rf "$src"' EXIT
cp -R "$zip_dir/." "$src"
chmod -R u+w "$src"
cd "$src"

# 1. Drop every nested module whose directory the zip lacks (none before
# Terraform 1.9 or in OpenTofu).
dropped=$(awk '$1 == "replace" && $3 == "=>" && $4 ~ /^\.\// {print $2, $4}' go.mod |
	while read -r path dir; do [ -f "$dir/go.mod" ] || echo "$path"; done)
for path in $dropped; do
	go mod edit -droprequire="$path" -dropreplace="$path"
done

# 2. Unregister every remote-state backend but http and inmem. The registry,
# internal/backend/init/init.go, imports each under an alias and calls
# <alias>.New() on one line of its table: both lines go.
registry=internal/backend/init/init.go
[ -f "$registry" ] || fail "$version has no $registry: this patch does not fit it"
backends=$(awk -v m="\"$mod/internal/backend/remote-state/" \
	'index($2, m) == 1 && $2 !~ /\/(http|inmem)"$/ {gsub(/"/, "", $2); print $1, $2}' "$registry")
[ -n "$backends" ] || fail "$registry registers no backend this patch drops: it does not fit $version"
while read -r alias path; do
	grep -vE -e "^[[:space:]]*$alias \"$path\"" -e "[^[:alnum:]_]$alias\.New\(" "$registry" >"$registry.new"
	mv "$registry.new" "$registry"
	! grep -qw "$alias" "$registry" || fail "$registry still uses $alias after the patch"
done <<<"$backends"
gofmt -l "$registry" >/dev/null || fail "$registry no longer parses after the patch"
# Nothing else may still need a dropped backend or module: Go's own list of
# what the CLI is built from says so.
export GOFLAGS="-mod=mod -buildvcs=false" CGO_ENABLED=0
deps=$(go list -deps "$pkg" 2>&1) || fail "$version needs more than this patch: $deps"
while read -r _ path; do
	! grep -qxF "$path" <<<"$deps" || fail "something besides $registry imports $path: $version needs more than this patch"
done <<<"$backends"

# 3. Build as releases are built, so that the binary reports the plain version.
mkdir -p "$(dirname "$out")"
go build -trimpath \
	-ldflags "-s -w -X '$mod/version.dev=no'" -o "$out.tmp" "$pkg"
got=$(TF_CLI_CONFIG_FILE=/dev/null "$out.tmp" version)
[ "${got%%$'\n'*}" = "$reports" ] || fail "the build reports ${got%%$'\n'*}, not $reports"
mv "$out.tmp" "$out"
echo "built $reports: $out"

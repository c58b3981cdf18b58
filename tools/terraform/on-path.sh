#!/usr/bin/env bash
# Prints the path of the `terraform` on PATH when it is a version the
# provider supports (1.5 or later), and nothing otherwise: make demo then
# builds the pinned one.
set -euo pipefail
minimum=1.5.0
cli=$(command -v terraform 2>/dev/null) || exit 0
version=$(CHECKPOINT_DISABLE=1 "$cli" version -json 2>/dev/null |
	sed -n 's/.*"terraform_version": *"\([0-9][0-9.]*\).*/\1/p' | head -n 1)
[ -n "$version" ] || exit 0
if [ "$(printf '%s\n%s\n' "$minimum" "$version" | sort -V | head -n 1)" = "$minimum" ]; then
	echo "$cli"
fi

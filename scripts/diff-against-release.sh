#!/bin/sh
# CI check (issue 6 part 5): compares the working abi.idl with the last release tag, or with the
# first commit that added abi.idl when nothing is tagged yet, and fails when the declared version
# bump does not cover the changes (`abic diff` exit status).
set -eu
cd "$(git rev-parse --show-toplevel)"

ref=$(git describe --tags --abbrev=0 --match 'v*' 2>/dev/null || true)
if [ -z "$ref" ]; then
  ref=$(git log --diff-filter=A --format=%H -- abi.idl | tail -n 1)
fi
if [ -z "$ref" ]; then
  echo "diff-against-release: no commit contains abi.idl yet; nothing to compare" >&2
  exit 0
fi

echo "diff-against-release: abi.idl against $ref" >&2
exec node bin/abic.js diff --against "$ref" abi.idl

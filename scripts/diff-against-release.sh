#!/bin/sh
# CI check (issue 6 part 5): compares the working abi.idl with the last release and fails when
# the declared version bump does not cover the changes (`abic diff` exit status).
# The last release is, in order of preference: the newest frozen manifest in abi/releases/
# (written when a version is released, so the check works in any clone, tags or not), the
# last `v*` tag, or the first commit that added abi.idl.
set -eu
cd "$(git rev-parse --show-toplevel)"

release=$(ls abi/releases/*.json 2>/dev/null | sed 's#.*/##; s#\.json$##' | sort -t. -k1,1n -k2,2n -k3,3n | tail -n 1)
if [ -n "$release" ]; then
  echo "diff-against-release: abi.idl against the frozen release abi/releases/$release.json" >&2
  exec node bin/abic.js diff "abi/releases/$release.json" abi.idl
fi

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

#!/usr/bin/env bash
# Seed corpora for the fuzz targets, from examples/: archives of each bundle, schema + spec
# pairs, and every template. Usage: scripts/fuzz-seeds.sh OUT_DIR
set -euo pipefail
out=${1:?output folder}
root=$(cd "$(dirname "$0")/.." && pwd)
rm -rf "$out"
mkdir -p "$out"/{archive,tar,schema,inputs,render,cfn_checks}
cd "$root/examples"
n=0
for schema in $(find . -path '*/schema/schema.yaml' | sort); do
  bundle=$(dirname "$(dirname "$schema")")
  n=$((n + 1))
  tar czf "$out/archive/bundle-$n.tar.gz" -C "$bundle" .
  tar cf "$out/tar/bundle-$n.tar" -C "$bundle" .
  cp "$schema" "$out/schema/schema-$n.yaml"
  python3 -m zipfile -c "$out/archive/bundle-$n.zip" "$bundle"/* >/dev/null
  for spec in specs/*.yaml; do
    { cat "$schema"; printf '\n---\n'; cat "$spec"; } > "$out/inputs/$n-$(basename "$spec")"
  done
done
tar czf "$out/archive/components.tar.gz" components
for template in $(find . -path '*infrastructure/*.yaml' -o -path './components/*/cloudformation.yaml' | grep -v manifest.yaml | sort); do
  name=$(echo "$template" | tr '/' '_' | sed 's/^\._//')
  cp "$template" "$out/render/$name"
  cp "$template" "$out/cfn_checks/$name"
done
echo "seeds in $out: $(find "$out" -type f | wc -l) files"

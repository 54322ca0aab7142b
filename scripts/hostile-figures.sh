#!/usr/bin/env bash
# Time and peak memory of the release CLI on the hostile-inputs reproducers (RELIABILITY.md).
# Usage: scripts/hostile-figures.sh   (builds target/release/proton-playground first)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cargo build --release --locked --quiet
bin="$root/target/release/proton-playground"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

schema='schema:
  format: {openapi: 3.0.0}
  environment_input_type: E
  types:
    E:
      type: object
      properties: {}'
manifest='infrastructure:
  templates:
    - file: cloudformation.yaml
      rendering_engine: jinja
      template_language: cloudformation'

# An environment bundle whose template is $2, in folder $1.
bundle() {
  mkdir -p "$1/schema" "$1/infrastructure"
  printf '%s\n' "$schema" > "$1/schema/schema.yaml"
  printf '%s\n' "$manifest" > "$1/infrastructure/manifest.yaml"
  printf '%s\n' "$2" > "$1/infrastructure/cloudformation.yaml"
}

# Runs the CLI with the rest of the arguments; prints seconds, peak RSS, exit code, first error.
measure() {
  local what=$1
  shift
  /usr/bin/time -o "$work/time" -f '%e s, %M KB' "$bin" "$@" > /dev/null 2> "$work/err" || true
  local errors
  errors=$(grep -o 'error\[[a-z0-9.-]*\]' "$work/err" | sort -u | tr '\n' ' ' || true)
  [ -n "$errors" ] || errors=$(grep -m1 '^error' "$work/err" | sed "s#$work#…#g" || true)
  printf '| %s | %s | %s |\n' "$what" "$(tail -1 "$work/time")" "${errors:-none}"
}

echo '| Reproducer | Time, peak RSS | Errors |'
echo '|---|---|---|'
i=0
for template in \
  "{% set s='a'*2000 %}{{ s|replace('',s)|replace('',s) }}" \
  "{{ ('x\n'*100000)|indent(1000000) }}" \
  "{% set s='abcdefghij'*4000 %}{{ ([s]*100000)|join }}" \
  "{{ ('ab'*100000)|wordwrap(1)|length }}" \
  "{% set ns = namespace(x=[]) %}{% for i in range(2000) %}{% set ns.x = [ns.x] %}{% endfor %}{{ ns.x|pprint }}" \
  "{% set ns = namespace(x=[1]) %}{% for i in range(30) %}{% set ns.x = [ns.x, ns.x] %}{% endfor %}{{ ns.x|tojson }}" \
  '{% include "../../etc/passwd" %}'; do
  i=$((i + 1))
  bundle "$work/t$i" "$template"
  measure "\`$(printf '%s' "$template" | head -c 70)\`" render "$work/t$i"
done

# 60,000 unknown resources, and a spec with 40,000 unknown keys.
python3 - "$work" <<'EOF'
import sys
work = sys.argv[1]
with open(f"{work}/big.yaml", "w") as f:
    f.write("Resources:\n")
    for i in range(60000):
        f.write(f"  R{i}:\n    Type: AWS::Nope::Thing\n    Properties:\n      Name: {{{{ environment.name }}}}-{i}\n")
with open(f"{work}/keys.yaml", "w") as f:
    f.write("proton: EnvironmentSpec\nspec:\n" + "".join(f"  k{i}: v\n" for i in range(40000)))
with open(f"{work}/instances.yaml", "w") as f:
    f.write("proton: ServiceSpec\ninstances:\n" + "".join(f"  - {{name: i{i}, environment: dev}}\n" for i in range(100000)))
with open(f"{work}/escape.yaml", "w") as f:
    f.write("proton: ServiceSpec\ninstances:\n  - name: ../../escaped\n    environment: dev\n")
EOF
bundle "$work/big" "$(cat "$work/big.yaml")"
measure '60,000 unknown resources (located in the template)' render "$work/big"
measure 'a spec with 40,000 unknown keys' check examples/templates/ecs-shared-env/v1 --spec "$work/keys.yaml"
measure 'export of a spec with 100,000 instances' export examples/templates/ecs-fargate-service/v1 --spec "$work/instances.yaml" --out "$work/out1"
measure 'export of an instance named `../../escaped`' export examples/templates/ecs-fargate-service/v1 --spec "$work/escape.yaml" --out "$work/out2/deep"
measure '`/dev/zero` as mocks' render examples/templates/ecs-shared-env/v1 --mocks /dev/zero
mkdir "$work/specs" && mkfifo "$work/specs/live.yaml" &&
  measure 'a FIFO among the fleet specs' fleet examples/templates/ecs-shared-env/v1 --specs "$work/specs"

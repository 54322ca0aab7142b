#!/bin/sh
# Runs Jinja2's own test suite (the installed version's source distribution, fetched from PyPI)
# under tests/oracle/jinja2_suite_recorder.py: target/jinja2-suite/cases.json holds every
# template it renders the way Proton configured Jinja2, with CPython's output. Skips (with a
# message) when the suite cannot be fetched or run.
set -u
out=target/jinja2-suite
version=$(python3 -c "import importlib.metadata as m; print(m.version('jinja2'))" 2>/dev/null) || { echo "jinja2 unavailable: Jinja2's own tests will skip"; exit 0; }
[ -f "$out/cases-$version.json" ] && exit 0
mkdir -p "$out"
python3 -c "import pytest" 2>/dev/null || python3 -m pip install --quiet pytest || { echo "pytest unavailable: Jinja2's own tests will skip"; exit 0; }
python3 -m pip download --quiet --no-binary :all: --no-deps "jinja2==$version" -d "$out" || { echo "Jinja2's source distribution unavailable: its own tests will skip"; exit 0; }
rm -rf "$out/src" && mkdir -p "$out/src" && tar xzf "$out/jinja2-$version.tar.gz" -C "$out/src"
suite="$out/src/jinja2-$version/tests"
JINJA2_CASES_OUT="$PWD/$out/cases-$version.json" PYTHONPATH="$PWD/tests/oracle" \
  python3 -m pytest -q -p jinja2_suite_recorder -p no:cacheprovider --rootdir "$suite" \
  "$suite/test_filters.py" "$suite/test_tests.py" "$suite/test_core_tags.py" "$suite/test_regression.py" \
  "$suite/test_lexnparse.py" "$suite/test_runtime.py" "$suite/test_api.py" > "$out/pytest.log" 2>&1 \
  || { echo "Jinja2's own tests did not run (see $out/pytest.log)"; rm -f "$out/cases-$version.json"; exit 0; }
ln -sf "cases-$version.json" "$out/cases.json"

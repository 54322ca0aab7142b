#!/usr/bin/env python3
"""Generates data/lambda-runtimes.tsv, the Lambda runtime lifecycle behind the `cfn-runtime`
check: per runtime, when AWS deprecated it, when creating and updating functions with it are
blocked (empty: AWS has not set the date), and the runtime to move to — as cfn-lint ships it (AdditionalSpecs/LmbdRuntimeLifecycle).

Usage (needs network access to PyPI once):
    python3 -m venv /tmp/cfn && /tmp/cfn/bin/pip install cfn-lint==VERSION
    /tmp/cfn/bin/python scripts/gen-lambda-runtimes.py > data/lambda-runtimes.tsv
"""

import json
from importlib import metadata, resources

LICENCE = "MIT No Attribution, Copyright Amazon.com, Inc. or its affiliates. All Rights Reserved."


def main():
    version = metadata.version("cfn-lint")
    spec = resources.files("cfnlint.data.AdditionalSpecs").joinpath("LmbdRuntimeLifecycle.json")
    lifecycle = json.loads(spec.read_text())
    print(f"# From cfn-lint {version} (cfnlint/data/AdditionalSpecs/LmbdRuntimeLifecycle.json); {LICENCE}")
    print("# runtime\tdeprecated\tcreate-block\tupdate-block\tsuccessor")
    for runtime, dates in sorted(lifecycle.items()):
        # A date AWS has not set (null) is empty.
        fields = [dates["deprecated"], dates["create-block"], dates["update-block"], dates["successor"]]
        print("\t".join([runtime] + [field or "" for field in fields]))


if __name__ == "__main__":
    main()

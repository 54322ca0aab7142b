#!/usr/bin/env python3
"""Makes an AWS account's worth of Proton stacks from examples/, as the AWS CLI would print them:
`stacks.json` (describe-stacks) and `templates/<StackName>.json` (get-template), each stack's body
the render of a template version for a spec (what Proton deployed), with Proton's tags and
outputs. For the `adopt` walkthrough (docs/adoption.md) and its benchmark (BENCHMARKS.md).

Usage: scripts/make-account.py OUT [--environments N] [--services M] [--edited K]
Each service has three instances and a pipeline; K stacks are edited by hand after deployment,
and one stack Proton never made is added. Renders with target/release/proton-playground.
"""

import argparse
import json
import os
import random
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLI = os.path.join(ROOT, "target", "release", "proton-playground")
TEMPLATES = os.path.join(ROOT, "examples", "templates")
ACCOUNT = "111122223333"
ARN = f"arn:aws:proton:us-east-1:{ACCOUNT}"


def render(version, target, spec, mocks, instance=None):
    with tempfile.TemporaryDirectory() as work:
        spec_path = os.path.join(work, "spec.json")
        mocks_path = os.path.join(work, "mocks.json")
        with open(spec_path, "w") as f:
            json.dump(spec, f)
        with open(mocks_path, "w") as f:
            json.dump(mocks, f)
        args = [CLI, "render", version, "--target", target, "--spec", spec_path, "--mocks", mocks_path]
        if instance:
            args += ["--instance", instance]
        done = subprocess.run(args, capture_output=True, text=True)
        if not done.stdout:
            raise SystemExit(f"{version} {target} did not render:\n{done.stderr}")
        return done.stdout


def outputs_of(env):
    return {
        "VpcId": f"vpc-{env}",
        "PrivateSubnetIds": f"subnet-{env}-a,subnet-{env}-b",
        "ECSClusterArn": f"arn:aws:ecs:us-east-1:{ACCOUNT}:cluster/{env}",
        "TaskExecutionRoleArn": f"arn:aws:iam::{ACCOUNT}:role/{env}-exec",
        "SharedLogGroupName": f"/proton/{env}/services",
    }


def tags(pairs):
    return [{"Key": k, "Value": v} for k, v in pairs]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--environments", type=int, default=4)
    parser.add_argument("--services", type=int, default=4)
    parser.add_argument("--edited", type=int, default=2)
    args = parser.parse_args()
    rng = random.Random(7)
    os.makedirs(os.path.join(args.out, "templates"), exist_ok=True)
    stacks, bodies = [], {}
    envs = []
    for i in range(args.environments):
        env = f"env{i}"
        major = 1 + i % 2
        spec = {"vpc_cidr": f"10.{i % 250}.0.0/16", "log_retention_days": rng.choice([7, 14, 30, 90]),
                "container_insights": rng.choice([True, False]), "nat_gateway_count": rng.choice([1, 2])}
        if major == 2:
            spec["cost_center"] = f"cc-{i}"
        body = render(os.path.join(TEMPLATES, "ecs-shared-env", f"v{major}"), "environment",
                      {"proton": "EnvironmentSpec", "spec": spec},
                      {"environment": {"name": env, "account_id": ACCOUNT}})
        name = f"AWSProton-{env}-cloudformation-{i:04d}"
        stacks.append({"StackName": name, "Tags": tags([
            ("proton:account", ACCOUNT),
            ("proton:template", f"{ARN}:environment-template/ecs-shared-env"),
            ("proton:environment", f"{ARN}:environment/{env}")]),
            "Outputs": [{"OutputKey": k, "OutputValue": v} for k, v in outputs_of(env).items()]})
        bodies[name] = body
        envs.append(env)
    for s in range(args.services):
        service = f"svc{s}"
        version = os.path.join(TEMPLATES, "ecs-fargate-service", "v1")
        instances = []
        for n in range(3):
            instances.append({"name": f"i{n}", "environment": rng.choice(envs), "spec": {
                "task_cpu": rng.choice([256, 512, 1024]), "desired_count": rng.randint(1, 9),
                "container_port": rng.choice([80, 8080, 3000])}})
        spec = {"proton": "ServiceSpec", "pipeline": {"buildspec_path": "buildspec.yml"}, "instances": instances}
        service_mocks = {"name": service, "repository_id": f"myorg/{service}", "branch_name": "main"}
        pipeline_mocks = {"service": service_mocks, "outputs_by_instance": {}, "environments": {}}
        for inst in instances:
            env = inst["environment"]
            mocks = {"service": service_mocks,
                     "environment": {"name": env, "account_id": ACCOUNT, "outputs": outputs_of(env)}}
            body = render(version, "service-instance", spec, mocks, inst["name"])
            name = f"AWSProton-{service}-{inst['name']}-cloudformation"
            url = f"https://{service}-{inst['name']}.example.com"
            stacks.append({"StackName": name, "Tags": tags([
                ("proton:account", ACCOUNT),
                ("proton:template", f"{ARN}:service-template/ecs-fargate-service"),
                ("proton:environment", f"{ARN}:environment/{env}"),
                ("proton:service", f"{ARN}:service/{service}"),
                ("proton:service-instance", f"{ARN}:service/{service}/service-instance/{inst['name']}")]),
                "Outputs": [{"OutputKey": "ServiceURL", "OutputValue": url}]})
            bodies[name] = body
            pipeline_mocks["outputs_by_instance"][inst["name"]] = {"ServiceURL": url}
            pipeline_mocks["environments"][env] = {"account_id": ACCOUNT, "outputs": outputs_of(env)}
        body = render(version, "pipeline", spec, pipeline_mocks)
        name = f"AWSProton-{service}-pipeline-cloudformation"
        stacks.append({"StackName": name, "Tags": tags([
            ("proton:account", ACCOUNT),
            ("proton:template", f"{ARN}:service-template/ecs-fargate-service"),
            ("proton:service", f"{ARN}:service/{service}")])})
        bodies[name] = body
    # Edited by hand since Proton deployed them.
    for name in rng.sample(sorted(bodies), min(args.edited, len(bodies))):
        bodies[name] = bodies[name].replace("Resources:", "Resources:\n  HandMadeTopic:\n    Type: AWS::SNS::Topic\n", 1)
    # A stack Proton never made.
    stacks.append({"StackName": "hand-made-bucket", "Tags": []})
    bodies["hand-made-bucket"] = "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n"
    half = len(stacks) // 2
    with open(os.path.join(args.out, "stacks-1.json"), "w") as f:
        json.dump({"Stacks": stacks[:half]}, f, indent=1)
    with open(os.path.join(args.out, "stacks-2.json"), "w") as f:
        json.dump({"Stacks": stacks[half:]}, f, indent=1)
    for name, body in bodies.items():
        with open(os.path.join(args.out, "templates", f"{name}.json"), "w") as f:
            json.dump({"TemplateBody": body, "StagesAvailable": ["Original", "Processed"]}, f)
    print(f"{len(stacks)} stacks under {args.out}")


if __name__ == "__main__":
    main()

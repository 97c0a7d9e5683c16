// Every AWS commercial region plans offline: its zones come from AWS's published table (aws/regions.ts), the
// config accepts them, and the mocks answer DescribeAvailabilityZones for them. A region outside the table gets
// one line. (`npm run check:edits` synthesizes a stack in every commercial region: 34 syntheses are too slow for
// `npm test`.)
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import * as awsNative from "@pulumi/aws-native";
import * as aws from "../aws/pulumiAws";
import { COMMERCIAL_REGIONS, unknownRegionMessage, zoneIdsOf, zoneNamesOf } from "../aws/regions";
import { checkConfig, zoneProblems, type RawConfig } from "../config/load";
import { MOCK_AVAILABILITY_ZONES } from "../offline/mocks";
import { PROJECT_ROOT, rawConfigFromYaml, StackFileError } from "../offline/synth";
import { awsResources, fixture, synthWith } from "./support";

const inRegion = (region: string, zones: readonly string[]): RawConfig => ({
    ...fixture("dev"),
    "aws:region": region,
    "secure-ai:network": JSON.stringify({ ...(JSON.parse(fixture("dev")["secure-ai:network"] ?? "{}") as object), availabilityZones: zones }),
});

describe("regions: every AWS commercial region, from AWS's Availability Zones page", () => {
    it("are regions both providers know, each with at least three zones whose ids and names agree", () => {
        const known = Object.values(awsNative.Region) as string[];
        expect(COMMERCIAL_REGIONS.filter((r) => !known.includes(r))).to.deep.equal([]);
        for (const region of COMMERCIAL_REGIONS) {
            const names = zoneNamesOf(region) ?? [];
            expect(names.length, region).to.be.at.least(3);
            expect(zoneIdsOf(region)?.length, region).to.equal(names.length);
        }
    });

    it("each loads with its zones and matches the account's zones the mocks report", () => {
        for (const region of COMMERCIAL_REGIONS) {
            const zones = (zoneNamesOf(region) ?? []).slice(0, 3);
            const check = checkConfig(inRegion(region, zones), "dev");
            expect(check.problems.map((p) => `${p.path}: ${p.message}`), region).to.deep.equal([]);
            expect(zoneProblems(check.requestedAzs, MOCK_AVAILABILITY_ZONES[region] ?? [], region), region).to.deep.equal([]);
        }
    });

    it("a region the offline mocks cannot answer for stops with one line naming it", async () => {
        const s = await synthWith({ stack: "dev", config: inRegion("us-gov-west-1", ["us-gov-west-1a"]) });
        expect(s.error?.message).to.equal(unknownRegionMessage("us-gov-west-1"));
        expect(s.error?.message.split("\n")).to.have.length(1);
        expect(awsResources(s)).to.deep.equal([]);
    });
});

describe("stack files: a YAML syntax error is one line naming the file and line", () => {
    it("names file, line and column, without a stack trace", () => {
        const read = () => rawConfigFromYaml("config:\n  aws:region: us-west-2\n  secure-ai:network: {cidr: 10.20.0.0/16\n", "Pulumi.dev.yaml");
        expect(read).to.throw(StackFileError);
        try {
            read();
        } catch (e) {
            expect((e as Error).message).to.match(/^Pulumi\.dev\.yaml:\d+:\d+: YAML syntax error: [^\n]+$/);
        }
    });
});

describe("providers: both provider packages are registered with the Pulumi runtime, as their package roots do", () => {
    it("so a provider reference read back from the engine becomes a Provider, not its bare URN", () => {
        // @pulumi/pulumi 3.248.0 runtime/rpc.js: a resource reference to a provider is deserialized through the
        // package registered under its name; with none registered, the SDK returns the reference's URN or id instead.
        const urn = "urn:pulumi:dev::secure-ai::pulumi:providers:aws::aws";
        expect(pulumi.runtime.getResourcePackage("aws", undefined)?.constructProvider("aws", "pulumi:providers:aws", urn)).to.be.instanceOf(aws.Provider);
        const native = "urn:pulumi:dev::secure-ai::pulumi:providers:aws-native::aws-native";
        expect(pulumi.runtime.getResourcePackage("aws-native", undefined)?.constructProvider("aws-native", "pulumi:providers:aws-native", native)).to.be.instanceOf(awsNative.Provider);
    });
});

describe("providers: @pulumi/aws is imported only through aws/pulumiAws.ts", () => {
    it("no TypeScript file of the project imports the package root (the type check would read every service's declarations again)", () => {
        const { include } = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "tsconfig.json"), "utf8")) as { include: string[] };
        const folders = [...new Set(include.map((pattern) => pattern.split("/")[0] ?? ""))].filter((f) => fs.existsSync(path.join(PROJECT_ROOT, f)) && fs.statSync(path.join(PROJECT_ROOT, f)).isDirectory());
        const files = ["index.ts", ...folders.flatMap((f) => fs.readdirSync(path.join(PROJECT_ROOT, f), { recursive: true, encoding: "utf8" }).map((name) => path.join(f, name)))].filter((f) => f.endsWith(".ts"));
        expect(files.length).to.be.greaterThan(100);
        const rootImports = files.filter((f) => f !== path.join("aws", "pulumiAws.ts") && /from\s+"@pulumi\/aws"/.test(fs.readFileSync(path.join(PROJECT_ROOT, f), "utf8")));
        expect(rootImports).to.deep.equal([]);
    });
});

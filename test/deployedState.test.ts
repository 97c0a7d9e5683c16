// config/deployed.ts: what the program reads back from the stack's last deployment (its own stack outputs, through
// a StackReference to itself), and how it decides which edits AWS would refuse half-way given that deployment, each
// with the steps that work. Pure apart from one mocked StackReference: no synthesis, and no core code runs while
// mocha loads this file (the mutation suite's rule, docs/mutation.md). test/refusals.test.ts holds the property
// against a simulated `pulumi up`.
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { baselineSchema } from "../config/baseline";
import { changeProblems, objectLockProblems, parseDeployedState, readDeployedState, type DeployedState } from "../config/deployed";
import { firewallSchema } from "../config/firewall";
import type { StackConfig } from "../config/load";
import { networkSchema } from "../config/network";
import { planSubnets, TIERS } from "../network/plan";

type Sections = Pick<StackConfig, "network" | "firewall">;
interface Edit {
    readonly cidr?: string;
    readonly availabilityZones?: readonly string[];
    readonly subnetPrefixLengths?: { readonly public: number; readonly services: number; readonly training: number };
    readonly subnetChange?: boolean;
    readonly deletion?: boolean;
}

/** A stack's network and firewall sections, validated by their schemas: 10.20.0.0/16 over us-west-2a and b, protected. */
function sections(edit: Edit = {}): Sections {
    return {
        network: networkSchema("us-west-2").parse({
            cidr: edit.cidr ?? "10.20.0.0/16",
            availabilityZones: edit.availabilityZones ?? ["us-west-2a", "us-west-2b"],
            ...(edit.subnetPrefixLengths === undefined ? {} : { subnetPrefixLengths: edit.subnetPrefixLengths }),
        }),
        firewall: firewallSchema(undefined).parse({
            ingress: { allowedCidrs: ["203.0.113.0/24"] },
            protections: { subnetChange: edit.subnetChange ?? true, deletion: edit.deletion ?? true, policyChange: true },
        }),
    };
}

/** The outputs index.ts exports for a deployment of `config` (the ones the refusal model reads). */
function outputsOf(config: Sections): Record<string, unknown> {
    const plan = planSubnets(config.network.cidr, config.network.availabilityZones, config.network.subnetPrefixLengths);
    return {
        availabilityZones: config.network.availabilityZones,
        firewallProtections: config.firewall.protections,
        vpcCidr: config.network.cidr,
        subnetCidrs: Object.fromEntries(TIERS.map((t) => [t, Object.fromEntries(Object.entries(plan.subnets).map(([az, c]) => [az, c[t]]))])),
    };
}

function deployedAs(config: Sections): DeployedState {
    const state = parseDeployedState(outputsOf(config));
    if (state === undefined) {
        throw new Error("outputs not read as a deployment");
    }
    return state;
}

const SUBNETS_2AZ = {
    public: { "us-west-2a": "10.20.192.0/24", "us-west-2b": "10.20.193.0/24" },
    firewall: { "us-west-2a": "10.20.198.0/28", "us-west-2b": "10.20.198.16/28" },
    services: { "us-west-2a": "10.20.0.0/20", "us-west-2b": "10.20.16.0/20" },
    training: { "us-west-2a": "10.20.96.0/20", "us-west-2b": "10.20.112.0/20" },
};
const LOG_GROUP_NAMES = { cloudtrail: "/secure-ai/prod/cloudtrail-01J9", "vpc-flow-logs": "/secure-ai/prod/vpc-flow-logs-01J9" };


/** A one-AZ deployment that exported none of the later outputs: protections on (CreateFirewall's default), the rest unknown. */
const NOTHING_EXPORTED = {
    availabilityZones: ["us-west-2a"],
    subnetChangeProtection: true,
    deleteProtection: true,
    vpcCidr: undefined,
    subnetCidrs: undefined,
    logGroups: { kind: "legacy" },
    auditLogLockDays: undefined,
    protectData: undefined,
} as const;
describe("deployed state: what is read back from the last deployment", () => {
    it("reads the stack's own outputs (a StackReference to organization/project/stack), and nothing before the first deployment", async () => {
        const read = async (outputs: Record<string, unknown>): Promise<{ state: DeployedState | undefined; names: string[] }> => {
            const names: string[] = [];
            await pulumi.runtime.setMocks(
                {
                    newResource: (args) => {
                        names.push(`${args.type} ${String(args.inputs["name"])}`);
                        return { id: String(args.inputs["name"]), state: { name: args.inputs["name"], outputs, secretOutputNames: [] } };
                    },
                    call: (args) => {
                        throw new Error(`Mock not implemented: ${args.token}`);
                    },
                },
                "secure-ai",
                "prod",
                false,
                "acme",
            );
            try {
                return { state: await readDeployedState("secure-ai", "prod"), names };
            } finally {
                await pulumi.runtime.disconnect();
            }
        };
        const deployed = await read({ availabilityZones: ["us-west-2a"], vpcCidr: "10.20.0.0/16", auditLogLockDays: 30 });
        expect(deployed.names).to.deep.equal(["pulumi:pulumi:StackReference acme/secure-ai/prod"]);
        expect(deployed.state?.availabilityZones).to.deep.equal(["us-west-2a"]);
        expect(deployed.state?.vpcCidr).to.equal("10.20.0.0/16");
        expect(deployed.state?.auditLogLockDays).to.equal(30);
        expect((await read({})).state).to.equal(undefined);
    });

    it("a current deployment: every output as exported", () => {
        const outputs = {
            availabilityZones: ["us-west-2a", "us-west-2b"],
            firewallProtections: { subnetChange: false, deletion: true, policyChange: true },
            vpcCidr: "10.20.0.0/16",
            subnetCidrs: SUBNETS_2AZ,
            logGroupNames: LOG_GROUP_NAMES,
            auditLogLockDays: 30,
            protectData: false,
            breakGlassRoleArn: "arn:aws:iam::111122223333:role/secure-ai-break-glass",
        };
        expect(parseDeployedState(outputs)).to.deep.equal({
            availabilityZones: ["us-west-2a", "us-west-2b"],
            subnetChangeProtection: false,
            deleteProtection: true,
            vpcCidr: "10.20.0.0/16",
            subnetCidrs: SUBNETS_2AZ,
            logGroups: { kind: "named", names: LOG_GROUP_NAMES },
            auditLogLockDays: 30,
            protectData: false,
        });
        expect(parseDeployedState({ ...outputs, firewallProtections: { subnetChange: true, deletion: false } })).to.include({ subnetChangeProtection: true, deleteProtection: false });
        expect(parseDeployedState({ ...outputs, protectData: true })?.protectData).to.equal(true);
    });

    it("a deployment made before the newer outputs existed: protections on, fixed log group names, protectData from the break-glass role", () => {
        // CreateFirewall initializes DeleteProtection and SubnetChangeProtection to TRUE (AWS Network Firewall API
        // Reference, UpdateFirewallDeleteProtection and UpdateSubnetChangeProtection: "When you create a firewall, the
        // operation initializes this flag to TRUE").
        const legacy = { availabilityZones: ["us-west-2a"] };
        expect(parseDeployedState(legacy)).to.deep.equal(NOTHING_EXPORTED);
        expect(parseDeployedState({ ...legacy, breakGlassRoleArn: "arn:aws:iam::111122223333:role/secure-ai-break-glass" })?.protectData).to.equal(true);
        expect(parseDeployedState({ ...legacy, firewallProtections: {} })).to.include({ subnetChangeProtection: true, deleteProtection: true });
    });

    it("no deployment: no outputs, or availability zones that are not a list of names", () => {
        expect(parseDeployedState({})).to.equal(undefined);
        expect(parseDeployedState({ availabilityZones: "us-west-2a" })).to.equal(undefined);
        expect(parseDeployedState({ availabilityZones: ["us-west-2a", 5] })).to.equal(undefined);
        expect(parseDeployedState({ availabilityZones: [] })?.availabilityZones).to.deep.equal([]);
    });

    it("outputs of another shape are read as not exported", () => {
        const odd = {
            availabilityZones: ["us-west-2a"],
            firewallProtections: null,
            vpcCidr: 5,
            subnetCidrs: null,
            logGroupNames: "names",
            auditLogLockDays: "30",
            protectData: "false",
        };
        expect(parseDeployedState(odd)).to.deep.equal(NOTHING_EXPORTED);
        expect(parseDeployedState({ ...odd, firewallProtections: { subnetChange: "false", deletion: 0 } })).to.include({ subnetChangeProtection: true, deleteProtection: true });
        const { training: _training, ...threeTiers } = SUBNETS_2AZ;
        const subnetCidrs = [threeTiers, { ...SUBNETS_2AZ, firewall: null }, { ...SUBNETS_2AZ, services: "10.20.0.0/20" }, { ...SUBNETS_2AZ, public: { "us-west-2a": "10.20.192.0/24", "us-west-2b": 24 } }];
        for (const value of subnetCidrs) {
            expect(parseDeployedState({ ...odd, subnetCidrs: value })?.subnetCidrs, JSON.stringify(value)).to.equal(undefined);
        }
    });
});

describe("deployed state: edits refused against the last deployment, each with the steps that work", () => {
    const DELETION = "secure-ai:firewall.protections.deletion";
    const SUBNET_CHANGE = "secure-ai:firewall.protections.subnetChange";
    const RESIZE_STEPS =
        "EC2 refuses overlapping subnets. Steps that work: keep secure-ai:network.subnetPrefixLengths as deployed ({ public: 24, services: 20, training: 20 }); " +
        `or resize in a new VPC: change secure-ai:network.cidr in the same edit (every subnet is then created in the new VPC), after a run that sets ${DELETION}: false if it is on`;

    it("a stack never deployed refuses nothing", () => {
        expect(changeProblems(undefined, sections({ availabilityZones: ["us-west-2c"], cidr: "10.21.0.0/16" }))).to.deep.equal([]);
    });

    it("the same config, or its zones listed in another order, changes nothing", () => {
        expect(changeProblems(deployedAs(sections()), sections())).to.deep.equal([]);
        expect(changeProblems(deployedAs(sections()), sections({ availabilityZones: ["us-west-2b", "us-west-2a"] }))).to.deep.equal([]);
        expect(changeProblems(deployedAs(sections({ availabilityZones: ["us-west-2b", "us-west-2a"] })), sections())).to.deep.equal([]);
    });

    it("a deployment from before vpcCidr and subnetCidrs were exported is judged by its zones alone", () => {
        const legacy = parseDeployedState({ availabilityZones: ["us-west-2a", "us-west-2b"] });
        expect(changeProblems(legacy, sections())).to.deep.equal([]);
        expect(changeProblems(legacy, sections({ availabilityZones: ["us-west-2a"] })).map((p) => p.rule)).to.deep.equal(["firewallSubnetsUnderProtection"]);
    });

    it("a new VPC CIDR under delete protection: three runs, naming both CIDRs", () => {
        expect(changeProblems(deployedAs(sections()), sections({ cidr: "10.21.0.0/16" }))).to.deep.equal([
            {
                rule: "firewallReplacedUnderDeleteProtection",
                path: "secure-ai:network.cidr",
                message:
                    '"10.21.0.0/16" replaces the VPC 10.20.0.0/16 and with it the firewall, but the deployed firewall has delete protection on and AWS refuses to delete it after the new one exists: ' +
                    `make the change in three \`pulumi up\` runs: (1) set ${DELETION}: false and keep the cidr "10.20.0.0/16"; (2) change the cidr; (3) set ${DELETION}: true again`,
            },
        ]);
        // In a new VPC every subnet is new: nothing overlaps, and without delete protection nothing is refused.
        expect(changeProblems(deployedAs(sections({ deletion: false })), sections({ cidr: "10.21.0.0/16", subnetPrefixLengths: { public: 25, services: 19, training: 21 } }))).to.deep.equal([]);
    });

    it("a resized tier whose subnets move over deployed ones: each subnet named, with the one it overlaps", () => {
        const problems = changeProblems(deployedAs(sections({ subnetChange: false })), sections({ subnetChange: false, subnetPrefixLengths: { public: 25, services: 20, training: 20 } }));
        expect(problems).to.deep.equal([
            {
                rule: "subnetOverlap",
                path: "secure-ai:network.subnetPrefixLengths",
                message: `moves the public subnet of us-west-2a from 10.20.192.0/24 to 10.20.192.0/25, overlapping its own deployed subnet, which still exists when Pulumi creates the replacement; ${RESIZE_STEPS}`,
            },
            {
                rule: "subnetOverlap",
                path: "secure-ai:network.subnetPrefixLengths",
                message: `moves the public subnet of us-west-2b from 10.20.193.0/24 to 10.20.192.128/25, overlapping the deployed public subnet of us-west-2a (10.20.192.0/24), which still exists when Pulumi creates the replacement; ${RESIZE_STEPS}`,
            },
        ]);
    });

    it("a subnet of a new zone created over a deployed subnet, and one moved over another tier's", () => {
        const added = changeProblems(deployedAs(sections({ subnetChange: false })), sections({ subnetChange: false, availabilityZones: ["us-west-2a", "us-west-2b", "us-west-2c"], subnetPrefixLengths: { public: 25, services: 20, training: 20 } }));
        expect(added.map((p) => p.message.split(", which")[0])).to.include("creates the public subnet of us-west-2c as 10.20.193.0/25, overlapping the deployed public subnet of us-west-2b (10.20.193.0/24)");
        const moved = changeProblems(deployedAs(sections({ subnetChange: false })), sections({ subnetChange: false, subnetPrefixLengths: { public: 24, services: 21, training: 20 } }));
        expect(moved.map((p) => p.message.split(", which")[0])).to.include("moves the services subnet of us-west-2a from 10.20.0.0/20 to 10.20.96.0/21, overlapping the deployed training subnet of us-west-2a (10.20.96.0/20)");
    });

    it("a deployment whose outputs report no subnets of a tier: the overlap is still refused, without sizes to keep", () => {
        for (const tier of ["public", "services", "training"] as const) {
            const deployed = parseDeployedState({ availabilityZones: ["us-west-2a", "us-west-2b"], firewallProtections: { subnetChange: false, deletion: true }, vpcCidr: "10.20.0.0/16", subnetCidrs: { ...SUBNETS_2AZ, [tier]: {} } });
            const problems = changeProblems(deployed, sections({ subnetChange: false, subnetPrefixLengths: { public: 25, services: 21, training: 21 } }));
            expect(problems.length, tier).to.be.greaterThan(0);
            for (const p of problems) {
                expect(p.message, tier).to.include("Steps that work: keep secure-ai:network.subnetPrefixLengths as deployed; or resize in a new VPC");
            }
        }
    });

    it("a deployed subnet whose CIDR cannot be read conflicts with nothing", () => {
        const deployed = parseDeployedState({ availabilityZones: ["us-west-2a", "us-west-2b"], firewallProtections: { subnetChange: false, deletion: true }, vpcCidr: "10.20.0.0/16", subnetCidrs: { ...SUBNETS_2AZ, public: { "us-west-2a": "unknown", "us-west-2b": "10.20.193.0/24" } } });
        // The public subnets move inside the unreadable one; the training subnets still overlap the deployed ones.
        const problems = changeProblems(deployed, sections({ subnetChange: false, subnetPrefixLengths: { public: 25, services: 20, training: 21 } }));
        expect(problems.map((p) => p.message.split(", which")[0])).to.deep.equal([
            "moves the training subnet of us-west-2a from 10.20.96.0/20 to 10.20.96.0/21, overlapping its own deployed subnet",
            "moves the training subnet of us-west-2b from 10.20.112.0/20 to 10.20.104.0/21, overlapping the deployed training subnet of us-west-2a (10.20.96.0/20)",
        ]);
    });

    it("zones added under subnet-change protection: three runs, keeping the deployed zones", () => {
        expect(changeProblems(deployedAs(sections()), sections({ availabilityZones: ["us-west-2b", "us-west-2c", "us-west-2a"] }))).to.deep.equal([
            {
                rule: "firewallSubnetsUnderProtection",
                path: "secure-ai:network.availabilityZones",
                message:
                    'changes the firewall\'s subnets from ["us-west-2a","us-west-2b"] to ["us-west-2a","us-west-2b","us-west-2c"], but the deployed firewall has subnet-change protection on and AWS refuses that after the new subnets exist: ' +
                    `make the change in three \`pulumi up\` runs: (1) set ${SUBNET_CHANGE}: false and keep the AZs ["us-west-2a","us-west-2b"]; (2) change the AZs; (3) set ${SUBNET_CHANGE}: true again`,
            },
        ]);
        // Without the protection, on either side, the firewall's subnets change in one run.
        expect(changeProblems(deployedAs(sections({ subnetChange: false })), sections({ subnetChange: false, availabilityZones: ["us-west-2a"] }))).to.deep.equal([]);
    });

    it("firewall subnets moved by a resize under subnet-change protection: the zones named, three runs", () => {
        const problems = changeProblems(deployedAs(sections()), sections({ subnetPrefixLengths: { public: 24, services: 20, training: 21 } }));
        expect(problems.filter((p) => p.rule !== "subnetOverlap")).to.deep.equal([
            {
                rule: "firewallSubnetsUnderProtection",
                path: "secure-ai:network.subnetPrefixLengths",
                message:
                    "moves the firewall subnets of us-west-2a, us-west-2b (new subnets), but the deployed firewall has subnet-change protection on and AWS refuses that after the new subnets exist: " +
                    `make the change in three \`pulumi up\` runs: (1) set ${SUBNET_CHANGE}: false and keep the deployed subnets; (2) make the edit; (3) set ${SUBNET_CHANGE}: true again`,
            },
        ]);
    });

    it("turning subnet-change protection on in the run that changes the zones", () => {
        expect(changeProblems(deployedAs(sections({ subnetChange: false })), sections({ subnetChange: true, availabilityZones: ["us-west-2a"] }))).to.deep.equal([
            {
                rule: "protectionOnWithSubnetChange",
                path: SUBNET_CHANGE,
                message:
                    'true turns subnet-change protection on in the same run that changes the firewall\'s subnets from ["us-west-2a","us-west-2b"] to ["us-west-2a"]; the firewall may be protected before its subnets move: ' +
                    `make the change in three \`pulumi up\` runs: (1) set ${SUBNET_CHANGE}: false and keep the AZs ["us-west-2a","us-west-2b"]; (2) change the AZs; (3) set ${SUBNET_CHANGE}: true again`,
            },
        ]);
    });
});

describe("deployed state: S3 Object Lock on the deployed audit bucket", () => {
    const baseline = (value: object): Pick<StackConfig, "baseline"> => ({ baseline: baselineSchema.parse(value) });
    const LOCKED = "the deployed audit bucket has S3 Object Lock (COMPLIANCE, 30 days), which cannot be turned off and keeps every locked version until its retention ends";

    it("a config that drops the lock or makes the stack disposable is refused, naming both keys", () => {
        const deployed = parseDeployedState({ availabilityZones: ["us-west-2a"], auditLogLockDays: 30 });
        expect(objectLockProblems(deployed, baseline({ protectData: false, keyDeletionWindowDays: 7 }))).to.deep.equal([
            { path: "secure-ai:baseline.protectData", message: `false makes the stack disposable, but ${LOCKED}: keep protectData: true` },
            {
                path: "secure-ai:baseline.auditLogLockDays",
                message: `unset removes the lock from the config, but ${LOCKED}: keep auditLogLockDays (1 to logObjectExpirationDays; a shorter retention applies to new versions only)`,
            },
        ]);
        expect(objectLockProblems(deployed, baseline({ protectData: true, auditLogLockDays: 7 }))).to.deep.equal([]);
        expect(objectLockProblems(deployed, baseline({ protectData: true }))).to.have.length(1);
    });

    it("no lock deployed, or no deployment: any config", () => {
        expect(objectLockProblems(undefined, baseline({ protectData: false, keyDeletionWindowDays: 7 }))).to.deep.equal([]);
        expect(objectLockProblems(parseDeployedState({ availabilityZones: ["us-west-2a"] }), baseline({ protectData: false, keyDeletionWindowDays: 7 }))).to.deep.equal([]);
    });
});

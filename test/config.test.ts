import { expect } from "chai";
import { auditLogLockDays } from "../config/baseline";
import { ConfigError, keyPath, loadConfig, type RawConfig } from "../config/load";
import { readStackConfig, stackFiles } from "../offline/synth";

const network = { cidr: "10.20.0.0/16", availabilityZones: ["us-west-2a", "us-west-2b"], trainingEgress: "filtered" };
const firewall = { ingress: { allowedCidrs: ["203.0.113.0/24"], ports: [443] }, egress: { allowedDomains: [".pypi.org"] } };

function raw(overrides: { network?: object; firewall?: object; baseline?: object; extra?: Record<string, string> } = {}): RawConfig {
    return {
        "aws:region": "us-west-2",
        "secure-ai:network": JSON.stringify(overrides.network ?? network),
        "secure-ai:firewall": JSON.stringify(overrides.firewall ?? firewall),
        ...(overrides.baseline === undefined ? {} : { "secure-ai:baseline": JSON.stringify(overrides.baseline) }),
        ...overrides.extra,
    };
}

function problems(config: RawConfig, stack = "dev"): string[] {
    try {
        loadConfig(config, stack);
    } catch (e) {
        if (e instanceof ConfigError) {
            return e.problems.map((p) => `${p.path}: ${p.message}`);
        }
        throw e;
    }
    return [];
}

describe("config: every stack file in the repo", () => {
    for (const { stack } of stackFiles()) {
        it(`Pulumi.${stack}.yaml loads without problems`, () => {
            expect(problems(readStackConfig(stack), stack)).to.deep.equal([]);
        });
    }
});

describe("config: accepted values and defaults", () => {
    it("fills defaults and freezes the result", () => {
        const config = loadConfig(raw({ network: { cidr: "10.20.0.0/16", availabilityZones: ["us-west-2a"] } }), "dev");
        expect(config.network.trainingEgress).to.equal("none");
        expect(config.network.subnetPrefixLengths).to.deep.equal({ public: 24, services: 20, training: 20 });
        expect(config.network.interfaceEndpoints).to.include.members(["sts", "logs", "kms", "ecr.api", "ecr.dkr"]);
        expect(config.firewall.ingress.ports).to.deep.equal([443]);
        expect(config.baseline).to.deep.equal({
            logRetentionDays: 365,
            protectData: true,
            keyDeletionWindowDays: 30,
            servingPort: 8080,
            breakGlassRoleName: "secure-ai-break-glass",
            trainingPrincipals: ["sagemaker.amazonaws.com"],
            inferencePrincipals: ["sagemaker.amazonaws.com"],
            imageRepositories: [],
            noncurrentVersionExpirationDays: 90,
            logObjectExpirationDays: 365,
            recordManagementEvents: true,
            manageAccountGuardrails: false,
            localStorageInstanceFamilies: [],
            alertEmails: [],
            vpcBlockPublicAccess: "off",
        });
        expect(Object.isFrozen(config)).to.equal(true);
        expect(Object.isFrozen(config.network.availabilityZones)).to.equal(true);
        expect(() => (config.network.availabilityZones as string[]).push("us-west-2c")).to.throw(TypeError);
    });

    const accepted: { name: string; network: object }[] = [
        { name: "a /28 VPC is too small for four tiers, but 192.168.0.0/16 with small subnets fits", network: { cidr: "192.168.0.0/16", availabilityZones: ["us-west-2a"], subnetPrefixLengths: { public: 26, services: 22, training: 22 } } },
        { name: "172.16.0.0/12 ranges are private", network: { cidr: "172.31.0.0/16", availabilityZones: ["us-west-2d"] } },
        { name: "VPC encryption controls in monitor mode", network: { ...network, encryptionControl: "monitor" } },
        { name: "six AZs with a single NAT gateway", network: { cidr: "10.0.0.0/16", availabilityZones: ["us-west-2a", "us-west-2b", "us-west-2c", "us-west-2d", "us-west-2e", "us-west-2f"], natGateways: "single" } },
        { name: "an empty interface endpoint list", network: { cidr: "10.0.0.0/16", availabilityZones: ["us-west-2a"], interfaceEndpoints: [] } },
    ];
    for (const c of accepted) {
        it(`accepts ${c.name}`, () => expect(problems(raw({ network: c.network }))).to.deep.equal([]));
    }
});

describe("config: rejected values, each reported with its key path, value and what is allowed", () => {
    const cases: { name: string; config: RawConfig; expected: string[] }[] = [
        {
            name: "a CIDR with a /33 prefix",
            config: raw({ network: { ...network, cidr: "10.0.0.0/33" } }),
            expected: [
                'secure-ai:network.cidr: "10.0.0.0/33" is not a valid IPv4 CIDR (expected a.b.c.d/n; a private RFC 1918 network, 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, prefix /16 to /28)',
            ],
        },
        {
            name: "host bits set, with the network address suggested",
            config: raw({ network: { ...network, cidr: "10.20.0.1/16" } }),
            expected: ['secure-ai:network.cidr: "10.20.0.1/16" has host bits set (did you mean "10.20.0.0/16"?)'],
        },
        {
            name: "a public VPC range",
            config: raw({ network: { ...network, cidr: "8.8.0.0/16" } }),
            expected: ['secure-ai:network.cidr: "8.8.0.0/16" is not private (allowed: inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16)'],
        },
        {
            name: "a VPC larger than /16",
            config: raw({ network: { ...network, cidr: "10.0.0.0/8" } }),
            expected: ['secure-ai:network.cidr: "10.0.0.0/8" has prefix length /8 (a private RFC 1918 network, 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, prefix /16 to /28)'],
        },
        {
            name: "subnets that do not fit",
            config: raw({ network: { ...network, cidr: "10.0.0.0/18" } }),
            expected: [
                'secure-ai:network.cidr: 6 AZ slots x (public /24, firewall /28, services /20, training /20) need 50784 addresses but the /18 VPC 10.0.0.0/18 has 16384 (use a larger VPC or longer subnet prefix lengths)',
            ],
        },
        {
            name: "an AZ from another region and a duplicate AZ",
            config: raw({ network: { ...network, availabilityZones: ["us-east-1a", "us-west-2b", "us-west-2b"] } }),
            expected: [
                'secure-ai:network.availabilityZones[0]: "us-east-1a" is not an availability zone of aws:region us-west-2 (allowed: us-west-2a, us-west-2b, us-west-2c, us-west-2d, us-west-2e, us-west-2f)',
                'secure-ai:network.availabilityZones[2]: "us-west-2b" duplicates entry [1] (entries must be unique)',
            ],
        },
        {
            name: "no AZ",
            config: raw({ network: { ...network, availabilityZones: [] } }),
            expected: ['secure-ai:network.availabilityZones: at least one availability zone is required (1 to 6 names such as "us-west-2a")'],
        },
        {
            name: "a misspelled key",
            config: raw({ network: { ...network, trainingEgres: "none" } }),
            expected: [
                "secure-ai:network.trainingEgres: unknown key (did you mean trainingEgress?; allowed keys: cidr, availabilityZones, trainingEgress, natGateways, subnetPrefixLengths, interfaceEndpoints, s3EndpointReadOnlyBuckets, encryptionControl)",
            ],
        },
        {
            name: "a misspelled top-level key and a provider key the explicit providers would ignore",
            config: raw({ extra: { "secure-ai:netwrok": "{}", "aws:skipCredentialsValidation": "true" } }),
            expected: [
                "aws:skipCredentialsValidation: unknown key (allowed keys: aws:region, aws:profile, secure-ai:network, secure-ai:firewall, secure-ai:baseline, secure-ai:quotas; other provider settings would be ignored by this program's explicit providers)",
                "secure-ai:netwrok: unknown key (did you mean secure-ai:network?) (allowed keys: aws:region, aws:profile, secure-ai:network, secure-ai:firewall, secure-ai:baseline, secure-ai:quotas; other provider settings would be ignored by this program's explicit providers)",
            ],
        },
        {
            name: "an unknown training egress mode",
            config: raw({ network: { ...network, trainingEgress: "open" } }),
            expected: [
                "secure-ai:network.trainingEgress: \"open\" is not a training egress mode (allowed: none = no route off the VPC, filtered = through the NAT gateway and the firewall's domain allowlist)",
            ],
        },
        {
            name: "bad subnet sizes and endpoint names",
            config: raw({ network: { ...network, subnetPrefixLengths: { public: 29, services: "20" }, interfaceEndpoints: ["s3", "com.amazonaws.us-west-2.sts", "sts", "sts"] } }),
            expected: [
                'secure-ai:network.subnetPrefixLengths.public: 29 is not a public subnet prefix length (integer 16 to 28)',
                'secure-ai:network.subnetPrefixLengths.services: "20" is not a services subnet prefix length (integer 16 to 28)',
                'secure-ai:network.interfaceEndpoints[0]: "s3" is always served by the S3 gateway endpoint (list interface endpoint services only, such as "sts")',
                'secure-ai:network.interfaceEndpoints[1]: "com.amazonaws.us-west-2.sts" is not a VPC endpoint service short name (such as "sts" or "ecr.api", without the com.amazonaws.<region>. prefix)',
                'secure-ai:network.interfaceEndpoints[3]: "sts" duplicates entry [2] (entries must be unique)',
            ],
        },
        {
            name: "read-only S3 endpoint buckets given as an ARN, a pattern, an IP-shaped name and a duplicate",
            config: raw({ network: { ...network, s3EndpointReadOnlyBuckets: ["arn:aws:s3:::repo", "al2023-repos-*", "192.168.1.1", "my-repo", "my-repo"] } }),
            expected: [
                'secure-ai:network.s3EndpointReadOnlyBuckets[0]: "arn:aws:s3:::repo" is not an S3 bucket name (3-63 lower-case letters, digits, "." and "-", starting and ending with a letter or digit; a name, not an ARN, URL or pattern)',
                'secure-ai:network.s3EndpointReadOnlyBuckets[1]: "al2023-repos-*" is not an S3 bucket name (3-63 lower-case letters, digits, "." and "-", starting and ending with a letter or digit; a name, not an ARN, URL or pattern)',
                'secure-ai:network.s3EndpointReadOnlyBuckets[2]: "192.168.1.1" is not an S3 bucket name (3-63 lower-case letters, digits, "." and "-", starting and ending with a letter or digit; a name, not an ARN, URL or pattern)',
                'secure-ai:network.s3EndpointReadOnlyBuckets[4]: "my-repo" duplicates entry [3] (entries must be unique)',
            ],
        },
        {
            name: "VPC encryption controls in enforce mode (AWS does not support Network Firewall there), and a mode AWS does not have",
            config: raw({ network: { ...network, encryptionControl: "enforce" } }),
            expected: [
                'secure-ai:network.encryptionControl: "enforce" is not possible in this VPC: AWS Network Firewall is not supported with VPCs in enforce mode (Amazon VPC User Guide, "Enforce VPC encryption in transit": "If these resources are present in your VPC, you must run your VPC in monitor mode"), and every stack of this program routes its traffic through one (allowed: off, monitor)',
            ],
        },
        {
            name: "a VPC encryption control setting AWS does not have",
            config: raw({ network: { ...network, encryptionControl: "audit" } }),
            expected: ['secure-ai:network.encryptionControl: "audit" is not a VPC encryption control setting (allowed: off, monitor)'],
        },
        {
            name: "VPC Block Public Access in either mode, or exclusions (AWS documents traffic through a Network Firewall blocked even with its subnet excluded)",
            config: raw({ baseline: { manageAccountGuardrails: true, vpcBlockPublicAccess: "block-bidirectional", vpcBlockPublicAccessExclusions: true } }),
            expected: [
                "secure-ai:baseline.vpcBlockPublicAccess: \"block-bidirectional\" is not turned on by this program: all of this stack's internet traffic crosses its Network Firewall, and AWS documents that under VPC Block Public Access \"All inbound and outbound traffic is blocked even if the subnet containing firewall endpoints is excluded\" (Amazon VPC User Guide, \"VPC BPA basics\"); whether a VPC-level exclusion restores that traffic is not documented. Leave it off (allowed: off), and before anyone turns a mode on by hand where a stack of this program runs, check the stack's paths with Reachability Analyzer in a sandbox account",
                "secure-ai:baseline.vpcBlockPublicAccessExclusions: true is refused: the program creates no Block Public Access exclusion. Excluding the subnet containing firewall endpoints is documented not to restore traffic through a Network Firewall (\"even if the subnet containing firewall endpoints is excluded\", Amazon VPC User Guide, \"VPC BPA basics\"), and whether a VPC-level exclusion does is not documented. Remove the key (allowed: false, or unset), and check any exclusion made by hand with Reachability Analyzer in a sandbox account first",
            ],
        },
        {
            name: "missing region and network",
            config: { "secure-ai:firewall": JSON.stringify(firewall) },
            expected: ["aws:region: is required (an AWS region name such as us-west-2)", "secure-ai:network: is required (a YAML mapping of the keys in docs/config.md)"],
        },
    ];
    for (const c of cases) {
        it(`rejects ${c.name}`, () => expect(problems(c.config)).to.deep.equal(c.expected));
    }

    const firewallCases: { name: string; firewall: object; expected: string[] }[] = [
        {
            name: "0.0.0.0/0 and a range inside the VPC in the ingress allowlist",
            firewall: { ingress: { allowedCidrs: ["0.0.0.0/0", "10.20.5.0/24"] } },
            expected: [
                'secure-ai:firewall.ingress.allowedCidrs[0]: "0.0.0.0/0" has prefix length /0 (prefix /8 to /32; 0.0.0.0/0 and anything broader than /8 are refused, list the client ranges)',
                'secure-ai:firewall.ingress.allowedCidrs[1]: "10.20.5.0/24" overlaps the VPC CIDR 10.20.0.0/16 (ingress sources must be outside the VPC)',
            ],
        },
        {
            name: "wildcards, URLs, ports, uppercase duplicates and oversized labels in the domain allowlist",
            firewall: {
                ingress: { allowedCidrs: ["203.0.113.0/24"] },
                egress: { allowedDomains: ["*.pypi.org", "https://pypi.org/simple", "pypi.org:443", "PyPI.org", "pypi.org", `${"a".repeat(64)}.com`, ".com"] },
            },
            expected: [
                'secure-ai:firewall.egress.allowedDomains[0]: "*.pypi.org" uses a wildcard (write ".pypi.org" to allow a domain and its subdomains)',
                'secure-ai:firewall.egress.allowedDomains[1]: "https://pypi.org/simple" is a URL, not a domain (allowed: a lowercase host name such as "files.pythonhosted.org", or ".pypi.org" for pypi.org and its subdomains)',
                'secure-ai:firewall.egress.allowedDomains[2]: "pypi.org:443" has a port (domains apply to HTTPS and HTTP; allowed: a lowercase host name such as "files.pythonhosted.org", or ".pypi.org" for pypi.org and its subdomains)',
                'secure-ai:firewall.egress.allowedDomains[3]: "PyPI.org" has uppercase letters (write "pypi.org")',
                `secure-ai:firewall.egress.allowedDomains[5]: "${"a".repeat(64)}.com" has the 64-character label "${"a".repeat(64)}" (a label has at most 63)`,
                'secure-ai:firewall.egress.allowedDomains[6]: ".com" is a top-level domain alone, far too broad (allowed: a lowercase host name such as "files.pythonhosted.org", or ".pypi.org" for pypi.org and its subdomains)',
                'secure-ai:firewall.egress.allowedDomains[4]: "pypi.org" duplicates entry [3] (entries must be unique)',
            ],
        },
        {
            name: "more ingress rules than the security group quota",
            firewall: { ...firewall, ingress: { allowedCidrs: Array.from({ length: 31 }, (_, i) => `198.51.${i}.0/24`), ports: [443, 8443] } },
            expected: [
                'secure-ai:firewall.ingress.allowedCidrs: load balancer security group inbound (2 port rules x the ingress prefix list\'s 31 entries) needs 62, over the quota "Inbound or outbound rules per security group" of 60 (Amazon VPC User Guide, Amazon VPC quotas; merge adjacent ranges or list fewer ports, or have the quota raised in Service Quotas and declare it as secure-ai:quotas.securityGroupRulesPerDirection)',
            ],
        },
        {
            name: "an IP address as an egress domain (TLS SNI never carries one)",
            firewall: { ...firewall, egress: { allowedDomains: ["198.51.100.10"] } },
            expected: [
                'secure-ai:firewall.egress.allowedDomains[0]: "198.51.100.10" is an IP address: the firewall matches domains by TLS SNI and HTTP Host, and SNI never carries an address (RFC 6066, section 3), so no TLS flow could match it (allowed: a lowercase host name such as "files.pythonhosted.org", or ".pypi.org" for pypi.org and its subdomains)',
            ],
        },
        {
            name: "domains a broader entry already allows",
            firewall: { ...firewall, egress: { allowedDomains: ["pypi.org", ".pypi.org", "files.pypi.org", "files.pythonhosted.org"] } },
            expected: [
                'secure-ai:firewall.egress.allowedDomains[0]: "pypi.org" is already allowed by entry [1] ".pypi.org" (pypi.org and its subdomains): remove it',
                'secure-ai:firewall.egress.allowedDomains[2]: "files.pypi.org" is already allowed by entry [1] ".pypi.org" (pypi.org and its subdomains): remove it',
            ],
        },
        {
            name: "ingress ranges that contain each other, and denied ranges that overlap each other and the allowlist",
            firewall: {
                ...firewall,
                ingress: { allowedCidrs: ["203.0.113.0/24", "198.51.100.0/24", "203.0.113.128/25"] },
                deniedCidrs: ["45.0.0.0/8", "45.1.0.0/16", "198.51.100.7/32"],
            },
            expected: [
                'secure-ai:firewall.ingress.allowedCidrs[2]: "203.0.113.128/25" lies inside entry [0] "203.0.113.0/24" (ingress ranges must not overlap: keep the one range you mean; the narrower adds nothing but security group rules, and removing the wider would not revoke it)',
                'secure-ai:firewall.deniedCidrs[1]: "45.1.0.0/16" lies inside entry [0] "45.0.0.0/8" (denied ranges must not overlap: keep the one range you mean; the narrower adds nothing but stateless rules)',
                'secure-ai:firewall.deniedCidrs[2]: "198.51.100.7/32" overlaps secure-ai:firewall.ingress.allowedCidrs[1] "198.51.100.0/24": the stateless layer drops those addresses before the allowlist is consulted, so they could never connect (narrow one of the two)',
            ],
        },
        {
            name: "a log retention CloudWatch does not offer",
            firewall: { ingress: { allowedCidrs: ["203.0.113.0/24"] }, logRetentionDays: 45 },
            expected: [
                "secure-ai:firewall.logRetentionDays: 45 is not a CloudWatch Logs retention period (allowed days: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)",
            ],
        },
    ];
    for (const c of firewallCases) {
        it(`rejects ${c.name}`, () => expect(problems(raw({ firewall: c.firewall }))).to.deep.equal(c.expected));
    }

    const baselineCases: { name: string; baseline: object; expected: string[] }[] = [
        {
            name: "a short key deletion window on a stack that protects its data",
            baseline: { protectData: true, keyDeletionWindowDays: 7 },
            expected: [
                "secure-ai:baseline.keyDeletionWindowDays: 7 is shorter than the 30-day window a stack with protectData: true keeps (set 30, or protectData: false for a disposable stack)",
            ],
        },
        {
            name: "an audit log lock on a disposable stack, a lock longer than the logs are kept and a role ARN as the break-glass role",
            baseline: { protectData: false, keyDeletionWindowDays: 7, auditLogLockDays: 400, logObjectExpirationDays: 365, breakGlassRoleName: "arn:aws:iam::111122223333:role/x" },
            expected: [
                'secure-ai:baseline.breakGlassRoleName: "arn:aws:iam::111122223333:role/x" is not an IAM role name (1 to 64 letters, digits and +=,.@_-; a name, not an ARN)',
                "secure-ai:baseline.auditLogLockDays: 400 locks audit logs on a stack with protectData: false, whose `pulumi destroy` must empty and delete the audit bucket, and S3 refuses to delete a locked version (root included) until its retention ends (allowed: no auditLogLockDays (the default: no lock), or, on a stack with protectData: true, a whole number of days from 1 to logObjectExpirationDays (365 here))",
                "secure-ai:baseline.auditLogLockDays: 400 is longer than logObjectExpirationDays (365): at expiration the lifecycle rule hides each log behind a delete marker while Object Lock keeps (and S3 bills) its version until the lock ends (allowed: no auditLogLockDays (the default: no lock), or, on a stack with protectData: true, a whole number of days from 1 to logObjectExpirationDays (365 here))",
            ],
        },
        {
            name: "an audit log lock of zero days",
            baseline: { protectData: true, auditLogLockDays: 0 },
            expected: [
                "secure-ai:baseline.auditLogLockDays: 0 days locks nothing: the retention runs from when each log version is written (allowed: no auditLogLockDays (the default: no lock), or, on a stack with protectData: true, a whole number of days from 1 to logObjectExpirationDays)",
            ],
        },
        {
            name: "an audit log lock longer than any log expiration",
            baseline: { protectData: true, auditLogLockDays: 3651, logObjectExpirationDays: 3650 },
            expected: [
                "secure-ai:baseline.auditLogLockDays: 3651 is longer than logObjectExpirationDays can be (3650) (allowed: no auditLogLockDays (the default: no lock), or, on a stack with protectData: true, a whole number of days from 1 to logObjectExpirationDays)",
            ],
        },
        {
            name: "an audit log lock that is not a whole number of days",
            baseline: { protectData: true, auditLogLockDays: 1.5 },
            expected: [
                "secure-ai:baseline.auditLogLockDays: 1.5 is not a whole number of days (allowed: no auditLogLockDays (the default: no lock), or, on a stack with protectData: true, a whole number of days from 1 to logObjectExpirationDays)",
            ],
        },
        {
            name: "a key deletion window KMS does not allow and a non-boolean flag",
            baseline: { protectData: "yes", keyDeletionWindowDays: 45, manageAccountGuardrails: 1 },
            expected: [
                'secure-ai:baseline.protectData: "yes" is not true or false',
                "secure-ai:baseline.keyDeletionWindowDays: 45 is not a valid KMS key deletion window (integer 7 to 30 days)",
                "secure-ai:baseline.manageAccountGuardrails: 1 is not true or false",
            ],
        },
        {
            name: "a role ARN, an account and a duplicate as workload principals, and an empty list",
            baseline: {
                trainingPrincipals: ["arn:aws:iam::111122223333:role/admin", "111122223333", "sagemaker.amazonaws.com", "sagemaker.amazonaws.com"],
                inferencePrincipals: [],
            },
            expected: [
                'secure-ai:baseline.trainingPrincipals[0]: "arn:aws:iam::111122223333:role/admin" is not a service principal (such as "sagemaker.amazonaws.com"; IAM users, roles and accounts are not allowed)',
                'secure-ai:baseline.trainingPrincipals[1]: "111122223333" is not a service principal (such as "sagemaker.amazonaws.com"; IAM users, roles and accounts are not allowed)',
                'secure-ai:baseline.trainingPrincipals[3]: "sagemaker.amazonaws.com" duplicates entry [2] (entries must be unique)',
                'secure-ai:baseline.inferencePrincipals: at least one service principal is required (such as ["sagemaker.amazonaws.com"])',
            ],
        },
        {
            name: "an image URI instead of a repository name, lifecycle days out of range and a misspelled key",
            baseline: {
                imageRepositories: ["111122223333.dkr.ecr.us-west-2.amazonaws.com/trainer:latest", "Trainer"],
                noncurrentVersionExpirationDays: 0,
                logObjectExpirationDays: 1.5,
                servingprot: 8080,
            },
            expected: [
                'secure-ai:baseline.imageRepositories[0]: "111122223333.dkr.ecr.us-west-2.amazonaws.com/trainer:latest" is not an ECR repository name (lower-case letters, digits, ".", "_", "-" and "/" between segments; a name, not an ARN or URI)',
                'secure-ai:baseline.imageRepositories[1]: "Trainer" is not an ECR repository name (lower-case letters, digits, ".", "_", "-" and "/" between segments; a name, not an ARN or URI)',
                "secure-ai:baseline.noncurrentVersionExpirationDays: 0 is not a valid noncurrent version expiration (integer 1 to 3650 days)",
                "secure-ai:baseline.logObjectExpirationDays: 1.5 is not a valid log object expiration (integer 1 to 3650 days)",
                "secure-ai:baseline.servingprot: unknown key (did you mean servingPort?; allowed keys: logRetentionDays, protectData, keyDeletionWindowDays, servingPort, trainingPrincipals, inferencePrincipals, imageRepositories, noncurrentVersionExpirationDays, logObjectExpirationDays, auditLogLockDays, breakGlassRoleName, recordManagementEvents, manageAccountGuardrails, localStorageInstanceFamilies, alertEmails, vpcBlockPublicAccess, vpcBlockPublicAccessExclusions)",
            ],
        },
        {
            name: "local-storage families with the ml. prefix, a size, one the built-in table has, and a duplicate",
            baseline: { localStorageInstanceFamilies: ["ml.p6-b200", "p6-b200.48xlarge", "p5en", "p6-b200", "p6-b200"] },
            expected: [
                'secure-ai:baseline.localStorageInstanceFamilies[0]: "ml.p6-b200" is not an instance family (lower-case EC2 family such as "p6-b200" or "trn1n"; no "ml." prefix, no size)',
                'secure-ai:baseline.localStorageInstanceFamilies[1]: "p6-b200.48xlarge" is not an instance family (lower-case EC2 family such as "p6-b200" or "trn1n"; no "ml." prefix, no size)',
                'secure-ai:baseline.localStorageInstanceFamilies[2]: "p5en" is already a local-storage family of the built-in table (baseline/instanceStorage.ts)',
                'secure-ai:baseline.localStorageInstanceFamilies[4]: "p6-b200" duplicates entry [3] (entries must be unique)',
            ],
        },
    ];
    for (const c of baselineCases) {
        it(`rejects ${c.name}`, () => expect(problems(raw({ baseline: c.baseline }))).to.deep.equal(c.expected));
    }

    it("rejects stack names that cannot be part of bucket and role names, together with other problems", () => {
        const allowed = 'cannot be part of S3 bucket and IAM role names (allowed: lower-case letters, digits and "-", 1 to 29 characters, starting and ending with a letter or digit; rename with `pulumi stack rename`)';
        for (const stack of ["Prod", "ml_dev", "-dev", "dev-", "a".repeat(30)]) {
            expect(problems(raw(), stack), stack).to.deep.equal([`stack: ${JSON.stringify(stack)} ${allowed}`]);
        }
        expect(problems(raw(), "a".repeat(29))).to.deep.equal([]);
        expect(problems(raw({ baseline: { logRetentionDays: 2 } }), "Prod")).to.have.length(2);
    });

    it("rejects a region that does not exist, listing real ones, without flagging its AZs as well", () => {
        const found = problems({ ...raw(), "aws:region": "us-west-9" });
        expect(found).to.have.length(1);
        expect(found[0]).to.match(/^aws:region: "us-west-9" is not an AWS region \(allowed: .*us-west-2.*\)$/);
    });

    it("reports every problem in one pulumi.RunError whose message lists them all", () => {
        const bad = raw({ network: { ...network, cidr: "10.0.0.0/33", availabilityZones: ["eu-west-1a"], trainingEgres: "none" } });
        try {
            loadConfig(bad, "dev");
            expect.fail("loadConfig accepted bad config");
        } catch (e) {
            expect(e).to.be.instanceOf(ConfigError);
            const message = (e as Error).message.split("\n");
            expect(message[0]).to.equal("Invalid stack config (3 problems):");
            expect(message.slice(1).map((l) => l.trim().split(":").slice(0, 2).join(":"))).to.deep.equal([
                "secure-ai:network.cidr",
                "secure-ai:network.availabilityZones[0]",
                "secure-ai:network.trainingEgres",
            ]);
        }
    });

    it("refuses keys nothing reads: a misspelled namespace, a key without one, an unknown provider key; passes pulumi:*", () => {
        const found = problems(raw({ extra: { "secure_ai:baseline": "{}", baseline: "{}", "aws:regoin": "us-west-2", "pulumi:tags": "{}" } }));
        expect(found).to.deep.equal([
            'aws:regoin: unknown key (did you mean aws:region?) (allowed keys: aws:region, aws:profile, secure-ai:network, secure-ai:firewall, secure-ai:baseline, secure-ai:quotas; other provider settings would be ignored by this program\'s explicit providers)',
            "baseline: has no namespace, so nothing reads it (did you mean secure-ai:baseline?)",
            'secure_ai:baseline: namespace "secure_ai" is read by nothing in this program (did you mean secure-ai:baseline?) (allowed namespaces: secure-ai:, aws:, aws-native:, pulumi:)',
        ]);
    });

    it("a schema error in one section hides no quota another section exceeds", () => {
        const found = problems(
            raw({
                network: { ...network, natGateway: "single" },
                firewall: { ingress: { allowedCidrs: Array.from({ length: 31 }, (_, i) => `198.51.${i}.0/24`), ports: [443, 8443] }, egress: { allowedDomains: ["PyPI.org", ".pypi.org"] } },
            }),
        );
        expect(found.map((p) => p.split(":").slice(0, 2).join(":"))).to.deep.equal([
            "secure-ai:network.natGateway",
            "secure-ai:firewall.egress.allowedDomains[0]",
            "secure-ai:firewall.ingress.allowedCidrs",
        ]);
        expect(found[2]).to.include("needs 62, over the quota");
    });

    it("builds key paths with dots for keys and brackets for positions", () => {
        expect(keyPath("secure-ai:firewall", ["ingress", "allowedCidrs", 2])).to.equal("secure-ai:firewall.ingress.allowedCidrs[2]");
    });
});

describe("config: S3 Object Lock on the audit bucket is an explicit opt-in (it cannot be turned off)", () => {
    it("a stack that protects its data but sets no auditLogLockDays gets no lock", () => {
        const config = loadConfig(raw({ baseline: { protectData: true, keyDeletionWindowDays: 30 } }), "dev");
        expect(config.baseline.protectData).to.equal(true);
        expect(auditLogLockDays(config.baseline)).to.equal(undefined);
        expect(auditLogLockDays(loadConfig(raw({ baseline: { protectData: true, keyDeletionWindowDays: 30, auditLogLockDays: 30 } }), "dev").baseline)).to.equal(30);
    });
});

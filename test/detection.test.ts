// Account-level detection on the stack that owns the account guardrails: GuardDuty, Inspector (ECR), Security Hub
// with FSBP, and high-severity finding alerts to a KMS-encrypted SNS topic; nothing of it on any other stack.
import { expect } from "chai";
import { FINDING_RULES, fsbpStandardArn, GUARDDUTY_FEATURES } from "../baseline/detection";
import { checkConfig, loadConfig, type RawConfig, type StackConfig } from "../config/load";
import { MOCK_ACCOUNT_ID } from "../offline/mocks";
import { readStackConfig, stackFiles, type SynthResource, type Synthesis } from "../offline/synth";
import { fixture, must, ofType, policyInput, statement, synth, synthWith } from "./support";

const purposeOf = (b: SynthResource): string | undefined => (b.inputs["tags"] as Record<string, string> | undefined)?.["secure-ai:purpose"];
const configBucket = (s: Synthesis): SynthResource => must(ofType(s, "aws:s3/bucket:Bucket").find((b) => purposeOf(b) === "config"), "config bucket");
/** Whether the delivery channel names a bucket that has an Object Lock configuration. */
function deliveredToLockedBucket(s: Synthesis): boolean {
    const channel = must(ofType(s, "aws:cfg/deliveryChannel:DeliveryChannel")[0], "delivery channel");
    const bucket = must(ofType(s, "aws:s3/bucket:Bucket").find((b) => b.id === channel.inputs["s3BucketName"]), "the delivery bucket");
    return ofType(s, "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration").some((l) => l.inputs["bucket"] === bucket.id);
}

const DETECTION_TYPES = [
    "aws:guardduty/detector:Detector",
    "aws:guardduty/detectorFeature:DetectorFeature",
    "aws:inspector2/enabler:Enabler",
    "aws:securityhub/account:Account",
    "aws:securityhub/standardsSubscription:StandardsSubscription",
    "aws:sns/topic:Topic",
    "aws:cloudwatch/eventRule:EventRule",
    "aws:cfg/recorder:Recorder",
    "aws:cfg/deliveryChannel:DeliveryChannel",
];

for (const { stack } of stackFiles()) {
    // Loaded inside the tests, not while mocha loads the file (docs/mutation.md).
    const configOf = () => loadConfig(readStackConfig(stack), stack);
    describe(`account detection (${stack} stack)`, () => {
        it("creates account-level detectors, scanners, hub and alerts only on the stack that owns the account guardrails", async () => {
            const s = await synth(stack);
            if (configOf().baseline.manageAccountGuardrails) {
                expect(DETECTION_TYPES.filter((t) => ofType(s, t).length === 0)).to.deep.equal([]);
                return;
            }
            // Another stack of the account owns them.
            expect(DETECTION_TYPES.flatMap((t) => ofType(s, t))).to.deep.equal([]);
            expect([s.outputs["findingAlertTopicArn"], s.outputs["findingAlertSubscribeCommand"]]).to.deep.equal([undefined, undefined]);
        });
    });

    describe(`account detection (${stack} stack, where it owns the account guardrails)`, () => {
        let config: StackConfig;
        beforeEach(function () {
            config = configOf();
            if (!config.baseline.manageAccountGuardrails) {
                this.skip(); // the stack above creates none of it
            }
        });

        it("enables GuardDuty with S3 data events and AI Protection, and Inspector scanning ECR images of this account", async () => {
            const s = await synth(stack);
            const detector = must(ofType(s, "aws:guardduty/detector:Detector")[0], "detector");
            expect(detector.inputs["enable"]).to.equal(true);
            const features = ofType(s, "aws:guardduty/detectorFeature:DetectorFeature").map((f) => [f.inputs["detectorId"], f.inputs["name"], f.inputs["status"]]);
            expect(features).to.deep.equal(GUARDDUTY_FEATURES.map((name) => [detector.id, name, "ENABLED"]));
            const inspector = ofType(s, "aws:inspector2/enabler:Enabler").map((e) => [e.inputs["accountIds"], e.inputs["resourceTypes"]]);
            expect(inspector).to.deep.equal([[[MOCK_ACCOUNT_ID], ["ECR"]]]);
        });

        it("enables Security Hub with exactly the FSBP standard of the stack's region", async () => {
            const s = await synth(stack);
            const hub = must(ofType(s, "aws:securityhub/account:Account")[0], "hub");
            expect(hub.inputs["enableDefaultStandards"]).to.equal(false);
            const standards = ofType(s, "aws:securityhub/standardsSubscription:StandardsSubscription").map((x) => x.inputs["standardsArn"]);
            expect(standards).to.deep.equal([fsbpStandardArn("aws", config.region)]);
        });

        it("records the region's resources with AWS Config (what Security Hub's FSBP checks evaluate), delivered to its own bucket with the stack key", async () => {
            const s = await synth(stack);
            const recorder = must(ofType(s, "aws:cfg/recorder:Recorder")[0], "recorder");
            expect(recorder.inputs["recordingGroup"]).to.deep.equal({ allSupported: true, includeGlobalResourceTypes: false });
            const role = must(ofType(s, "aws:iam/role:Role").find((r) => r.state["arn"] === recorder.inputs["roleArn"]), "config role");
            expect(ofType(s, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.inputs["role"] === role.state["name"]).map((a) => a.inputs["policyArn"])).to.deep.equal([
                "arn:aws:iam::aws:policy/service-role/AWS_ConfigRole",
            ]);
            const bucket = configBucket(s);
            const key = must(ofType(s, "aws:kms/key:Key")[0], "key");
            const channel = must(ofType(s, "aws:cfg/deliveryChannel:DeliveryChannel")[0], "delivery channel");
            expect([channel.inputs["s3BucketName"], channel.inputs["s3KmsKeyArn"]]).to.deep.equal([bucket.id, key.state["arn"]]);
            const deliver = statement(policyInput(must(ofType(s, "aws:iam/rolePolicy:RolePolicy").find((p) => p.inputs["role"] === role.id), "delivery policy")), "DeliverConfigurationSnapshotsAndHistory");
            expect(deliver.Resource).to.equal(`${String(bucket.state["arn"])}/AWSLogs/${MOCK_ACCOUNT_ID}/Config/*`);
            // PutDeliveryChannel checks that AWS Config may write there (AWS Config API Reference, PutDeliveryChannel:
            // InsufficientDeliveryPolicyException): the bucket policy and the role's delivery policy exist first.
            const bucketPolicy = must(ofType(s, "aws:s3/bucketPolicy:BucketPolicy").find((p) => p.inputs["bucket"] === bucket.id), "config bucket policy");
            expect(channel.dependencies).to.include.members([bucketPolicy.urn]);
            expect(s.outputs["configBucketName"]).to.equal(bucket.state["bucket"]);
            expect(ofType(s, "aws:cfg/recorderStatus:RecorderStatus").map((r) => r.inputs["isEnabled"])).to.deep.equal([true]);
        });

        it("never delivers to a bucket with Object Lock (AWS Config does not support it: AWS::Config::DeliveryChannel, Note)", async () => {
            const s = await synth(stack);
            expect(deliveredToLockedBucket(s)).to.equal(false);
        });

        it("tells how to subscribe to the alert topic (the stack subscribes only alertEmails, none when the list is empty)", async () => {
            const s = await synth(stack);
            const topic = must(ofType(s, "aws:sns/topic:Topic")[0], "topic");
            expect(s.outputs["findingAlertTopicArn"]).to.equal(topic.state["arn"]);
            expect(s.outputs["findingAlertSubscribeCommand"]).to.equal(
                `aws sns subscribe --region ${config.region} --topic-arn ${String(topic.state["arn"])} --protocol email --notification-endpoint <address>`,
            );
            expect(ofType(s, "aws:sns/topicSubscription:TopicSubscription")).to.have.length(config.baseline.alertEmails.length);
        });

        it("sends high-severity GuardDuty, Inspector, Security Hub and malware-scan findings to a topic encrypted with the stack key, which only those rules may publish to", async () => {
            const s = await synth(stack);
            const topic = must(ofType(s, "aws:sns/topic:Topic")[0], "topic");
            const key = must(ofType(s, "aws:kms/key:Key")[0], "key");
            expect(topic.inputs["kmsMasterKeyId"]).to.equal(key.state["arn"]);
            const rules = ofType(s, "aws:cloudwatch/eventRule:EventRule");
            expect(rules.map((r) => JSON.parse(String(r.inputs["eventPattern"])))).to.deep.equal(FINDING_RULES.map((r) => r.eventPattern));
            const targets = ofType(s, "aws:cloudwatch/eventTarget:EventTarget").map((t) => [t.inputs["rule"], t.inputs["arn"]]);
            expect(targets).to.deep.equal(rules.map((r) => [r.state["name"], topic.state["arn"]]));
            const publish = statement(policyInput(must(ofType(s, "aws:sns/topicPolicy:TopicPolicy")[0], "topic policy")), "FindingRulesPublish");
            expect(publish.Principal).to.deep.equal({ Service: "events.amazonaws.com" });
            expect(publish.Condition).to.deep.equal({ ArnEquals: { "aws:SourceArn": rules.map((r) => r.state["arn"]) }, StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID } });
            // The key admits EventBridge, or SNS could not encrypt what it publishes.
            const events = statement(policyInput(key), "EventBridgePublishesFindingAlerts");
            expect(events.Principal).to.deep.equal({ Service: "events.amazonaws.com" });
            expect(events.Condition).to.deep.equal({ StringEquals: { "kms:EncryptionContext:aws:sns:topicArn": topic.state["arn"] } });
            const subscriptions = ofType(s, "aws:sns/topicSubscription:TopicSubscription").map((x) => [x.inputs["protocol"], x.inputs["endpoint"]]);
            expect(subscriptions).to.deep.equal(config.baseline.alertEmails.map((e) => ["email", e]));
            // Keyed by address, so reordering or removing one address leaves the others alone.
            expect(ofType(s, "aws:sns/topicSubscription:TopicSubscription").map((x) => x.name)).to.deep.equal(config.baseline.alertEmails.map((e) => `secure-ai-detection-alerts-${e}`));
        });
    });
}

describe("account detection: AWS Config beside an Object Lock audit bucket (prod fixture, auditLogLockDays set)", () => {
    it("Config delivers to its own unlocked bucket while the audit bucket is locked", async () => {
        const raw = fixture("prod");
        const baseline = JSON.parse(raw["secure-ai:baseline"] ?? "{}") as Record<string, unknown>;
        const locking: RawConfig = { ...raw, "secure-ai:baseline": JSON.stringify({ ...baseline, auditLogLockDays: 1 }) };
        const config = loadConfig(locking, "prod");
        expect([config.baseline.manageAccountGuardrails, config.baseline.auditLogLockDays]).to.deep.equal([true, 1]);
        const s = await synthWith({ stack: "prod", config: locking });
        const locked = ofType(s, "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration").map((l) => l.inputs["bucket"]);
        const audit = must(ofType(s, "aws:s3/bucket:Bucket").find((b) => purposeOf(b) === "audit"), "audit bucket");
        expect(locked).to.deep.equal([audit.id]);
        expect(deliveredToLockedBucket(s)).to.equal(false);
        expect(configBucket(s).id).to.not.equal(audit.id);
    });
});

describe("account detection: config", () => {
    const raw = fixture("dev");
    const withBaseline = (change: Record<string, unknown>): RawConfig => {
        const baseline = JSON.parse(raw["secure-ai:baseline"] ?? "{}") as Record<string, unknown>;
        return { ...raw, "secure-ai:baseline": JSON.stringify({ ...baseline, ...change }) };
    };
    const problems = (change: Record<string, unknown>): string[] => checkConfig(withBaseline(change), "dev").problems.map((p) => `${p.path}: ${p.message}`);
    it("refuses an address that is not one, and alert addresses on a stack that does not own the alerts", () => {
        expect(() => loadConfig(withBaseline({ manageAccountGuardrails: true, alertEmails: ["security"] }), "dev")).to.throw(
            'secure-ai:baseline.alertEmails[0]: "security" is not an email address (name@domain',
        );
        expect(() => loadConfig(withBaseline({ manageAccountGuardrails: false, alertEmails: ["secops@corp.invalid-not.net"] }), "dev")).to.throw(
            "secure-ai:baseline.alertEmails: finding alerts belong to the stack that owns the account guardrails",
        );
    });

    // RFC 2606 reserves these for documentation: mail to them is never delivered, so an alert address there is a
    // placeholder whose alerts reach nobody.
    const reserved: { address: string; under: string }[] = [
        { address: "security-team@example.com", under: "example.com" },
        { address: "SecOps@Mail.Example.ORG", under: "example.org" },
        { address: "soc@example.net", under: "example.net" },
        { address: "soc@alerts.test", under: ".test" },
        { address: "soc@corp.invalid", under: ".invalid" },
    ];
    for (const c of reserved) {
        it(`refuses the documentation address ${c.address} with one message naming the key path`, () => {
            const found = problems({ manageAccountGuardrails: true, alertEmails: ["secops@corp.internal.net", c.address] });
            expect(found).to.have.length(1);
            expect(found[0]).to.match(new RegExp(`^secure-ai:baseline\\.alertEmails\\[1\\]: "${c.address.replace(/\./g, "\\.")}" is under ${c.under.replace(/\./g, "\\.")}, which RFC 2606 reserves`));
        });
    }

    it("accepts addresses under names that only resemble the reserved ones, and no addresses at all", () => {
        for (const address of ["soc@example.com.au", "soc@myexample.com", "soc@testing.io"]) {
            expect(problems({ manageAccountGuardrails: true, alertEmails: [address] }), address).to.deep.equal([]);
        }
        expect(problems({ manageAccountGuardrails: true })).to.deep.equal([]);
    });
});

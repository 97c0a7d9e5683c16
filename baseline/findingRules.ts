// The high-severity finding rules of the account alerts, as data (no resources): the AccountDetection component
// creates one EventBridge rule per entry, and the quota model counts them.

export interface FindingRule {
    readonly id: string;
    readonly description: string;
    readonly eventPattern: Readonly<Record<string, unknown>>;
}

/**
 * High-severity findings, one EventBridge rule per source (each source shapes its event differently):
 * - GuardDuty: detail-type "GuardDuty Finding", `detail.severity` 7.0 and above is High or Critical (GuardDuty User
 *   Guide, "Severity levels of GuardDuty findings"; "Creating custom responses to GuardDuty findings with Amazon
 *   EventBridge");
 * - Inspector: detail-type "Inspector2 Finding", `detail.severity` HIGH or CRITICAL (Amazon Inspector User Guide,
 *   "Creating custom responses to Amazon Inspector findings with Amazon EventBridge");
 * - Security Hub: detail-type "Security Hub Findings - Imported", `detail.findings.Severity.Label` HIGH or CRITICAL
 *   (Security Hub User Guide, "EventBridge event formats for Security Hub");
 * - Malware Protection for S3: detail-type "GuardDuty Malware Protection Object Scan Result",
 *   `detail.scanResultDetails.scanResultStatus` THREATS_FOUND (GuardDuty User Guide, "Monitoring S3 object scans with
 *   Amazon EventBridge").
 */
export const FINDING_RULES: readonly FindingRule[] = [
    {
        id: "guardduty",
        description: "GuardDuty findings of severity 7 and above (High, Critical)",
        eventPattern: { source: ["aws.guardduty"], "detail-type": ["GuardDuty Finding"], detail: { severity: [{ numeric: [">=", 7] }] } },
    },
    {
        id: "inspector",
        description: "Amazon Inspector findings of severity HIGH or CRITICAL",
        eventPattern: { source: ["aws.inspector2"], "detail-type": ["Inspector2 Finding"], detail: { severity: ["HIGH", "CRITICAL"] } },
    },
    {
        id: "securityhub",
        description: "Security Hub findings labelled HIGH or CRITICAL",
        eventPattern: { source: ["aws.securityhub"], "detail-type": ["Security Hub Findings - Imported"], detail: { findings: { Severity: { Label: ["HIGH", "CRITICAL"] } } } },
    },
    {
        id: "malware-scan",
        description: "GuardDuty Malware Protection for S3 found malware in an uploaded object",
        eventPattern: {
            source: ["aws.guardduty"],
            "detail-type": ["GuardDuty Malware Protection Object Scan Result"],
            detail: { scanResultDetails: { scanResultStatus: ["THREATS_FOUND"] } },
        },
    },
];

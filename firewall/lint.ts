// AWS Network Firewall runs a subset of Suricata 7. Rules are checked against it before anything reaches AWS.

const UNSUPPORTED: readonly { pattern: RegExp; keyword: string }[] = [
    { pattern: /\bthreshold\s*:/, keyword: "threshold" },
    { pattern: /\bdetection_filter\s*:/, keyword: "detection_filter" },
    { pattern: /\bdataset\s*:/, keyword: "dataset" },
    { pattern: /\bdatarep\s*:/, keyword: "datarep" },
    { pattern: /\biprep\s*:/, keyword: "iprep" },
    { pattern: /\blua(jit)?\s*:/, keyword: "lua" },
    { pattern: /\bgeoip\s*:/, keyword: "geoip" },
    { pattern: /\bfile(name|magic|store|\.data|\.name|md5|sha1|sha256|size)\b/, keyword: "file keywords" },
];

/** Problems with the rules as AWS would run them; empty when they are fine. */
export function lintRules(rules: readonly string[], { strictOrder }: { strictOrder: boolean }): string[] {
    const problems: string[] = [];
    const sids = new Map<string, number>();
    rules.forEach((rule, index) => {
        const at = `rule ${index + 1}`;
        // Keywords are options, never quoted values: an allowlisted `filestore.example.com` in a content match is not
        // the `filestore` keyword. Suricata escapes `"` and `\` inside a value with a backslash.
        const options = rule.replace(/"(?:[^"\\]|\\.)*"/g, '""');
        for (const { pattern, keyword } of UNSUPPORTED) {
            if (pattern.test(options)) {
                problems.push(`${at}: "${keyword}" is not supported by AWS Network Firewall`);
            }
        }
        if (strictOrder && /\bpriority\s*:/.test(options)) {
            problems.push(`${at}: "priority" is not allowed under STRICT_ORDER (position is the order)`);
        }
        const sid = /\bsid\s*:\s*(\d+)\s*;/.exec(options)?.[1];
        if (sid === undefined) {
            problems.push(`${at}: has no sid`);
        } else if (sids.has(sid)) {
            problems.push(`${at}: sid ${sid} repeats rule ${sids.get(sid)}`);
        } else {
            sids.set(sid, index + 1);
        }
        if (!/^(pass|drop|reject|alert)\s/.test(rule)) {
            problems.push(`${at}: action must be pass, drop, reject or alert`);
        }
    });
    return problems;
}

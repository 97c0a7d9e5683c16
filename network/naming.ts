// Logical resource names and Name tags from one place. Keyed by AZ name, never by list position, so adding an
// AZ never renames (and so never replaces) another AZ's resources.

/** Logical name: `secure-ai-training-us-west-2a`. */
export function resourceName(base: string, ...parts: readonly string[]): string {
    return [base, ...parts].join("-");
}

/** Name tag shown in the AWS console: `secure-ai-dev-training-us-west-2a`. */
export function nameTag(prefix: string, ...parts: readonly string[]): { Name: string } {
    return { Name: [prefix, ...parts].join("-") };
}

/** `{a: 1, b: 2}` mapped by key, keeping key order (for per-AZ and per-tier records). */
export function mapRecord<K extends string, A, B>(record: Readonly<Record<K, A>>, f: (value: A, key: K) => B): Record<K, B> {
    const out = {} as Record<K, B>;
    for (const key of Object.keys(record) as K[]) {
        out[key] = f(record[key], key);
    }
    return out;
}

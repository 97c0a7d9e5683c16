// Plain-value IAM policy documents. Policy builders across the program are pure functions from ARN strings to
// these objects; resources serialise them with JSON.stringify inside the apply that supplies the ARNs.

export type Conditions = Readonly<Record<string, Readonly<Record<string, string | boolean | readonly string[]>>>>;

export type PrincipalSpec =
    | "*"
    | { readonly AWS: string | readonly string[] }
    | { readonly Service: string | readonly string[] }
    | { readonly Federated: string };

export interface Statement {
    readonly Sid: string;
    readonly Effect: "Allow" | "Deny";
    readonly Principal?: PrincipalSpec;
    /** Exactly one of Action and NotAction. NotAction (every action but these) only in Deny statements here. */
    readonly Action?: string | readonly string[];
    readonly NotAction?: string | readonly string[];
    /** Absent only in trust policies, where IAM forbids it. */
    readonly Resource?: string | readonly string[];
    readonly Condition?: Conditions;
}

export interface PolicyDocument {
    readonly Version: "2012-10-17";
    readonly Statement: readonly Statement[];
}

export function policy(...statements: Statement[]): PolicyDocument {
    return { Version: "2012-10-17", Statement: statements };
}

/** Action strings of a statement as an array (empty for a NotAction statement). */
export function actionsOf(statement: Statement): readonly string[] {
    return statement.Action === undefined ? [] : typeof statement.Action === "string" ? [statement.Action] : statement.Action;
}

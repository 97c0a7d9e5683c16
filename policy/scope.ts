// The account facts that pure policy documents are functions of. Kept apart from policy/account.ts (which looks them
// up through the AWS provider) so the policy builders, and a type check of them alone, never load the provider SDK.

/** Plain account facts that policy documents are functions of. */
export interface AccountScope {
    readonly accountId: string;
    readonly partition: string;
    readonly region: string;
}

// Every policy of the pack, one per file. Pure: importing them starts nothing (policy-pack/pack.ts wires them
// into the CrossGuard PolicyPack).
import { bucketsBlockAllPublicAccess } from "./bucketsBlockAllPublicAccess";
import { bucketsEncryptedWithKms } from "./bucketsEncryptedWithKms";
import { bucketsRequireTls } from "./bucketsRequireTls";
import { bucketsVersioned } from "./bucketsVersioned";
import { firewallPolicyStrictOrderDropDefault } from "./firewallPolicyStrictOrderDropDefault";
import { firewallRulesInAwsSuricataSubset } from "./firewallRulesInAwsSuricataSubset";
import { kmsKeysRotate } from "./kmsKeysRotate";
import { logGroupsEncryptedWithRetention } from "./logGroupsEncryptedWithRetention";
import { noWildcardAllows } from "./noWildcardAllows";
import { securityGroupIngressNotOpenToTheWorld } from "./securityGroupIngressNotOpenToTheWorld";
import type { Rule } from "./stack";
import { trainingHasNoRouteOffTheVpc } from "./trainingHasNoRouteOffTheVpc";
import { vpcDnsFilteredFailClosedAndLogged } from "./vpcDnsFilteredFailClosedAndLogged";
import { vpcEncryptionControlMonitorAndLogged } from "./vpcEncryptionControlMonitorAndLogged";

export type { Rule, StackResource, Violation } from "./stack";

export const RULES: readonly Rule[] = [
    securityGroupIngressNotOpenToTheWorld,
    bucketsBlockAllPublicAccess,
    bucketsEncryptedWithKms,
    bucketsVersioned,
    bucketsRequireTls,
    logGroupsEncryptedWithRetention,
    kmsKeysRotate,
    noWildcardAllows,
    firewallPolicyStrictOrderDropDefault,
    trainingHasNoRouteOffTheVpc,
    firewallRulesInAwsSuricataSubset,
    vpcDnsFilteredFailClosedAndLogged,
    vpcEncryptionControlMonitorAndLogged,
];

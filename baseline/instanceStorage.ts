// Instance families whose instances carry local instance-store volumes. SageMaker refuses a volume KMS key on them
// (SageMaker API Reference, ResourceConfig.VolumeKmsKeyId, TransformResources.VolumeKmsKeyId,
// CreateEndpointConfig.KmsKeyId: "Certain Nitro-based instances include local storage ... Local storage volumes are
// encrypted using a hardware module on the instance. You can't request a VolumeKmsKeyId when using an instance type
// with local storage"), so the SageMaker guard may require the stack key only on the other, EBS-backed, types.
//
// Source of the table: Amazon EC2 User Guide, "Instance types", "Summary of networking and storage features"
// (awsdocs/amazon-ec2-user-guide, doc_source/instance-types.md), every current-generation family whose "Instance
// store" column is NVMe, SSD or HDD; and the SageMaker Developer Guide, "Managing storage paths for different types
// of instance local storage": "ML instance families with the NVMe-type instance storage include ml.p4d, ml.g4dn,
// and ml.g5". SageMaker names an EC2 family <family> as ml.<family>.
//
// The accelerated families newer than that summary table, which AI training and hosting use most, come from the
// Amazon EC2 Instance Types guide, "Specifications for Amazon EC2 accelerated computing instances", "Instance store
// specifications" (every size of each family has NVMe SSD instance store volumes): P5 (p5.4xlarge, p5.48xlarge),
// P5e and P5en (p5e.48xlarge, p5en.48xlarge), G6 (g6.xlarge to g6.48xlarge), G6e (g6e.xlarge to g6e.48xlarge), Trn1n
// (trn1n.32xlarge) and Trn2 (trn2.48xlarge); the SageMaker API Reference lists them as ml.<type> instance types
// (ResourceConfig.InstanceType, ProductionVariantInstanceType). Families newer still are added per stack with
// secure-ai:baseline.localStorageInstanceFamilies, each checked against those specifications before it is listed.
export const LOCAL_STORAGE_FAMILIES: readonly string[] = [
    "c5ad", "c5d", "c6gd", "c6id", "d2", "d3", "d3en", "dl1", "f1", "g4ad", "g4dn", "g5", "g6", "g6e", "h1", "i3",
    "i3en", "i4i", "im4gn", "is4gen", "m5ad", "m5d", "m5dn", "m6gd", "m6id", "p3dn", "p4d", "p4de", "p5", "p5e", "p5en",
    "r5ad", "r5d", "r5dn", "r6gd", "r6id", "trn1", "trn1n", "trn2", "x1", "x1e", "x2gd", "x2idn", "x2iedn", "z1d",
];

/** A family name as the config accepts it: EC2's lower-case family (p5, trn1n, g6e), without "ml." or a size. */
export const FAMILY_PATTERN = /^[a-z][a-z0-9-]*[0-9][a-z0-9-]*$/;

/** IAM StringLike patterns of every SageMaker instance type of the families: ml.<family>.<any size>. */
export function localStorageInstanceTypePatterns(extraFamilies: readonly string[] = []): string[] {
    return [...new Set([...LOCAL_STORAGE_FAMILIES, ...extraFamilies])].sort().map((family) => `ml.${family}.*`);
}

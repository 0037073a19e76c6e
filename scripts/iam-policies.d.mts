export interface RecordedOperation {
  /** Scenarios of the test in which the bundle sent the operation. */
  sent: string[];
  /** For IAM-only requirements: the operations (`ecs:RegisterTaskDefinition`) that require it. */
  requiredBy: string[];
}
export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}
export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}
export declare const AWS_ACTIONS: string[];
export declare const OPERATIONS_FILE: string;
export declare const CATALOG: Record<string, { sid: string; resource: string; why: Record<string, string> }>;
export declare const ECR_PUSH: PolicyStatement[];
export declare function policyFor(action: string, operations: Record<string, RecordedOperation>): PolicyDocument;
export declare function policyFile(action: string): string;
export declare function readPolicy(action: string): PolicyDocument;
export declare function formatPolicy(policy: PolicyDocument): string;
export declare function renderPermissions(action: string, policy?: PolicyDocument): string;
export declare function renderReadme(action: string): { file: string; current: string; next: string };
export declare function combinedPolicy(
  actions: string[],
  scope?: { region?: string; account?: string; cluster?: string; family?: string; repository?: string; logGroup?: string; roles?: string[] },
): PolicyDocument;

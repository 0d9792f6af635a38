/** Reading synthesized templates in the CDK tests (test/lib): resources, policies, outputs. */
import type { Template } from 'aws-cdk-lib/assertions';

export type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;
export type Statement = { Action: string | string[]; Resource: unknown; Sid?: string; Condition?: unknown };

export const resourcesOf = (t: Template): Resources => t.toJSON().Resources as Resources;

/** How many resources of each type. */
export const countsOf = (t: Template): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const r of Object.values(resourcesOf(t))) counts[r.Type] = (counts[r.Type] ?? 0) + 1;
  return counts;
};

/** Every IAM statement of every policy of the template. */
export const statementsOf = (t: Template): Statement[] =>
  Object.values(t.findResources('AWS::IAM::Policy')).flatMap(
    (p) => p.Properties.PolicyDocument.Statement as Statement[],
  );

export const actionsOf = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);
export const outputsOf = (t: Template) => t.toJSON().Outputs as Record<string, { Value: unknown }>;

/** The logical id of the one resource of `type` whose id starts with `prefix`. */
export const idOf = (t: Template, type: string, prefix: string) =>
  Object.keys(t.findResources(type)).find((id) => id.startsWith(prefix)) ?? `no ${type} ${prefix}*`;

/** What the tests read of a function resource. */
export interface FunctionProperties {
  readonly ReservedConcurrentExecutions?: number;
  readonly Environment: { readonly Variables: Record<string, unknown> };
}

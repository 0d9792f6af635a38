/**
 * Every resource type of the organization's templates, and how the cost model treats it: priced
 * by the bill's items (their keys), or free at rest, with why. test/cost/org-resources.test.ts
 * reads the real templates: a type not listed here fails it, so nothing new goes unpriced.
 */

/** Priced by these bill items, or free with the reason. */
export type ResourceCost = { readonly items: readonly string[] } | { readonly free: string };

const IAM = 'IAM roles and policies cost nothing';

/** The StackSet's member template (an ordinary member's items, and a probe member's). */
export const MEMBER_RESOURCES: Readonly<Record<string, ResourceCost>> = {
  'AWS::Lambda::Function': { items: ['accountLambda', 'accountProbeLambda', 'lambda', 'sentinelLambda'] },
  'AWS::Logs::LogGroup': { items: ['accountLogs'] },
  'AWS::Scheduler::Schedule': { items: ['accountScheduler'] },
  'AWS::DynamoDB::GlobalTable': { items: ['memberDynamodb', 'memberStorage'] },
  'AWS::Bedrock::Guardrail': { items: ['accountProbeTokens'] },
  'AWS::Events::Rule': { items: ['memberEvents', 'memberTransfer'] },
  'AWS::Bedrock::GuardrailVersion': { free: 'a guardrail bills the text units it checks, not its versions' },
  'AWS::SQS::Queue': {
    free: 'dead-letter queues of the schedules and the forwarding rule: no consumer, a request only when a delivery failed',
  },
  'AWS::SQS::QueuePolicy': { free: 'a queue policy costs nothing' },
  'AWS::Lambda::EventInvokeConfig': { free: 'configuration of asynchronous invocations' },
  'AWS::IAM::Role': { free: IAM },
  'AWS::IAM::Policy': { free: IAM },
};

/** The organization's home template. */
export const HOME_RESOURCES: Readonly<Record<string, ResourceCost>> = {
  'AWS::CloudWatch::Alarm': { items: ['alarms'] },
  'AWS::CloudWatch::Dashboard': { items: ['dashboards'] },
  'AWS::KMS::Key': { items: ['kms'] },
  'AWS::Lambda::Function': { items: ['homeLambda', 'orgLambda', 'widget', 'orgWidget'] },
  'AWS::Logs::LogGroup': { items: ['homeLogs', 'orgLogs'] },
  'AWS::Scheduler::Schedule': { items: ['scheduler'] },
  'AWS::DynamoDB::GlobalTable': { items: ['orgDynamodb', 'orgStorage', 'watchReads', 'staleWatchReads'] },
  'AWS::SNS::Topic': { items: ['notifications'] },
  'AWS::Events::EventBus': { items: ['orgBus'] },
  'AWS::SQS::Queue': { items: ['orgInbox'] },
  'AWS::Lambda::EventSourceMapping': { items: ['orgInbox'] },
  'AWS::CloudFormation::StackSet': { free: 'StackSets of AWS resource types cost nothing' },
  'AWS::Events::EventBusPolicy': { free: 'a bus policy costs nothing' },
  'AWS::Events::Rule': {
    free: "a rule costs nothing; the events it puts in the inbox are the inbox's sends",
  },
  'AWS::SQS::QueuePolicy': { free: 'a queue policy costs nothing' },
  'AWS::SNS::TopicPolicy': { free: 'a topic policy costs nothing' },
  'AWS::SNS::Subscription': { free: 'alert e-mail, not counted' },
  'AWS::Lambda::EventInvokeConfig': { free: 'configuration of asynchronous invocations' },
  'AWS::IAM::Role': { free: IAM },
  'AWS::IAM::Policy': { free: IAM },
};

/** `type: reason` of the free types of `resources`, for the text output. */
export const freeLines = (resources: Readonly<Record<string, ResourceCost>>): string[] =>
  Object.entries(resources).flatMap(([type, c]) => ('free' in c ? [`${type}: ${c.free}`] : []));

/**
 * What a synthesized CloudFormation template holds that costs money, counted from its resources.
 * Pure: a template (as `cdk synth` writes it) in, counts out. Any stack shape is read the same
 * way, so a new shape (a home stack, a region stack) is priced without touching this file.
 */

type Json = Record<string, unknown>;

interface Resource {
  readonly Type: string;
  readonly Properties?: Json;
  /** The template condition the resource exists under (a StackSet member's probe-only schedules). */
  readonly Condition?: string;
}

export interface CloudFormationTemplate {
  readonly Resources?: Readonly<Record<string, Resource>>;
}

/** One schedule of a function. */
export interface ScheduleShape {
  /** EventBridge Scheduler expression, `rate(...)` or `cron(...)`. */
  readonly expression: string;
  /**
   * The `kind` its ticks send (a prober's `sweep` or `sentinel`, lambda/shared/names.ts RUN_KINDS),
   * undefined when the input has none.
   */
  readonly kind: string | undefined;
  /**
   * The template condition the schedule exists under, undefined when it always does (a member
   * template's sweep and sentinel exist only where the account probes the region's facts).
   */
  readonly condition?: string;
}

/** A scheduled function: what one run costs depends on it. */
export interface ScheduledFunction {
  readonly logicalId: string;
  /** EventBridge Scheduler expression, `rate(...)` or `cron(...)`. */
  readonly schedule: string;
  /** The `kind` the schedule's ticks send, if any. */
  readonly kind: string | undefined;
  /** The template condition the schedule exists under, if any. */
  readonly condition?: string;
  readonly memoryMb: number;
  readonly architecture: 'arm64' | 'x86_64';
  /** The function's environment, tokens written as `null`. */
  readonly environment: Readonly<Record<string, string | null>>;
  /** Retention of the function's own log group in days; undefined = never expires. */
  readonly logRetentionDays: number | undefined;
}

/** Any Lambda function of the stack, and what invokes it. */
export interface FunctionShape {
  readonly logicalId: string;
  readonly memoryMb: number;
  readonly architecture: 'arm64' | 'x86_64';
  /** The function's environment, tokens written as `null`. */
  readonly environment: Readonly<Record<string, string | null>>;
  /** Retention of the function's own log group in days; undefined = never expires. */
  readonly logRetentionDays: number | undefined;
  /** The schedules that invoke it. */
  readonly schedules: readonly ScheduleShape[];
  /** Event source mappings (a table stream, a queue) that invoke it. */
  readonly eventSources: number;
  /** The event source mappings that read an SQS queue (an organization home's inbox). */
  readonly queueSources: readonly QueueSourceShape[];
}

/** An event source mapping reading an SQS queue: Lambda's pollers receive, invoke in batches, delete. */
export interface QueueSourceShape {
  /** The queue's logical id. */
  readonly queue: string;
  /** Messages an invocation takes at most (CloudFormation's default for a queue: 10). */
  readonly batchSize: number;
  /** Seconds a poller gathers a batch before it invokes (MaximumBatchingWindowInSeconds, default 0). */
  readonly batchingWindowSeconds: number;
}

export interface StackShape {
  readonly alarms: {
    /** Metrics read by standard-resolution alarms (a metric-math alarm counts each metric it reads). */
    readonly standardMetrics: number;
    readonly highResolutionMetrics: number;
    readonly composite: number;
  };
  readonly dashboards: number;
  readonly kmsKeys: number;
  readonly scheduled: readonly ScheduledFunction[];
  /** Every Lambda function, scheduled or not. */
  readonly functions: readonly FunctionShape[];
  /** Paid guardrail policies (`content`, `topic`, `sensitiveInformation`, `contextualGrounding`). */
  readonly paidGuardrailPolicies: readonly string[];
  /** The metric names the alarms read, one per alarm metric (a metric-math alarm lists each). */
  readonly alarmedMetrics: readonly string[];
  /** DynamoDB tables, and whether point-in-time recovery is on for each. */
  readonly tables: readonly { readonly logicalId: string; readonly pointInTimeRecovery: boolean }[];
}

const PAID_GUARDRAIL_POLICIES: Readonly<Record<string, string>> = {
  ContentPolicyConfig: 'content',
  TopicPolicyConfig: 'topic',
  SensitiveInformationPolicyConfig: 'sensitiveInformation',
  ContextualGroundingPolicyConfig: 'contextualGrounding',
};

/** Counts what is billed in `template`. */
export function readStackShape(template: CloudFormationTemplate): StackShape {
  const resources = Object.entries(template.Resources ?? {});
  const ofType = (type: string) => resources.filter(([, r]) => r.Type === type);
  const alarms = { standardMetrics: 0, highResolutionMetrics: 0, composite: 0 };
  const alarmedMetrics: string[] = [];
  for (const [, alarm] of ofType('AWS::CloudWatch::Alarm')) {
    const p = alarm.Properties ?? {};
    const metrics = Array.isArray(p.Metrics) ? (p.Metrics as Json[]) : undefined;
    const stats = metrics ? metrics.filter((m) => m.MetricStat !== undefined) : [p];
    for (const stat of stats) {
      const period = Number((stat.MetricStat as Json | undefined)?.Period ?? stat.Period ?? 60);
      if (period < 60) alarms.highResolutionMetrics += 1;
      else alarms.standardMetrics += 1;
      const name =
        ((stat.MetricStat as Json | undefined)?.Metric as Json | undefined)?.MetricName ?? stat.MetricName;
      if (typeof name === 'string') alarmedMetrics.push(name);
    }
  }
  alarms.composite = ofType('AWS::CloudWatch::CompositeAlarm').length;

  const byId = new Map(resources);
  const scheduled = ofType('AWS::Scheduler::Schedule').flatMap(([, resource]) => {
    const p = resource.Properties ?? {};
    const logicalId = getAttTarget((p.Target as Json | undefined)?.Arn);
    const fn = logicalId ? byId.get(logicalId) : undefined;
    if (!logicalId || fn?.Type !== 'AWS::Lambda::Function') return [];
    const { expression: schedule, ...rest } = scheduleOf(resource);
    return [{ ...scheduledFunction(logicalId, fn.Properties ?? {}, byId), schedule, ...rest }];
  });

  const paidGuardrailPolicies = ofType('AWS::Bedrock::Guardrail').flatMap(([, g]) =>
    Object.keys(g.Properties ?? {}).flatMap((k) => {
      const policy = PAID_GUARDRAIL_POLICIES[k];
      return policy ? [policy] : [];
    }),
  );
  const tables = [...ofType('AWS::DynamoDB::GlobalTable'), ...ofType('AWS::DynamoDB::Table')].map(
    ([logicalId, t]) => ({ logicalId, pointInTimeRecovery: hasPitr(t.Properties ?? {}) }),
  );

  const schedulesOf = (logicalId: string) =>
    ofType('AWS::Scheduler::Schedule')
      .filter(([, sc]) => getAttTarget((sc.Properties?.Target as Json | undefined)?.Arn) === logicalId)
      .map(([, sc]) => scheduleOf(sc));
  const mappings = ofType('AWS::Lambda::EventSourceMapping');
  const functions = ofType('AWS::Lambda::Function').map(([logicalId, fn]): FunctionShape => {
    const { logicalId: _, ...common } = scheduledFunction(logicalId, fn.Properties ?? {}, byId);
    return {
      logicalId,
      ...common,
      schedules: schedulesOf(logicalId),
      eventSources: mappings.filter(([, m]) => refTarget(m.Properties?.FunctionName) === logicalId).length,
      queueSources: mappings.flatMap(([, m]): QueueSourceShape[] => {
        const p = m.Properties ?? {};
        const queue = getAttTarget(p.EventSourceArn);
        if (refTarget(p.FunctionName) !== logicalId || !queue || byId.get(queue)?.Type !== 'AWS::SQS::Queue')
          return [];
        return [
          {
            queue,
            batchSize: Number(p.BatchSize ?? 10),
            batchingWindowSeconds: Number(p.MaximumBatchingWindowInSeconds ?? 0),
          },
        ];
      }),
    };
  });

  return {
    alarms,
    dashboards: ofType('AWS::CloudWatch::Dashboard').length,
    kmsKeys: ofType('AWS::KMS::Key').length,
    scheduled,
    functions,
    paidGuardrailPolicies,
    alarmedMetrics,
    tables,
  };
}

/**
 * The shape as deployed where template condition `name` is `holds`: without it, the schedules
 * under that condition do not exist. Other conditions are left as they are.
 */
export function withCondition(shape: StackShape, name: string, holds: boolean): StackShape {
  if (holds) return shape;
  return {
    ...shape,
    functions: shape.functions.map((fn) => ({
      ...fn,
      schedules: fn.schedules.filter((s) => s.condition !== name),
    })),
    scheduled: shape.scheduled.filter((s) => s.condition !== name),
  };
}

/** A schedule's expression, the `kind` of its input (a JSON string in the template) and its condition. */
function scheduleOf(schedule: Resource): ScheduleShape {
  const p = schedule.Properties ?? {};
  const input = (p.Target as Json | undefined)?.Input;
  let kind: unknown;
  try {
    kind = typeof input === 'string' ? (JSON.parse(input) as Json).kind : undefined;
  } catch {
    kind = undefined;
  }
  return {
    expression: String(p.ScheduleExpression),
    kind: typeof kind === 'string' ? kind : undefined,
    ...(schedule.Condition === undefined ? {} : { condition: schedule.Condition }),
  };
}

function scheduledFunction(
  logicalId: string,
  p: Json,
  byId: ReadonlyMap<string, Resource>,
): Omit<ScheduledFunction, 'schedule' | 'kind'> {
  const variables = ((p.Environment as Json | undefined)?.Variables ?? {}) as Json;
  const logGroupId = refTarget((p.LoggingConfig as Json | undefined)?.LogGroup);
  const retention = logGroupId ? byId.get(logGroupId)?.Properties?.RetentionInDays : undefined;
  return {
    logicalId,
    // CloudFormation's own defaults when a property is absent.
    memoryMb: Number(p.MemorySize ?? 128),
    architecture: (p.Architectures as string[] | undefined)?.[0] === 'arm64' ? 'arm64' : 'x86_64',
    environment: Object.fromEntries(
      Object.entries(variables).map(([k, v]) => [k, typeof v === 'string' ? v : null]),
    ),
    logRetentionDays: retention === undefined ? undefined : Number(retention),
  };
}

/** Point-in-time recovery, on a `GlobalTable` (per replica) or a `Table`. */
function hasPitr(p: Json): boolean {
  const spec = (x: unknown) =>
    (x as Json | undefined)?.PointInTimeRecoveryEnabled === true ||
    (x as Json | undefined)?.PointInTimeRecoveryEnabled === 'true';
  if (spec(p.PointInTimeRecoverySpecification)) return true;
  const replicas = Array.isArray(p.Replicas) ? (p.Replicas as Json[]) : [];
  return replicas.some((r) => spec(r.PointInTimeRecoverySpecification));
}

const getAttTarget = (value: unknown): string | undefined => {
  const att = (value as Json | undefined)?.['Fn::GetAtt'];
  return Array.isArray(att) && typeof att[0] === 'string' ? att[0] : undefined;
};

const refTarget = (value: unknown): string | undefined => {
  const ref = (value as Json | undefined)?.Ref;
  return typeof ref === 'string' ? ref : undefined;
};

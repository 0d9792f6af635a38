/**
 * Every call the prober Lambda makes, each with the IAM action(s) that authorise it and the kind
 * of resource they are granted on. The prober's policy is built from this list (prober-function.ts)
 * and a test scans lambda/ for the calls and fails when a call has no entry or an entry no call,
 * so the role can neither miss a permission nor keep one nobody uses. Sources per action:
 * docs/bedrock-wire.md "Prober IAM".
 */

/** What a granted action is scoped to; prober-function.ts turns each kind into ARNs. */
export type ResourceKind =
  /** Foundation models in every region, region-less (`global.`), and this region's profiles. */
  | 'models'
  /** Runtime's `default` project, where runtime Responses run and are stored. */
  | 'runtime-project'
  /** The stack's probe Guardrail. */
  | 'guardrail'
  /** Mantle projects of this account and region. */
  | 'mantle-project'
  /** Actions without resource-level permissions. */
  | 'any'
  /** The results table (no index is used). */
  | 'table'
  /** PutMetricData, limited to the namespace by condition (the home function's, never a region's). */
  | 'metrics'
  /** The default event bus of the home region, limited to the source by condition (the home function's). */
  | 'event-bus'
  /** GetFoundationModelAvailability: reads the calling account, no resource-level permission (an organization member's). */
  | 'account-facts'
  /** Organizations' account and OU reads (an organization home's). */
  | 'organizations';

/**
 * Kinds whose calls only the home function makes (lib/home-function.ts): notifying happens at home,
 * once, so a region's prober is granted none of them (lib/prober-function.ts leaves them out).
 */
export const HOME_ONLY_KINDS: ReadonlySet<ResourceKind> = new Set<ResourceKind>(['metrics', 'event-bus']);

/** Kinds only an organization's member is granted (lib/org/member-function.ts): its account facts. */
export const MEMBER_ONLY_KINDS: ReadonlySet<ResourceKind> = new Set<ResourceKind>(['account-facts']);

/** Kinds only an organization's home function is granted: account names and OUs. */
export const ORG_HOME_KINDS: ReadonlySet<ResourceKind> = new Set<ResourceKind>(['organizations']);

/** A region's prober (and a member's, whose own kinds are added to it) takes every other kind. */
export const isProberKind = (kind: ResourceKind): boolean =>
  !HOME_ONLY_KINDS.has(kind) && !MEMBER_ONLY_KINDS.has(kind) && !ORG_HOME_KINDS.has(kind);

export interface ProberCall {
  /**
   * How the call shows in the source: an AWS SDK command class (`ConverseCommand`), or an SDK
   * method of the openai / Anthropic clients (`responses.retrieve`), or the token generator.
   */
  readonly call: string;
  /** The wire operation, for people: `POST /v1/responses`, `bedrock-runtime Converse`. */
  readonly operation: string;
  readonly actions: readonly string[];
  readonly resources: readonly ResourceKind[];
  /**
   * A call another change is adding right now: granted ahead, and tolerated while the scan does
   * not find it yet. The test lists these by name so the exception cannot grow silently.
   */
  readonly future?: true;
  /** A call in lambda/ that only the CLI makes (with the user's own credentials): no grant. */
  readonly cliOnly?: true;
}

const entry = (
  call: string,
  operation: string,
  actions: readonly string[],
  resources: readonly ResourceKind[],
): ProberCall => ({ call, operation, actions, resources });

/**
 * The calls, grouped by host. SNS Publish is granted (to the home function only) by
 * `Topic.grantPublish` (with its KMS key).
 */
export const PROBER_CALLS: readonly ProberCall[] = [
  // bedrock-runtime, native apis. Converse authorises as InvokeModel (no separate action).
  entry('ConverseCommand', 'POST /model/{id}/converse', ['bedrock:InvokeModel'], ['models']),
  entry(
    'ConverseStreamCommand',
    'POST /model/{id}/converse-stream',
    ['bedrock:InvokeModelWithResponseStream'],
    ['models'],
  ),
  entry('InvokeModelCommand', 'POST /model/{id}/invoke', ['bedrock:InvokeModel'], ['models']),
  entry(
    'InvokeModelWithResponseStreamCommand',
    'POST /model/{id}/invoke-with-response-stream',
    ['bedrock:InvokeModelWithResponseStream'],
    ['models'],
  ),
  entry(
    'ApplyGuardrailCommand',
    'POST /guardrail/{id}/version/{v}/apply',
    ['bedrock:ApplyGuardrail'],
    ['guardrail'],
  ),
  // OpenAI-compatible and Messages paths: one code path serves both hosts, so each SDK method
  // carries the actions of runtime (bedrock:*) and mantle (bedrock-mantle:*).
  {
    call: 'chat.completions.create',
    operation: 'POST /openai/v1/chat/completions (runtime); POST /v1|/openai/v1/chat/completions (mantle)',
    actions: [
      'bedrock:InvokeModel',
      'bedrock:InvokeModelWithResponseStream',
      'bedrock-mantle:CreateInference',
    ],
    resources: ['models', 'mantle-project'],
  },
  {
    call: 'responses.create',
    operation: 'POST /openai/v1/responses (runtime, default project); POST /v1|/openai/v1/responses (mantle)',
    actions: [
      'bedrock:InvokeModel',
      'bedrock:InvokeModelWithResponseStream',
      'bedrock-mantle:CreateInference',
    ],
    resources: ['models', 'runtime-project', 'mantle-project'],
  },
  {
    call: 'responses.retrieve',
    operation: 'GET /openai/v1/responses/{id} (runtime); GET /v1|/openai/v1/responses/{id} (mantle)',
    actions: ['bedrock:GetInvoke', 'bedrock-mantle:GetInference'],
    resources: ['runtime-project', 'mantle-project'],
  },
  {
    call: 'messages.create',
    operation: 'POST /anthropic/v1/messages (both hosts)',
    actions: [
      'bedrock:InvokeModel',
      'bedrock:InvokeModelWithResponseStream',
      'bedrock-mantle:CreateInference',
    ],
    resources: ['models', 'mantle-project'],
  },
  {
    // The catalog reads the raw GET (not the SDK's pager) so an answer that is no model list is seen.
    call: 'GET /models',
    operation: 'GET /v1/models, GET /openai/v1/models (mantle)',
    actions: ['bedrock-mantle:ListModels'],
    resources: ['mantle-project'],
  },
  {
    call: 'models.retrieve',
    operation: 'GET /v1/models/{id} (mantle)',
    actions: ['bedrock-mantle:GetModel'],
    resources: ['mantle-project'],
    future: true,
  },
  {
    call: 'getToken',
    operation: 'short-term bearer token for the OpenAI-compatible and Messages paths',
    actions: ['bedrock:CallWithBearerToken', 'bedrock-mantle:CallWithBearerToken'],
    resources: ['any'],
  },
  // Bedrock control plane.
  entry('ListFoundationModelsCommand', 'GET /foundation-models', ['bedrock:ListFoundationModels'], ['any']),
  entry(
    'ListInferenceProfilesCommand',
    'GET /inference-profiles',
    ['bedrock:ListInferenceProfiles'],
    ['any'],
  ),
  entry('GetGuardrailCommand', 'GET /guardrails/{id}', ['bedrock:GetGuardrail'], ['guardrail']),
  entry(
    'ListEnforcedGuardrailsConfigurationCommand',
    'GET /enforcedGuardrailsConfiguration',
    ['bedrock:ListEnforcedGuardrailsConfiguration'],
    ['any'],
  ),
  // The results table: exactly the operations of the store (the lease item included).
  entry('QueryCommand', 'DynamoDB Query', ['dynamodb:Query'], ['table']),
  entry('BatchWriteCommand', 'DynamoDB BatchWriteItem', ['dynamodb:BatchWriteItem'], ['table']),
  entry('PutCommand', 'DynamoDB PutItem', ['dynamodb:PutItem'], ['table']),
  entry('DeleteCommand', 'DynamoDB DeleteItem', ['dynamodb:DeleteItem'], ['table']),
  // The CLI creates the table when absent (`--store dynamodb`); the stack's table already exists.
  {
    call: 'DescribeTableCommand',
    operation: 'DynamoDB DescribeTable',
    actions: [],
    resources: [],
    cliOnly: true,
  },
  {
    call: 'CreateTableCommand',
    operation: 'DynamoDB CreateTable',
    actions: [],
    resources: [],
    cliOnly: true,
  },
  {
    call: 'UpdateTimeToLiveCommand',
    operation: 'DynamoDB UpdateTimeToLive',
    actions: [],
    resources: [],
    cliOnly: true,
  },
  entry('PutMetricDataCommand', 'CloudWatch PutMetricData', ['cloudwatch:PutMetricData'], ['metrics']),
  entry(
    'PutEventsCommand',
    'EventBridge PutEvents (one event per change)',
    ['events:PutEvents'],
    ['event-bus'],
  ),
  entry(
    'GetFoundationModelAvailabilityCommand',
    'GET /foundation-model-availability/{id}',
    ['bedrock:GetFoundationModelAvailability'],
    ['account-facts'],
  ),
  entry(
    'ListAccountsCommand',
    'Organizations ListAccounts',
    ['organizations:ListAccounts'],
    ['organizations'],
  ),
  entry(
    'DescribeOrganizationalUnitCommand',
    'Organizations DescribeOrganizationalUnit',
    ['organizations:DescribeOrganizationalUnit'],
    ['organizations'],
  ),
  entry(
    'ListAccountsForParentCommand',
    'Organizations ListAccountsForParent',
    ['organizations:ListAccountsForParent'],
    ['organizations'],
  ),
  // Granted by Topic.grantPublish on the alerts topic, which also grants the key's data-key actions.
  { call: 'PublishCommand', operation: 'SNS Publish', actions: ['sns:Publish'], resources: [] },
];

/**
 * Actions granted with no call of their own, each with its reason. The test holds this list to
 * exactly these names.
 */
export const UNCALLED_GRANTS: Readonly<Record<string, string>> = {
  'bedrock-mantle:GetProject':
    'Granted as in the managed policy AmazonBedrockMantleInferenceAccess: mantle resolves the project of every call (the default project when none is named).',
  'bedrock-mantle:ListProjects':
    'Granted as in the managed policy AmazonBedrockMantleInferenceAccess, alongside GetProject.',
};

/** Opt-in grants (context `subscribeModels`): the first call to a third-party model subscribes. */
export const MARKETPLACE_ACTIONS: readonly string[] = [
  'aws-marketplace:Subscribe',
  'aws-marketplace:ViewSubscriptions',
];

/** Granted actions per resource kind, sorted, from the calls and the reasoned extras. */
export const actionsByResource = (): ReadonlyMap<ResourceKind, readonly string[]> => {
  const byKind = new Map<ResourceKind, Set<string>>();
  const add = (kind: ResourceKind, action: string): void => {
    const set = byKind.get(kind) ?? new Set<string>();
    set.add(action);
    byKind.set(kind, set);
  };
  for (const call of PROBER_CALLS) {
    for (const action of call.actions) {
      // Each action is granted on the kinds of its own service: bedrock-mantle:* on mantle projects,
      // everything else on the non-mantle kinds of the call.
      const mantle = action.startsWith('bedrock-mantle:');
      for (const kind of call.resources) {
        if (kind === 'any' || (kind === 'mantle-project') === mantle) add(kind, action);
      }
    }
  }
  for (const action of Object.keys(UNCALLED_GRANTS)) add('mantle-project', action);
  return new Map([...byKind].map(([kind, set]) => [kind, [...set].sort()]));
};

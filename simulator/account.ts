/**
 * Which AWS account a call is for, told from the request alone, as region.ts tells the region:
 * the access key id in the credential scope (SigV4 `Credential=<AKID>/...`, or the presigned URL
 * a short-term API key encodes) is looked up in the scenario's `accounts`. The account facts
 * (access, an SCP or IAM deny, enforced guardrails) live here so every host reads one answer.
 */
import { requestScope } from './region';
import type { Scenario, ScenarioAccount, ScenarioEnforcedGuardrail } from './types';

/** The account a scenario without `defaultAccount` answers as (the ARNs the simulator always used). */
export const DEFAULT_SIM_ACCOUNT = '123456789012';

/** The account of a scenario whose requests name no known access key. */
export const defaultAccount = (scenario: Scenario): string => scenario.defaultAccount ?? DEFAULT_SIM_ACCOUNT;

/**
 * The account a request is answered as. A request whose account cannot be told (a long-term key,
 * no credentials, an access key no account of the scenario names) is the scenario's default
 * account: never a guess per model, so one caller always sees one account.
 */
export function answeredAccount(
  scenario: Scenario,
  headers: Readonly<Record<string, string | undefined>>,
): string {
  const accessKeyId = requestScope(headers)?.accessKeyId;
  if (accessKeyId !== undefined) {
    for (const [id, account] of Object.entries(scenario.accounts ?? {})) {
      if (account.accessKeyIds.includes(accessKeyId)) return id;
    }
  }
  return defaultAccount(scenario);
}

const NO_FACTS: ScenarioAccount = { accessKeyIds: [] };

/** An account's facts; an account the scenario does not name has none (it behaves as before accounts). */
export const accountFacts = (scenario: Scenario, account: string): ScenarioAccount =>
  scenario.accounts?.[account] ?? NO_FACTS;

/** What an account's callers meet when they call a model, before any api or feature check. */
export type AccountAccess = 'granted' | 'without-access' | 'denied';

/** How `account` may use the model `key`: an explicit deny wins over missing access, as in IAM. */
export function accountAccess(scenario: Scenario, account: string, key: string): AccountAccess {
  const facts = accountFacts(scenario, account);
  if (facts.denied?.includes(key)) return 'denied';
  if (facts.withoutAccess?.includes(key)) return 'without-access';
  return 'granted';
}

/** The account's ListEnforcedGuardrailsConfiguration answer: its own, else the scenario's. */
export const enforcedGuardrailsOf = (
  scenario: Scenario,
  account: string,
): readonly ScenarioEnforcedGuardrail[] =>
  accountFacts(scenario, account).enforcedGuardrails ?? scenario.enforcedGuardrails ?? [];

/**
 * The scenario's `accounts` and `defaultAccount`: how simulated AWS accounts differ (account.ts
 * answers each request as one of them), and the enforced-guardrail lists the scenario and each
 * account give. Model keys are checked against the scenario's own models.
 */
import type { ScenarioAccount, ScenarioEnforcedGuardrail, ScenarioModel } from './types';
import type { Validator } from './validate';

/** An AWS account id is 12 digits. https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-identifiers.html */
const ACCOUNT_ID = /^\d{12}$/;
/** IAM's AccessKeyId pattern is `[\w]+` (https://docs.aws.amazon.com/IAM/latest/APIReference/API_AccessKey.html). */
const ACCESS_KEY_ID = /^\w+$/;

export function parseAccountId(v: Validator, value: unknown, path: string): string {
  const id = v.string(value, path);
  if (!ACCOUNT_ID.test(id)) v.fail(path, 'must be a 12-digit AWS account id', id);
  return id;
}

export function parseAccounts(
  v: Validator,
  value: unknown,
  models: readonly ScenarioModel[],
): Record<string, ScenarioAccount> {
  const obj = v.object(value, 'accounts', null);
  const keys = new Set(models.map((m) => m.key));
  /** Access key id -> the account that already claimed it: one key signs for one account. */
  const owners = new Map<string, string>();
  const out: Record<string, ScenarioAccount> = {};
  for (const [id, spec] of Object.entries(obj)) {
    const path = `accounts.${id}`;
    parseAccountId(v, id, path);
    const a = v.object(spec, path, [
      'accessKeyIds',
      'withoutAccess',
      'denied',
      'enforcedGuardrails',
      'name',
      'ou',
    ]);
    const accessKeyIds = v.array(a.accessKeyIds, `${path}.accessKeyIds`).map((k, i) => {
      const at = `${path}.accessKeyIds[${i}]`;
      const key = v.string(k, at);
      if (!ACCESS_KEY_ID.test(key)) v.fail(at, 'must be an access key id (letters, digits, _)', key);
      const owner = owners.get(key);
      if (owner !== undefined) v.fail(at, `already an access key of account ${owner}`, key);
      owners.set(key, id);
      return key;
    });
    if (accessKeyIds.length === 0) v.fail(`${path}.accessKeyIds`, 'needs at least one access key id', []);
    const modelKeys = (x: unknown, name: string) => {
      if (x === undefined) return undefined;
      const list = v.array(x, `${path}.${name}`).map((m, i) => {
        const key = v.string(m, `${path}.${name}[${i}]`);
        if (!keys.has(key)) v.fail(`${path}.${name}[${i}]`, 'not a model key of this scenario', key);
        return key;
      });
      v.unique(list, `${path}.${name}`, null);
      return list;
    };
    const withoutAccess = modelKeys(a.withoutAccess, 'withoutAccess');
    const denied = modelKeys(a.denied, 'denied');
    const enforcedGuardrails =
      a.enforcedGuardrails === undefined
        ? undefined
        : parseEnforcedGuardrails(v, a.enforcedGuardrails, `${path}.enforcedGuardrails`);
    const name = a.name === undefined ? undefined : v.string(a.name, `${path}.name`);
    const ou = a.ou === undefined ? undefined : v.string(a.ou, `${path}.ou`);
    out[id] = {
      accessKeyIds,
      ...(name !== undefined && { name }),
      ...(ou !== undefined && { ou }),
      ...(withoutAccess !== undefined && { withoutAccess }),
      ...(denied !== undefined && { denied }),
      ...(enforcedGuardrails !== undefined && { enforcedGuardrails }),
    };
  }
  return out;
}

/** A ListEnforcedGuardrailsConfiguration answer: the scenario's, or one account's. */
export function parseEnforcedGuardrails(
  v: Validator,
  value: unknown,
  at: string,
): ScenarioEnforcedGuardrail[] {
  return v.array(value, at).map((e, i) => {
    const path = `${at}[${i}]`;
    const o = v.object(e, path, ['guardrailId', 'guardrailVersion', 'includedModels', 'excludedModels']);
    const list = (x: unknown, name: string) =>
      x === undefined
        ? undefined
        : v.array(x, `${path}.${name}`).map((m, j) => v.string(m, `${path}.${name}[${j}]`));
    const includedModels = list(o.includedModels, 'includedModels');
    const excludedModels = list(o.excludedModels, 'excludedModels');
    return {
      guardrailId: v.string(o.guardrailId, `${path}.guardrailId`),
      guardrailVersion: v.string(o.guardrailVersion, `${path}.guardrailVersion`),
      ...(includedModels !== undefined && { includedModels }),
      ...(excludedModels !== undefined && { excludedModels }),
    };
  });
}

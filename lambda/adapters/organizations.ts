/**
 * Account names and OUs from AWS Organizations, read at the organization's home (the delegated
 * administrator may call these): ListAccounts for every name, and for each target OU its name
 * (DescribeOrganizationalUnit) and its direct accounts (ListAccountsForParent). An account in a
 * child OU of a target is named, with its OU left unknown. Every page is bounded.
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccounts.html
 */
import {
  DescribeOrganizationalUnitCommand,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import type { OrgAccount } from '../core/org/types';
import { bounded } from './bounded';

/** Pages read at most per listing: a loop guard (20 pages of 20 is 400 accounts a listing). */
const MAX_PAGES = 50;

export async function listOrgAccounts(
  client: OrganizationsClient,
  organizationalUnits: readonly string[],
  timeoutMs: number,
): Promise<OrgAccount[]> {
  const names = new Map<string, string>();
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await bounded('Organizations ListAccounts', timeoutMs, (abortSignal) =>
      client.send(new ListAccountsCommand({ NextToken: token }), { abortSignal }),
    );
    for (const a of answer.Accounts ?? []) if (a.Id) names.set(a.Id, a.Name ?? a.Id);
    token = answer.NextToken;
    if (!token) break;
  }
  const ouOf = new Map<string, { id: string; name: string }>();
  for (const ou of organizationalUnits) {
    const described = await bounded('Organizations DescribeOrganizationalUnit', timeoutMs, (abortSignal) =>
      client.send(new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: ou }), { abortSignal }),
    ).catch(() => null);
    const name = described?.OrganizationalUnit?.Name ?? ou;
    let next: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const answer = await bounded('Organizations ListAccountsForParent', timeoutMs, (abortSignal) =>
        client.send(new ListAccountsForParentCommand({ ParentId: ou, NextToken: next }), { abortSignal }),
      );
      for (const a of answer.Accounts ?? []) if (a.Id) ouOf.set(a.Id, { id: ou, name });
      next = answer.NextToken;
      if (!next) break;
    }
  }
  return [...names]
    .map(([id, name]) => ({ id, name, ou: ouOf.get(id) ?? null }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readMeasurement } from '../../cost/main';
import { costOfOrgApp } from '../../cost/org-app';
import { probeMembersOf, regionFactAccounts } from '../../cost/org-config';
import { ConfigError } from '../../lib/config';
import { parseOrgConfig } from '../../lib/org/org-config';

const config = (over: Record<string, unknown> = {}) =>
  parseOrgConfig(
    {
      organizationId: 'o-a1b2c3d4e5',
      home: { account: '123456789012', region: 'us-east-1' },
      targets: { organizationalUnitIds: ['ou-ab12-cdef3456'], regions: ['us-east-1', 'eu-west-1'] },
      probeAccounts: { 'us-east-1': '111111111111', 'eu-west-1': '222222222222' },
      fullMatrixAccounts: ['333333333333'],
      ...over,
    },
    'org.json',
  );

describe("the cost model's count of an organization configuration", () => {
  it('counts who measures region facts: each region has its probe account and the full-matrix account', () => {
    // Act
    const org = config();

    // Assess: 2 probe members a region.
    expect(probeMembersOf(org)).toBe(4);
    expect([...regionFactAccounts(org)]).toEqual(['111111111111', '222222222222', '333333333333']);
  });

  it('counts a full-matrix account that is also a probe account once in its region', () => {
    // Act
    const org = config({ fullMatrixAccounts: ['111111111111'] });

    // Assess: us-east-1 has one (111...), eu-west-1 two (222..., 111...).
    expect(probeMembersOf(org)).toBe(3);
  });

  it("refuses a bad organization file with the CDK app's own one line, before any synth", () => {
    // Prepare: the CDK app's reader names the file and the key; the cost model has no reader of its own.
    const dir = mkdtempSync(join(tmpdir(), 'bedrock-matrix-org-cost-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'org.json');
    writeFileSync(file, JSON.stringify({ organizationId: 'o-a1b2c3d4e5', home: { region: 'us-east-1' } }));

    // Act
    const act = () => costOfOrgApp(readMeasurement(), { org: file }, 30);

    // Assess
    expect(act).toThrow(ConfigError);
    expect(act).toThrow(
      `Invalid org config ${file}: "home.account" undefined is not an AWS account id (12 digits, as a string)`,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { parseOrgCostConfig, probeMembersOf, regionFactAccounts } from '../../cost/org-config';

const config = (over: Record<string, unknown> = {}) => ({
  organizationId: 'o-a1b2c3d4e5',
  home: { account: '123456789012', region: 'us-east-1' },
  targets: { organizationalUnitIds: ['ou-ab12-cdef3456'], regions: ['us-east-1', 'eu-west-1'] },
  probeAccounts: { 'us-east-1': '111111111111', 'eu-west-1': '222222222222' },
  fullMatrixAccounts: ['333333333333'],
  ...over,
});

describe("the cost model's reading of an organization configuration", () => {
  it('reads the home region, the target regions and who measures region facts', () => {
    // Act
    const org = parseOrgCostConfig(config());

    // Assess: each region has its probe account and the full-matrix account: 2 probe members a region.
    expect(org).toEqual({
      homeRegion: 'us-east-1',
      regions: ['us-east-1', 'eu-west-1'],
      probeAccounts: { 'us-east-1': '111111111111', 'eu-west-1': '222222222222' },
      fullMatrixAccounts: ['333333333333'],
    });
    expect(probeMembersOf(org)).toBe(4);
    expect([...regionFactAccounts(org)]).toEqual(['111111111111', '222222222222', '333333333333']);
  });

  it('counts a full-matrix account that is also a probe account once in its region', () => {
    // Act
    const org = parseOrgCostConfig(config({ fullMatrixAccounts: ['111111111111'] }));

    // Assess: us-east-1 has one (111...), eu-west-1 two (222..., 111...).
    expect(probeMembersOf(org)).toBe(3);
  });

  it.each([
    [
      { home: { region: 'us-east-9' } },
      'Invalid context "org.home.region": "us-east-9" is not an AWS region',
    ],
    [{ targets: { regions: [] } }, 'Invalid context "org.targets.regions": [] names no region'],
    [{ targets: { regions: ['us-east-1', 'mars-1'] } }, 'Invalid context "org.targets.regions[1]": "mars-1"'],
    [
      { probeAccounts: { 'us-east-1': '111111111111' } },
      'Invalid context "org.probeAccounts.eu-west-1": undefined',
    ],
    [
      { probeAccounts: { 'us-east-1': '1', 'eu-west-1': '222222222222' } },
      'Invalid context "org.probeAccounts.us-east-1": "1" is not a 12-digit account id',
    ],
    [
      {
        probeAccounts: {
          'us-east-1': '111111111111',
          'eu-west-1': '222222222222',
          'us-west-2': '111111111111',
        },
      },
      'Invalid context "org.probeAccounts.us-west-2": "us-west-2" is not a target region',
    ],
    [
      { fullMatrixAccounts: 'all' },
      'Invalid context "org.fullMatrixAccounts": "all" is not a list of accounts',
    ],
  ])('refuses %j in one line naming the key', (over, message) => {
    // Act
    const act = () => parseOrgCostConfig(config(over));

    // Assess
    expect(act).toThrow(message);
    try {
      act();
    } catch (err) {
      expect((err as Error).message).not.toContain('\n');
    }
  });
});

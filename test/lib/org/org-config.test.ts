import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../lib/app';
import { ConfigError } from '../../../lib/config';
import { parseOrgConfig, readOrgConfig } from '../../../lib/org/org-config';
import { testApp } from '../../support/cdk';

const EXAMPLE = join(import.meta.dirname, '..', '..', '..', 'examples', 'org.json');

/** A valid organization file, small. */
const valid = () => ({
  organizationId: 'o-a1b2c3d4e5',
  home: { account: '123456789012', region: 'us-east-1' },
  targets: { organizationalUnitIds: ['ou-ab12-34cd56ef', 'r-ab12'], regions: ['us-east-1', 'eu-west-1'] },
  probeAccounts: { 'us-east-1': '210987654321', 'eu-west-1': '345678901234' },
});

/** The one line a bad file gives, or 'ok'. */
const lineOf = (json: unknown): string => {
  try {
    parseOrgConfig(json, 'org.json');
    return 'ok';
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
};

describe('the organization file (-c org=<file>)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bedrock-matrix-org-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the shipped example: 20 regions, 2 OUs, a probe account for each region, defaults filled', () => {
    // Act
    const org = readOrgConfig(EXAMPLE);

    // Assess
    expect(org.targets.regions).toHaveLength(20);
    expect(org.targets.organizationalUnitIds).toHaveLength(2);
    expect(Object.keys(org.probeAccounts)).toEqual(org.targets.regions);
    // One dedicated probe account, and one region probed by another account: the mapping shows.
    expect(new Set(Object.values(org.probeAccounts)).size).toBe(2);
    expect(org.fullMatrixAccounts).toHaveLength(1);
    expect(org.callAs).toBe('DELEGATED_ADMIN');
    expect(parseOrgConfig(valid(), 'org.json')).toMatchObject({
      fullMatrixAccounts: [],
      callAs: 'DELEGATED_ADMIN',
    });
    expect('alarmEmails' in parseOrgConfig(valid(), 'org.json')).toBe(false);
  });

  it('names the file, the key path and the value of each bad value in one line', () => {
    // Prepare
    const v = valid();
    const cases: Array<[unknown, string]> = [
      [
        { ...v, organizationId: 'o-short' },
        'Invalid org config org.json: "organizationId" "o-short" is not an organization id (o- and 10 to 32 lower-case letters or digits)',
      ],
      [
        { ...v, home: { ...v.home, account: 123456789012 } },
        'Invalid org config org.json: "home.account" 123456789012 is not an AWS account id (12 digits, as a string)',
      ],
      [
        { ...v, home: { ...v.home, region: 'us-east-9' } },
        'Invalid org config org.json: "home.region" "us-east-9" is not an AWS region where Amazon Bedrock runs',
      ],
      [
        { ...v, targets: { ...v.targets, organizationalUnitIds: ['ou-ab12-34cd56ef', 'ou-typo'] } },
        'Invalid org config org.json: "targets.organizationalUnitIds[1]" "ou-typo" is not an OU id (ou-xxxx-yyyyyyyy) or a root id (r-xxxx)',
      ],
      [
        { ...v, targets: { ...v.targets, organizationalUnitIds: [] } },
        'Invalid org config org.json: "targets.organizationalUnitIds" is empty',
      ],
      [
        { ...v, targets: { ...v.targets, regions: ['us-east-1', 'eu-west-1', 'us-east-1'] } },
        'Invalid org config org.json: "targets.regions[2]" "us-east-1" is listed twice',
      ],
      [
        { ...v, targets: { ...v.targets, regions: ['us-east-1', 'eu-west-1', 'eu-west-3'] } },
        'Invalid org config org.json: "probeAccounts.eu-west-3" is missing: every target region needs a probe account',
      ],
      [
        { ...v, probeAccounts: { ...v.probeAccounts, 'ap-south-1': '210987654321' } },
        'Invalid org config org.json: "probeAccounts.ap-south-1" is not a target region',
      ],
      [
        { ...v, probeAccounts: { ...v.probeAccounts, 'eu-west-1': '3456789' } },
        'Invalid org config org.json: "probeAccounts.eu-west-1" "3456789" is not an AWS account id (12 digits, as a string)',
      ],
      [
        { ...v, fullMatrixAccounts: ['456789012345', 'x'] },
        'Invalid org config org.json: "fullMatrixAccounts[1]" "x" is not an AWS account id (12 digits, as a string)',
      ],
      [
        { ...v, callAs: 'MANAGEMENT' },
        'Invalid org config org.json: "callAs" "MANAGEMENT" is not one of DELEGATED_ADMIN, SELF',
      ],
      [
        { ...v, alarmEmails: ['ops@example.com', 'nobody'] },
        'Invalid org config org.json: "alarmEmails[1]" "nobody" is not an e-mail address',
      ],
      [
        { ...v, probeAcounts: {} },
        'Invalid org config org.json: "probeAcounts" is not a known key (expected organizationId, home, targets, probeAccounts, fullMatrixAccounts, callAs, alarmEmails)',
      ],
      [[v], 'Invalid org config org.json: "" [{"organizationId":"o-a1b2c3d4e5"'],
    ];

    for (const [json, line] of cases) {
      // Act
      const message = lineOf(json);

      // Assess
      expect(message.startsWith(line), message).toBe(true);
      expect(message).not.toContain('\n');
    }
    expect(lineOf(v)).toBe('ok');
  });

  it('fails `cdk synth` with one line for a typo in the file, an unreadable file, or a file that is not JSON', () => {
    // Prepare
    const typo = join(dir, 'typo.json');
    writeFileSync(typo, JSON.stringify({ ...valid(), callAs: 'DELEGATED_ADMN' }));
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ "organizationId": ');
    const synth = (file: string): string => {
      try {
        buildApp(testApp({ org: file }));
        return 'built';
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message;
      }
    };

    // Act + Assess
    expect(synth(typo)).toBe(
      `Invalid org config ${typo}: "callAs" "DELEGATED_ADMN" is not one of DELEGATED_ADMIN, SELF`,
    );
    expect(synth(join(dir, 'absent.json'))).toMatch(
      /^Invalid context "org": cannot read ".*absent\.json" \(ENOENT/,
    );
    expect(synth(broken)).toMatch(/^Invalid context "org": ".*broken\.json" is not JSON \(/);
  });
});

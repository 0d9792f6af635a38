import { describe, expect, it } from 'vitest';
import { ENDPOINT_OVERRIDE_ENV } from '../../lambda/shared/names';
import { argv, runCli } from './support';

// A bad endpoint override is bad input: exit 2 naming the variable and its value, before any
// client is built (it used to end as exit 1 with the SDK's `TypeError: Invalid URL`).

describe('endpoint override variables', () => {
  it.each([
    [ENDPOINT_OVERRIDE_ENV.runtime, 'not a url', '"not a url" is not a URL'],
    [
      ENDPOINT_OVERRIDE_ENV.mantle,
      'ftp://127.0.0.1:21',
      '"ftp://127.0.0.1:21" must be an http:// or https:// URL, not ftp:',
    ],
    [
      ENDPOINT_OVERRIDE_ENV.control,
      'localhost:4010',
      '"localhost:4010" must be an http:// or https:// URL, not localhost:',
    ],
    [ENDPOINT_OVERRIDE_ENV.dynamodb, 'http//127.0.0.1:8000', '"http//127.0.0.1:8000" is not a URL'],
  ])('probe with %s=%j exits 2 naming the variable', async (name, value, why) => {
    // Act
    const { code, stdout, stderr } = await runCli(
      argv`probe --region us-east-1 --store dynamodb --timeout 1000`,
      { [name]: value },
    );

    // Assess
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(`bedrock-matrix: ${name}: ${why}`);
    expect(stderr).not.toContain('TypeError');
  });

  it('diff from the store names a bad BEDROCK_MATRIX_DYNAMODB_URL', async () => {
    // Act
    const { code, stderr } = await runCli(argv`diff --region us-east-1 --since 2026-01-01T00:00:00Z`, {
      [ENDPOINT_OVERRIDE_ENV.dynamodb]: 'ftp://store',
    });

    // Assess
    expect(code).toBe(2);
    expect(stderr.trim()).toBe(
      'bedrock-matrix: BEDROCK_MATRIX_DYNAMODB_URL: "ftp://store" must be an http:// or https:// URL, not ftp:',
    );
  });

  it('refuses credentials in an override URL without printing them', async () => {
    // Act
    const { code, stderr } = await runCli(argv`probe --region us-east-1`, {
      [ENDPOINT_OVERRIDE_ENV.runtime]: 'http://user:hunter2hunter2@127.0.0.1:1',
    });

    // Assess
    expect(code).toBe(2);
    expect(stderr).toContain(`${ENDPOINT_OVERRIDE_ENV.runtime}: credentials in the URL are not supported`);
    expect(stderr).not.toContain('hunter2');
  });

  it.each([
    [[ENDPOINT_OVERRIDE_ENV.runtime], 'BEDROCK_MATRIX_MANTLE_URL and BEDROCK_MATRIX_CONTROL_URL are not'],
    [[ENDPOINT_OVERRIDE_ENV.runtime, ENDPOINT_OVERRIDE_ENV.mantle], 'BEDROCK_MATRIX_CONTROL_URL is not'],
  ])('a partial set %j names the missing overrides, before any call', async (set, missing) => {
    // Prepare: a port nothing listens on, so a call that slipped through would fail differently.
    const env = Object.fromEntries(set.map((name) => [name, 'http://127.0.0.1:9']));

    // Act
    const { code, stdout, stderr } = await runCli(argv`probe --region us-east-1`, env);

    // Assess
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(missing);
    expect(stderr).toContain('set all three');
  });
});

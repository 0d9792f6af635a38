import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CREDENTIALS_CHECK_MS, checkCredentials, PLACEHOLDER_CREDENTIALS } from '../../cli/credentials';
import { runCliProcess } from './support';

// No credentials, expired ones, or a chain that never answers: one line naming the cause and what
// to run, exit 2, before any work (it used to be four SDK traces, an empty report and exit 1).

const sdkError = (message: string): Error =>
  Object.assign(new Error(message), { name: 'CredentialsProviderError' });
const reason = async (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'resolved',
    (e: Error) => `${e.name}: ${e.message}`,
  );

describe('checkCredentials', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('names the chain that was tried and the login to run when it finds nothing', async () => {
    // Act
    const out = await reason(
      checkCredentials(() => Promise.reject(sdkError('Could not load credentials from any providers')), {}),
    );

    // Assess
    expect(out).toMatch(
      /^UsageError: no AWS credentials found \(tried the AWS SDK's default chain: environment variables, the default profile in ~\/\.aws, SSO/,
    );
    expect(out).toContain('run `aws sso login` (or `aws configure`), or set AWS_PROFILE');
  });

  it('names the profile in use and its login', async () => {
    // Act
    const out = await reason(
      checkCredentials(() => Promise.reject(sdkError('Could not load credentials from any providers')), {
        AWS_PROFILE: 'work',
      }),
    );

    // Assess
    expect(out).toContain('profile "work"');
    expect(out).toContain('`aws sso login --profile work`');
  });

  it('says expired for an SSO session that has expired', async () => {
    // Act
    const out = await reason(
      checkCredentials(
        () =>
          Promise.reject(sdkError('The SSO session associated with this profile has expired. To refresh...')),
        {},
      ),
    );

    // Assess
    expect(out).toMatch(/^UsageError: the AWS credentials have expired \(The SSO session/);
  });

  it('says expired for credentials whose expiration has passed', async () => {
    // Prepare
    const expired = {
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'x',
      expiration: new Date('2026-01-01T00:00:00Z'),
    };

    // Act
    const out = await reason(
      checkCredentials(async () => expired, {}, { now: new Date('2026-01-01T00:00:01Z') }),
    );

    // Assess
    expect(out).toBe(
      'UsageError: the AWS credentials expired at 2026-01-01T00:00:00.000Z: run `aws sso login` (or `aws configure`), or set AWS_PROFILE to a profile that has credentials, then try again',
    );
  });

  it('gives up on a chain that does not answer within the check timeout', async () => {
    // Prepare
    vi.useFakeTimers();
    const pending = reason(checkCredentials(() => new Promise(() => {}), {}));

    // Act
    await vi.advanceTimersByTimeAsync(CREDENTIALS_CHECK_MS);

    // Assess
    expect(await pending).toMatch(/^UsageError: no AWS credentials within 2 s/);
  });

  it('lets valid and placeholder credentials through', async () => {
    // Act
    const results = await Promise.all([
      reason(checkCredentials(async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' }), {})),
      reason(checkCredentials(PLACEHOLDER_CREDENTIALS, {})),
    ]);

    // Assess
    expect(results).toEqual(['resolved', 'resolved']);
  });
});

describe('probe without credentials, as a new user meets it', () => {
  it('exits 2 with one line naming the cause and the fix, and renders no report', async () => {
    // Prepare: no credentials anywhere: no variables, an empty home, no instance metadata.
    const home = await mkdtemp(join(tmpdir(), 'bedrock-matrix-nocreds-'));
    const env = {
      HOME: home,
      AWS_CONFIG_FILE: join(home, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
    };

    // Act
    const { code, stdout, stderr } = await runCliProcess(['probe', '--region', 'us-east-1'], env);

    // Assess
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^bedrock-matrix: no AWS credentials found \(tried .*\): run `aws sso login`/),
    ]);
  });
});

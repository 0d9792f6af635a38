import { describe, expect, it } from 'vitest';
import { createBearerTokenProvider } from '../../../lambda/adapters/bearer-token';

const CREDENTIALS = { accessKeyId: 'AKIDTOKENTEST', secretAccessKey: 'token-test-secret' };

describe('createBearerTokenProvider', () => {
  it('mints a real-shaped short-term key for the region, locally', async () => {
    // Act
    const token = await createBearerTokenProvider({ region: 'eu-west-1', credentials: CREDENTIALS })();

    // Assess
    expect(token).toMatch(/^bedrock-api-key-/);
    const presigned = Buffer.from(token.slice('bedrock-api-key-'.length), 'base64').toString();
    expect(presigned).toContain('Action=CallWithBearerToken');
    expect(presigned).toContain('eu-west-1');
    expect(presigned).toContain('X-Amz-Expires=3600');
  });

  it('reuses the token until 5 minutes before expiry, then mints a new one', async () => {
    // Prepare
    let now = 0;
    let minted = 0;
    const provider = createBearerTokenProvider({
      region: 'us-east-1',
      credentials: CREDENTIALS,
      expiresInSeconds: 3600,
      now: () => now,
      mint: async () => `bedrock-api-key-t${++minted}`,
    });

    // Act
    const first = await provider();
    now = 3600_000 - 300_001;
    const stillFirst = await provider();
    now = 3600_000 - 300_000;
    const second = await provider();

    // Assess
    expect([first, stillFirst, second]).toEqual([
      'bedrock-api-key-t1',
      'bedrock-api-key-t1',
      'bedrock-api-key-t2',
    ]);
  });

  it('concurrent callers share one mint', async () => {
    // Prepare
    let minted = 0;
    const provider = createBearerTokenProvider({
      region: 'us-east-1',
      credentials: CREDENTIALS,
      mint: async () => {
        await new Promise((r) => setTimeout(r, 20));
        return `bedrock-api-key-t${++minted}`;
      },
    });

    // Act
    const tokens = await Promise.all([provider(), provider(), provider()]);

    // Assess
    expect(new Set(tokens)).toEqual(new Set(['bedrock-api-key-t1']));
    expect(minted).toBe(1);
  });

  it('expiring credentials cap the life of the token', async () => {
    // Prepare
    let now = 0;
    let minted = 0;
    const provider = createBearerTokenProvider({
      region: 'us-east-1',
      credentials: async () => ({ ...CREDENTIALS, expiration: new Date(now + 600_000) }),
      expiresInSeconds: 3600,
      now: () => now,
      mint: async () => `bedrock-api-key-t${++minted}`,
    });

    // Act
    await provider();
    now = 300_000; // 5 min before the credentials expire
    const token = await provider();

    // Assess
    expect(token).toBe('bedrock-api-key-t2');
  });

  it('a failed mint is not cached: the next call tries again', async () => {
    // Prepare
    let calls = 0;
    const provider = createBearerTokenProvider({
      region: 'us-east-1',
      credentials: CREDENTIALS,
      mint: async () => {
        calls += 1;
        if (calls === 1) throw new Error('no credentials');
        return 'bedrock-api-key-ok';
      },
    });

    // Act
    const failed = await provider().catch((e: Error) => e.message);
    const ok = await provider();

    // Assess
    expect(failed).toBe('no credentials');
    expect(ok).toBe('bedrock-api-key-ok');
  });

  it.each([
    [{ expiresInSeconds: 0 }, 'expiresInSeconds must be an integer in 1..43200, got 0'],
    [{ expiresInSeconds: 50_000 }, 'expiresInSeconds must be an integer in 1..43200, got 50000'],
    [{ refreshBeforeSeconds: -1 }, 'refreshBeforeSeconds must be >= 0, got -1'],
  ])('refuses bad options %j with the bad value', (bad, message) => {
    // Act
    const act = () => createBearerTokenProvider({ region: 'us-east-1', credentials: CREDENTIALS, ...bad });

    // Assess
    expect(act).toThrow(message);
  });
});

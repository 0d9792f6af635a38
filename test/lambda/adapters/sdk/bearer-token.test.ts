import { describe, expect, it } from 'vitest';
import { createBearerTokenProvider } from '../../../../lambda/adapters/sdk/bearer-token';

const CREDENTIALS = { accessKeyId: 'AKIDTOKENTEST', secretAccessKey: 'token-test-secret' };

describe('createBearerTokenProvider', () => {
  it('mints a real-shaped short-term key from the credentials, locally', async () => {
    // Act
    const token = await createBearerTokenProvider({ region: 'eu-west-1', credentials: CREDENTIALS })();

    // Assess
    expect(token).toMatch(/^bedrock-api-key-/);
    const presigned = Buffer.from(token.slice('bedrock-api-key-'.length), 'base64').toString();
    expect(presigned).toContain('Action=CallWithBearerToken');
    expect(presigned).toContain('eu-west-1');
  });

  it('reuses a token until shortly before it expires, and shares one refresh between callers', async () => {
    // Prepare
    let now = 0;
    let minted = 0;
    const provider = createBearerTokenProvider({
      region: 'us-east-1',
      credentials: CREDENTIALS,
      expiresInSeconds: 3600,
      refreshBeforeSeconds: 300,
      now: () => now,
      mint: async () => `bedrock-api-key-token-${++minted}`,
    });

    // Act
    const [a, b] = await Promise.all([provider(), provider()]);
    now = 3_000_000; // 50 min: still more than 5 min left
    const c = await provider();
    now = 3_400_000; // 56 min 40 s: inside the refresh window
    const d = await provider();

    // Assess
    expect([a, b, c]).toEqual([
      'bedrock-api-key-token-1',
      'bedrock-api-key-token-1',
      'bedrock-api-key-token-1',
    ]);
    expect(d).toBe('bedrock-api-key-token-2');
    expect(minted).toBe(2);
  });

  it('never outlives the credentials it was minted from', async () => {
    // Prepare
    let now = 0;
    let minted = 0;
    const provider = createBearerTokenProvider({
      region: 'us-east-1',
      credentials: { ...CREDENTIALS, expiration: new Date(600_000) },
      now: () => now,
      mint: async () => `bedrock-api-key-token-${++minted}`,
    });

    // Act
    await provider();
    now = 400_000; // credentials expire at 10 min; refresh 5 min before
    await provider();

    // Assess
    expect(minted).toBe(2);
  });
});

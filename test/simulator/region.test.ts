import { getToken } from '@aws/bedrock-token-generator';
import { describe, expect, it } from 'vitest';
import { answeredRegion, requestRegion, scenarioIn } from '../../simulator/region';
import { loadScenario } from '../../simulator/scenario';
import { sigv4Authorization } from '../support/signed-header';
import { SIM_CREDENTIALS } from '../support/simulator';

/** The Authorization header the real AWS SDK signs a call to `region` with (dummy keys, never sent). */
const sigv4 = (region: string): Promise<string> => sigv4Authorization(region, SIM_CREDENTIALS);

describe('requestRegion tells the region from what the wire carries', () => {
  it('reads the SigV4 credential scope, whatever the signing service', async () => {
    // Prepare
    const signed = await sigv4('us-west-2');
    // Mantle SigV4 has been seen signed as `bedrock-mantle` (docs/bedrock-wire.md): the region is third either way.
    const mantle = signed.replace('/us-west-2/bedrock/', '/eu-west-1/bedrock-mantle/');

    // Act
    const regions = [requestRegion({ authorization: signed }), requestRegion({ authorization: mantle })];

    // Assess
    expect(signed).toMatch(/Credential=AKIDSIMULATOR\/\d{8}\/us-west-2\/bedrock\/aws4_request/);
    expect(regions).toEqual(['us-west-2', 'eu-west-1']);
  });

  it('reads the region a short-term API key was minted for, as Bearer or x-api-key', async () => {
    // Prepare
    const token = await getToken({ credentials: SIM_CREDENTIALS, region: 'eu-west-3', expiresInSeconds: 60 });

    // Act
    const asBearer = requestRegion({ authorization: `Bearer ${token}` });
    const asApiKey = requestRegion({ 'x-api-key': token });

    // Assess
    expect([asBearer, asApiKey]).toEqual(['eu-west-3', 'eu-west-3']);
  });

  it('names no region for a long-term key or no credentials, so the scenario default answers', async () => {
    // Prepare
    const scenario = { ...(await loadScenario('tiny')), defaultRegion: 'us-west-2' };
    const longTerm = { authorization: 'Bearer ABSKQmVkcm9ja0FQSUtleS1leGFtcGxlLWtleQ==' };

    // Act
    const named = [requestRegion(longTerm), requestRegion({})];
    const answered = [answeredRegion(scenario, longTerm), answeredRegion(await loadScenario('tiny'), {})];

    // Assess
    expect(named).toEqual([null, null]);
    expect(answered).toEqual(['us-west-2', 'us-east-1']);
  });
});

describe('scenarioIn', () => {
  it('drops the models a region does not serve and leaves an unnamed region whole', async () => {
    // Prepare
    const tiny = await loadScenario('tiny');
    const scenario = { ...tiny, regions: { 'eu-west-1': { withoutModels: ['openai.gpt-5.4'] } } };

    // Act
    const eu = scenarioIn(scenario, 'eu-west-1').models.map((m) => m.key);
    const us = scenarioIn(scenario, 'us-east-1').models.map((m) => m.key);

    // Assess
    expect(eu).not.toContain('openai.gpt-5.4');
    expect(eu).toHaveLength(tiny.models.length - 1);
    expect(us).toEqual(tiny.models.map((m) => m.key));
  });
});

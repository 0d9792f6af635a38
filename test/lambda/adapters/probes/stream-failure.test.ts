import { describe, expect, it } from 'vitest';
import { classify } from '../../../../lambda/core/classify';
import { FAULT_MESSAGES } from '../../../../simulator/faults';
import { GOLDEN_CONTEXT } from '../../../support/golden';
import { IDS, useProbeWorld } from './probe-fixture';

// A Responses stream the simulator fails after its 200 (`stream-failed` fault): the cell is
// `error` with the failure event in the evidence, never a lasting `unsupported`.

describe('a Responses stream that ends in response.failed', () => {
  const world = useProbeWorld({
    faults: [{ type: 'stream-failed', count: 1, match: { api: 'responses', model: IDS.gptOssMantle } }],
  });

  it('is error with the event code and message, and the next stream passes', async () => {
    // Prepare
    const stream = {
      endpoint: 'mantle',
      api: 'responses',
      variant: 'stream',
      route: '/v1',
      modelId: IDS.gptOssMantle,
    } as const;

    // Act
    const failed = classify(await world.observe(stream), GOLDEN_CONTEXT);
    const next = classify(await world.observe(stream), GOLDEN_CONTEXT);

    // Assess
    expect(failed.status).toBe('error');
    expect(failed.evidence).toMatchObject({
      httpStatus: 200,
      errorCode: 'server_error',
      message: FAULT_MESSAGES.internal,
    });
    expect(failed.evidence.reason).toMatch(
      /the stream ended in response\.failed \(server_error\) after 1 deltas/,
    );
    expect(next.status).toBe('supported');
  });
});

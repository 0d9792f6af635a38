import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../lambda/core/model';
import { parseReport } from '../../lambda/core/report-file';
import { ENDPOINT_OVERRIDE_ENV } from '../../lambda/shared/names';
import { runCli } from '../cli/support';
import { simulatorEnv, type TestSimulator, withSimulator } from '../support/simulator';

// A whole host that rejects our credentials is named once, in one line, and every cell it decided
// carries the reason: not a matrix of "catalog unavailable" cells that never say why.

let sim: TestSimulator;
let url: string;
const server = createServer((_req, res) => {
  // The mantle answer to a bad bearer token (docs/bedrock-wire.md, "Error envelopes").
  res.writeHead(401, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { code: 'invalid_api_key', message: 'Invalid bearer token' } }));
});

beforeAll(async () => {
  sim = await withSimulator('tiny');
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await sim?.close();
  await new Promise<void>((r) => server.close(() => r()));
});

describe('probe when mantle rejects the credentials', () => {
  it('says so in one line and in the mantle cells, and still probes runtime (exit 0)', async () => {
    // Act
    const { code, stdout, stderr } = await runCli(
      ['probe', '--region', 'us-east-1', '--format', 'json'],
      simulatorEnv(sim, { [ENDPOINT_OVERRIDE_ENV.mantle]: url }),
    );

    // Assess
    expect(code).toBe(0);
    const lines = stderr.trim().split('\n');
    expect(lines.filter((l) => l.includes('mantle'))).toEqual([
      expect.stringMatching(
        /^bedrock-matrix: us-east-1 mantle: catalog unavailable: mantle \/v1\/models: authentication failed: .*Invalid bearer token/,
      ),
    ]);
    const report: Report = parseReport(stdout, 'stdout');
    const mantle = report.cells.filter((c) => c.endpoint === 'mantle');
    expect(mantle.length).toBeGreaterThan(0);
    expect(
      mantle.every((c) => c.status === 'error' && /authentication failed/.test(c.evidence.reason ?? '')),
    ).toBe(true);
    expect(report.cells.some((c) => c.endpoint === 'runtime' && c.status === 'supported')).toBe(true);
    expect(report.problems?.map((p) => p.scope)).toContain('mantle');
  });
});

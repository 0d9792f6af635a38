import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderJson } from '../../lambda/core/render/json';
import { parseReport } from '../../lambda/core/report-file';
import { ENDPOINT_OVERRIDE_ENV } from '../../lambda/shared/names';
import { listenOnLoopback } from '../support/loopback';
import { buildSampleReport } from '../support/sample-report';
import { simulatorEnv, type TestSimulator, withSimulator } from '../support/simulator';
import { argv, runCli } from './support';

// Files a user names: a bad --out is refused before anything is probed or stored, and a report
// saved by Windows PowerShell (UTF-16 or a UTF-8 byte-order mark) reads like any other.

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bedrock-matrix-files-'));
});

describe('--out is checked before the first probe or store write', () => {
  let sim: TestSimulator;
  let store: Server;
  let storeRequests = 0;
  let env: NodeJS.ProcessEnv;
  let aDirectory: string;
  let aFile: string;

  beforeAll(async () => {
    // Prepare: the simulator counts probe calls; a stand-in DynamoDB counts store calls
    sim = await withSimulator('tiny');
    store = createServer((_req, res) => {
      storeRequests += 1;
      res.writeHead(500).end();
    });
    env = simulatorEnv(sim, { [ENDPOINT_OVERRIDE_ENV.dynamodb]: await listenOnLoopback(store) });
    aDirectory = join(dir, 'reports');
    aFile = join(dir, 'plain-file');
    await mkdir(aDirectory);
    await writeFile(aFile, 'x');
  });
  afterAll(async () => {
    await sim?.close();
    store?.closeAllConnections();
    await new Promise((r) => store?.close(r));
  });

  const cases = (): [string, string, string][] => [
    ['a missing directory', '/proc/nope/x.json', 'ENOENT (directory "/proc/nope")'],
    ['a directory', aDirectory, 'it is a directory'],
    // /sys refuses new files even to root, where a read-only mode bit would not.
    ['an unwritable place', '/sys/bedrock-matrix-report.json', 'EACCES'],
    ['a path under a file', join(aFile, 'x.json'), 'ENOTDIR'],
  ];

  it.each([0, 1, 2, 3])(
    'probe --store dynamodb --out <case %i> exits 2 naming the path, having done nothing',
    async (i) => {
      // Prepare
      const [label, out, why] = cases()[i] as [string, string, string];
      const callsBefore = sim.world.calls.length;
      storeRequests = 0;

      // Act
      const { code, stdout, stderr } = await runCli(
        argv`probe --region us-east-1 --store dynamodb --format json --out ${out}`,
        env,
      );

      // Assess
      expect(code, label).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.trim().split('\n')).toEqual([`bedrock-matrix: --out: cannot write "${out}": ${why}`]);
      expect(sim.world.calls.length, 'probe calls made').toBe(callsBefore);
      expect(storeRequests, 'store requests made').toBe(0);
    },
  );

  it.each([
    ['demo', argv`demo --scenario tiny --quiet`],
    ['report', argv`report --in /dev/null`],
    ['scenario', argv`scenario --from /dev/null`],
  ])('%s refuses a directory as --out before reading or probing anything', async (_cmd, args) => {
    // Act
    const { code, stdout, stderr } = await runCli([...args, '--out', aDirectory]);

    // Assess: the --out line, not the complaint about /dev/null that reading it would give
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim()).toBe(`bedrock-matrix: --out: cannot write "${aDirectory}": it is a directory`);
  });

  it('leaves no file behind when the check passes and the run then writes the real one', async () => {
    // Prepare
    const out = join(dir, 'fresh', 'run.json');
    await mkdir(join(dir, 'fresh'));

    // Act
    const { code } = await runCli(
      argv`probe --region us-east-1 --format json --models openai.gpt-oss-20b --out ${out}`,
      { ...env, [ENDPOINT_OVERRIDE_ENV.dynamodb]: undefined },
    );

    // Assess
    expect(code).toBe(0);
    expect(await readdir(join(dir, 'fresh'))).toEqual(['run.json']);
    expect(parseReport(await readFile(out, 'utf8'), out).cells.length).toBeGreaterThan(0);
  });
});

describe('report files in the encodings Windows tools write', () => {
  const sample = renderJson(buildSampleReport());
  const utf16be = (text: string): Buffer => {
    const le = Buffer.from(text, 'utf16le');
    for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1] as number, le[i] as number];
    return le;
  };

  it.each([
    ['UTF-8 with a byte-order mark', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(sample)])],
    [
      'UTF-16 LE with a byte-order mark',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(sample, 'utf16le')]),
    ],
    ['UTF-16 BE with a byte-order mark', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(sample)])],
  ])('report --in reads %s as the same report', async (label, bytes) => {
    // Prepare
    const file = join(dir, `${label.replace(/\W+/g, '-')}.json`);
    await writeFile(file, bytes);

    // Act
    const { code, stdout, stderr } = await runCli(argv`report --in ${file} --format json`);

    // Assess
    expect(code, stderr).toBe(0);
    expect(parseReport(stdout, 'stdout')).toEqual(parseReport(sample, 'sample'));
  });

  it.each([
    [
      'Latin-1 bytes',
      Buffer.from(sample.replace('"runId"', '"r\u00e9sum\u00e9", "runId"'), 'latin1'),
      /not UTF-8 or UTF-16 text \(byte 0xe9 at offset \d+\); save it as UTF-8$/,
    ],
    [
      'UTF-16 that lost its byte-order mark',
      Buffer.from(sample, 'utf16le'),
      /looks like UTF-16 without a byte-order mark/,
    ],
    [
      'a byte-order mark over broken UTF-16',
      Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x00, 0xdc]),
      /byte-order mark promises Unicode, but the bytes are not/,
    ],
  ])('report --in names the file and the encoding problem of %s (exit 2)', async (label, bytes, why) => {
    // Prepare
    const file = join(dir, `bad-${label.replace(/\W+/g, '-')}.json`);
    await writeFile(file, bytes);

    // Act
    const { code, stdout, stderr } = await runCli(argv`report --in ${file}`);

    // Assess
    expect(code).toBe(2);
    expect(stdout).toBe('');
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`cannot read report "${file}"`);
    expect(lines[0]).toMatch(why);
  });
});

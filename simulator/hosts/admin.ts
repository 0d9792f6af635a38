/**
 * The simulator's own `/_simulator/*` routes on the control port: the call log and the live
 * scenario, read and swapped while serving.
 */
import { parseScenario, ScenarioError } from '../scenario';
import type { SimRequest, SimResponse, World } from '../types';

/**
 * Admin routes. Unauthenticated on purpose: the simulator binds loopback only and these exist so
 * a test or a demo can look inside and change the world without an AWS client.
 */
export async function handleAdmin(world: World, req: SimRequest, res: SimResponse): Promise<boolean> {
  const json = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (req.path === '/_simulator/calls' && req.method === 'GET') {
    json(200, { calls: world.calls });
    return true;
  }
  if (req.path === '/_simulator/scenario' && req.method === 'GET') {
    json(200, world.scenario);
    return true;
  }
  if (req.path === '/_simulator/scenario' && req.method === 'PUT') {
    const source = 'PUT /_simulator/scenario';
    try {
      let value: unknown;
      try {
        value = JSON.parse(req.body.toString('utf8'));
      } catch (err) {
        throw new ScenarioError(`${source}: invalid JSON: ${(err as Error).message}`);
      }
      const next = parseScenario(value, source);
      world.setScenario(next);
      json(200, { name: next.name, models: next.models.length });
    } catch (err) {
      if (!(err instanceof ScenarioError)) throw err;
      json(400, { message: err.message });
    }
    return true;
  }
  if (req.path === '/_simulator/scenario' || req.path === '/_simulator/calls') {
    json(405, { message: `${req.method} not allowed on ${req.path}` });
    return true;
  }
  return false;
}

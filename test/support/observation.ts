/**
 * An Observation of a plain 200 Converse answer with `over` on top: the base that the classify,
 * verdict and scrub tests vary one field at a time.
 */
import type { Observation } from '../../lambda/core/model';

export const observation = (over: Partial<Observation> = {}): Observation => ({
  endpoint: 'runtime',
  api: 'converse',
  variant: 'basic',
  route: null,
  modelId: 'amazon.nova-micro-v1:0',
  httpStatus: 200,
  errorName: null,
  errorCode: null,
  message: null,
  ...over,
});

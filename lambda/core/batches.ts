/**
 * Groups items, in order, into requests that an AWS API takes whole: at most `maxCount` items and
 * at most `maxBytes` of them together (a single larger item still goes, alone). PutMetricData and
 * PutEvents both cap a request by count and by size.
 */
export function batchBySize<T>(
  items: readonly T[],
  limits: { readonly maxCount: number; readonly maxBytes: number; readonly sizeOf: (item: T) => number },
): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = limits.sizeOf(item);
    if (current.length > 0 && (current.length >= limits.maxCount || bytes + size > limits.maxBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

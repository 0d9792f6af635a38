/**
 * Every string in a JSON-like value (keys included) passed through `fn`. Parts that `fn` leaves
 * unchanged are returned as they are, so `mapStringsDeep(x, fn) === x` tells that nothing changed.
 * The scrubber and the control-character guard walk values this way.
 */
export function mapStringsDeep<T>(value: T, fn: (text: string) => string): T {
  if (typeof value === 'string') return fn(value) as T;
  if (Array.isArray(value)) {
    const items = value.map((v) => mapStringsDeep(v, fn));
    return (items.some((v, i) => v !== value[i]) ? items : value) as T;
  }
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    let changed = false;
    const entries = Object.entries(value).map(([k, v]) => {
      const [ck, cv] = [fn(k), mapStringsDeep(v, fn)];
      if (ck !== k || cv !== v) changed = true;
      return [ck, cv] as const;
    });
    return (changed ? Object.fromEntries(entries) : value) as T;
  }
  return value;
}

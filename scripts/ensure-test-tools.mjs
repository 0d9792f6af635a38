#!/usr/bin/env node
// `npm test` needs what npm cannot install: Java (DynamoDB Local), Debian's Chromium (the HTML
// report's browser test), and curl and python3 (the printed recipe snippets are run as pasted). Install them from Debian's packages when missing and we may;
// otherwise say in one line what to install. Never downloads a browser build of its own.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const missing = [];
if (!has('java')) missing.push('default-jre-headless');
if (!existsSync('/usr/bin/chromium')) missing.push('chromium');
if (!has('curl')) missing.push('curl');
if (!has('python3')) missing.push('python3');
if (missing.length === 0) process.exit(0);

const root = typeof process.getuid === 'function' && process.getuid() === 0;
if (!root || !has('apt-get')) {
  console.error(
    `npm test needs Debian packages: ${missing.join(' ')} (install them with apt-get, then run npm test again)`,
  );
  process.exit(1);
}
console.error(`npm test: installing ${missing.join(' ')} from Debian's packages`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], {
  stdio: 'inherit',
  env,
});

#!/usr/bin/env node
// `npm test` needs two things npm cannot install: Java (DynamoDB Local) and Debian's Chromium
// (the HTML report's browser test). Install them from Debian's packages when missing and we may;
// otherwise say in one line what to install. Never downloads a browser build of its own.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const missing = [];
if (!has('java')) missing.push('default-jre-headless');
if (!existsSync('/usr/bin/chromium')) missing.push('chromium');
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

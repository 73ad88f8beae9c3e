import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createTempHome } from '@agentspace/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureHomeDirs, expandPath, homePaths, resolveHome } from './paths.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
	for (const cleanup of cleanups.splice(0)) cleanup();
});

describe('resolveHome', () => {
	it('prefers the explicit option', () => {
		expect(
			resolveHome({ home: '/x/explicit', env: { AGENTSPACE_HOME: '/x/env' }, userHome: '/u' }),
		).toBe('/x/explicit');
	});
	it('falls back to AGENTSPACE_HOME', () => {
		expect(resolveHome({ env: { AGENTSPACE_HOME: '/x/env' }, userHome: '/u' })).toBe('/x/env');
	});
	it('ignores an empty AGENTSPACE_HOME', () => {
		expect(resolveHome({ env: { AGENTSPACE_HOME: '  ' }, userHome: '/u' })).toBe(
			'/u/.config/agentspace',
		);
	});
	it('defaults to ~/.config/agentspace', () => {
		expect(resolveHome({ env: {}, userHome: '/u' })).toBe('/u/.config/agentspace');
	});
	it('expands ~ and makes relative paths absolute', () => {
		expect(resolveHome({ home: '~/as', env: {}, userHome: '/u' })).toBe('/u/as');
		expect(expandPath('rel/dir', '/u', '/cwd')).toBe('/cwd/rel/dir');
	});
});

describe('homePaths and ensureHomeDirs', () => {
	it('lays out config, database, agents, logs and run under the home', () => {
		const paths = homePaths('/h');
		expect(paths).toMatchObject({
			configFile: '/h/config.json',
			dbFile: '/h/agentspace.db',
			agentsDir: '/h/agents',
			logsDir: '/h/logs',
			runDir: '/h/run',
		});
	});

	it('creates every directory with mode 0700, tightening looser existing ones', () => {
		const temp = createTempHome();
		cleanups.push(temp.cleanup);
		const home = join(temp.home, 'nested', 'home');
		mkdirSync(join(home, 'logs'), { recursive: true });
		chmodSync(join(home, 'logs'), 0o755);
		const paths = homePaths(home);
		ensureHomeDirs(paths);
		for (const dir of [paths.home, paths.agentsDir, paths.logsDir, paths.runDir]) {
			expect(statSync(dir).mode & 0o777).toBe(0o700);
		}
	});
});

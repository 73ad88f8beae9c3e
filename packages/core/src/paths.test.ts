import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTempHome } from '@agentspace/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { isValidationError } from './errors.js';
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
	it('refuses an empty explicit home instead of taking over the current directory', () => {
		expect(() => resolveHome({ home: '', env: {}, userHome: '/u' })).toThrow(/must not be empty/);
		expect(() => resolveHome({ home: '  ', env: {}, userHome: '/u' })).toThrow(/must not be empty/);
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
		chmodSync(home, 0o755);
		const paths = homePaths(home);
		// The home (made by mkdir -p under the umask) and logs were loose; agents and run are new.
		expect(ensureHomeDirs(paths).sort()).toEqual([paths.home, paths.logsDir].sort());
		expect(ensureHomeDirs(paths)).toEqual([]);
		for (const dir of [paths.home, paths.agentsDir, paths.logsDir, paths.runDir]) {
			expect(statSync(dir).mode & 0o777).toBe(0o700);
		}
	});

	it('refuses a home that is a file, with a hint', () => {
		const temp = createTempHome();
		cleanups.push(temp.cleanup);
		const file = join(temp.home, 'not-a-dir');
		writeFileSync(file, 'x');
		expect(() => ensureHomeDirs(homePaths(file))).toThrow(/cannot use .* as the AgentSpace home/);
		try {
			ensureHomeDirs(homePaths(file));
		} catch (error) {
			expect(isValidationError(error)).toBe(true);
			expect((error as { hint: string }).hint).toMatch(/must name a directory you can write/);
		}
	});
});

import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTempHome, type TempHome } from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sandboxReadiness } from './sandboxReadiness.js';

let temp: TempHome;
let bin: string;

function tool(name: string, mode = 0o755): void {
	writeFileSync(join(bin, name), '#!/bin/sh\n');
	chmodSync(join(bin, name), mode);
}

describe('sandboxReadiness', () => {
	beforeEach(() => {
		temp = createTempHome('readiness');
		bin = join(temp.home, 'bin');
		mkdirSync(bin);
	});
	afterEach(() => temp.cleanup());

	it('is ready on Linux with bwrap, socat and rg on PATH', () => {
		for (const name of ['bwrap', 'socat', 'rg']) tool(name);
		expect(sandboxReadiness({ PATH: `/nonexistent:${bin}` }, 'linux')).toEqual({
			ready: true,
			platform: 'linux',
			missing: [],
			tools: { bwrap: join(bin, 'bwrap'), socat: join(bin, 'socat'), rg: join(bin, 'rg') },
		});
	});

	it('names what is missing on Linux and the packages to install', () => {
		tool('socat');
		tool('rg', 0o644); // not executable: does not count
		mkdirSync(join(bin, 'bwrap')); // a directory: does not count
		const readiness = sandboxReadiness({ PATH: bin }, 'linux');
		expect(readiness).toMatchObject({ ready: false, platform: 'linux', missing: ['bwrap', 'rg'] });
		expect(readiness.problem).toContain('bwrap, rg');
		expect(readiness.hint).toContain('sudo apt-get install bubblewrap ripgrep');
	});

	it('ignores relative PATH entries', () => {
		expect(sandboxReadiness({ PATH: '.:bin' }, 'linux').missing).toEqual(['bwrap', 'socat', 'rg']);
	});

	it('on macOS needs sandbox-exec', () => {
		tool('sandbox-exec');
		expect(sandboxReadiness({ PATH: bin }, 'darwin').ready).toBe(true);
	});

	it('is not ready on other platforms, and says so', () => {
		const readiness = sandboxReadiness({ PATH: bin }, 'win32');
		expect(readiness).toMatchObject({ ready: false, platform: 'win32', missing: [] });
		expect(readiness.problem).toContain('not supported on win32');
	});
});

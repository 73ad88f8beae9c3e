import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unixSocketBlockFilter } from './seccompFilter.js';

const library = dirname(
	createRequire(import.meta.url).resolve('@anthropic-ai/sandbox-runtime/package.json'),
);

describe('unixSocketBlockFilter', () => {
	// The library's helper carries its program built in: ours must be the same
	// bytes, so starting bwrap with it takes nothing away from the sandbox.
	for (const arch of ['x64', 'arm64']) {
		it(`is the program the library's apply-seccomp helper loads on ${arch}`, () => {
			const filter = unixSocketBlockFilter(arch);
			expect(filter).toBeDefined();
			const helper = readFileSync(join(library, 'vendor', 'seccomp', arch, 'apply-seccomp'));
			expect(helper.indexOf(filter as Buffer)).toBeGreaterThan(0);
		});
	}

	it('has no program for an architecture it was not written for', () => {
		expect(unixSocketBlockFilter('ia32')).toBeUndefined();
		expect(unixSocketBlockFilter('riscv64')).toBeUndefined();
	});
});

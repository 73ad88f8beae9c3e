import { readFileSync } from 'node:fs';
import { ERROR_CODES } from '@agentspace/core';
import { describe, expect, it } from 'vitest';
import { ExitCode, exitCodeFor } from './exitCodes.js';

/** The exit-code table of specs/cli.md: each error code it lists, with its exit code. */
function documentedExitCodes(): Map<string, number> {
	const spec = readFileSync(new URL('../../../specs/cli.md', import.meta.url), 'utf8');
	const section = spec.slice(spec.indexOf('## Exit codes'), spec.indexOf('## Commands'));
	const byCode = new Map<string, number>();
	for (const line of section.split('\n')) {
		const cells = line.split('|').map((cell) => cell.trim());
		const exit = Number(cells[1]);
		if (!/^\d+$/.test(cells[1] ?? '')) continue;
		for (const [, code] of (cells[3] ?? '').matchAll(/`([A-Z_]+)`/g)) {
			byCode.set(code as string, exit);
		}
	}
	return byCode;
}

describe('exitCodeFor', () => {
	it.each(ERROR_CODES)('gives %s the exit code specs/cli.md documents', (code) => {
		const documented = documentedExitCodes().get(code);
		expect(documented, `specs/cli.md lists no exit code for ${code}`).toBeDefined();
		expect(exitCodeFor(code)).toBe(documented);
	});

	it('exits 1 (Internal) only for INTERNAL among the known codes', () => {
		const internal = ERROR_CODES.filter((code) => exitCodeFor(code) === ExitCode.Internal);
		expect(internal).toEqual(['INTERNAL']);
	});

	it('documents no error code that does not exist', () => {
		expect([...documentedExitCodes().keys()].sort()).toEqual([...ERROR_CODES].sort());
	});

	it.each(['NOT_A_CODE', 'toString', 'constructor', '__proto__', ''])(
		'treats the unknown code %j as an internal error',
		(code) => {
			expect(exitCodeFor(code)).toBe(ExitCode.Internal);
		},
	);
});

import { describe, expect, it } from 'vitest';
import { isValidationError } from './errors.js';
import { generateCallsign, generateId, generateMissionId, generateSortieId } from './ids.js';

describe('generateId', () => {
	it('is the prefix, an underscore and 21 URL-safe characters', () => {
		expect(generateId('evt')).toMatch(/^evt_[A-Za-z0-9_-]{21}$/);
	});

	it('does not repeat across many calls', () => {
		const ids = new Set(Array.from({ length: 10_000 }, () => generateId('run')));
		expect(ids.size).toBe(10_000);
	});

	it.each(['', 'Evt', '1abc', 'a-b', 'toolongprefix1234'])('rejects the prefix %j', (prefix) => {
		let caught: unknown;
		try {
			generateId(prefix);
		} catch (error) {
			caught = error;
		}
		expect(isValidationError(caught)).toBe(true);
	});
});

describe('fleet ids', () => {
	it.each([
		['callsign', generateCallsign],
		['sortie', generateSortieId],
		['mission', generateMissionId],
	] as const)('%s ids are <kind>-<12 lowercase alphanumerics>', (kind, make) => {
		const id = make();
		expect(id).toMatch(new RegExp(`^${kind}-[0-9a-z]{12}$`));
		expect(make()).not.toBe(id);
	});
});

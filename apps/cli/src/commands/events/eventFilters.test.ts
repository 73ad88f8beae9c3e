import { type AgentSpaceError, isAgentSpaceError } from '@agentspace/core';
import { describe, expect, it } from 'vitest';
import { assertEventQuery, OptionProblems, parseEventFilters } from './eventFilters.js';
import type { EventFilterOptions } from './eventOptions.js';

function parse(options: EventFilterOptions) {
	const problems = new OptionProblems();
	const filters = parseEventFilters(options, problems);
	assertEventQuery(filters, problems, 'events list');
	return filters;
}

function failure(options: EventFilterOptions): AgentSpaceError {
	try {
		parse(options);
	} catch (error) {
		if (isAgentSpaceError(error)) return error;
		throw error;
	}
	throw new Error(`${JSON.stringify(options)} was accepted`);
}

describe('parseEventFilters', () => {
	it.each<[EventFilterOptions, Record<string, unknown>]>([
		[{}, {}],
		[{ project: '/p/app' }, { project_key: '/p/app' }],
		[{ stream: 'sortie:s1' }, { stream_id: 'sortie:s1' }],
		[{ type: ['sortie_created'] }, { types: ['sortie_created'] }],
		[
			{ type: ['sortie_created,mission_created', ' sortie_created ', 'pilot_active'] },
			{ types: ['sortie_created', 'mission_created', 'pilot_active'] },
		],
		[{ since: '2026-01-01T10:00Z' }, { since: '2026-01-01T10:00:00.000Z' }],
		[{ until: '2026-01-01T10:00+02:00' }, { until: '2026-01-01T08:00:00.000Z' }],
		[{ after: '0' }, { after_sequence: 0 }],
		[{ after: '42' }, { after_sequence: 42 }],
	])('%j → %j', (options, expected) => {
		const filters = Object.fromEntries(
			Object.entries(parse(options)).filter(([, value]) => value !== undefined),
		);
		expect(filters).toEqual(expected);
	});

	it.each<[EventFilterOptions, string, RegExp]>([
		[{ type: ['pilot_regstered'] }, '--type', /did you mean pilot_registered\?$/],
		[{ type: ['zzz'] }, '--type', /^--type "zzz" is not an event type$/],
		[{ type: [','] }, '--type', /must not be empty/],
		[{ project: '' }, '--project', /must not be empty/],
		[{ stream: '' }, '--stream', /must not be empty/],
		[{ since: 'soon' }, '--since', /is not a time/],
		[{ since: '2026-01-02', until: '2026-01-01T00:00Z' }, '--until', /is before --since/],
		[{ after: '1.5' }, '--after', /must be a whole number/],
		[{ project: 'x'.repeat(1025) }, '--project', /at most 1024 characters/],
	])('%j is a usage error about %s', (options, option, message) => {
		const error = failure(options);
		expect(error.code).toBe('USAGE');
		expect(error.issues).toEqual([{ path: option, message: expect.stringMatching(message) }]);
		expect(error.message).toMatch(message);
		expect(error.hint).toBeTruthy();
	});

	it('lists the known event types in the hint for an unknown one', () => {
		expect(failure({ type: ['zzz'] }).hint).toMatch(
			/^the event types are: agent_discovered, .*, review_completed, .*, tool_policy_set, mcp_token_minted, mcp_token_revoked, key_added, .*, key_token_revoked$/,
		);
	});

	it('reports every problem at once', () => {
		const error = failure({ type: ['a', 'b'], since: 'x', after: '-2' });
		expect(error.issues.map((issue) => issue.path)).toEqual([
			'--type',
			'--type',
			'--since',
			'--after',
		]);
		expect(error.message).toMatch(/^4 problems with the options:\n {2}- --type "a"/);
		expect(error.hint).toBe(
			'fix the listed options; run `agentspace events list --help` for examples',
		);
	});
});

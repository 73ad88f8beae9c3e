import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { gatewayToolName, MAX_GATEWAY_TOOL_NAME } from './gatewayNames.js';

const CLIENT_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

function hashOf(target: string): string {
	return createHash('sha256').update(target).digest('hex').slice(0, 10);
}

describe('gatewayToolName', () => {
	it.each([
		['files', 'read_file', 'files__read_file'],
		['server-everything', 'echo', 'server-everything__echo'],
		['a', 'b', 'a__b'],
		// `_` inside an agent id is fine while it is not `__` nor trailing.
		['my_agent', 'x', 'my_agent__x'],
		// A tool name may hold `__`: only the first `__` splits.
		['files', 'read__file', 'files__read__file'],
		// Exactly 64.
		['a'.repeat(30), 'b'.repeat(32), `${'a'.repeat(30)}__${'b'.repeat(32)}`],
	])('%s/%s is clean: %s', (agent, tool, name) => {
		const exposed = gatewayToolName(agent, tool);
		expect(exposed).toEqual({ name, target: `${agent}/${tool}` });
		expect(exposed.name).toMatch(CLIENT_NAME);
	});

	it.each([
		['__ in the agent id', 'a__b', 'c', 'a__b__c'],
		['a trailing _', 'a_', 'b', 'a___b'],
		['too long', 'a'.repeat(30), 'b'.repeat(33), `${'a'.repeat(30)}__${'b'.repeat(33)}`],
		['a dot in the tool name', 'files', 'read.file', 'files__read-file'],
		['the reserved id agentspace', 'agentspace', 'list_agents', 'agentspace__list_agents'],
		['the reserved id fleet', 'fleet', 'inbox', 'fleet__inbox'],
	])('%s is hashed', (_why, agent, tool, readable) => {
		const exposed = gatewayToolName(agent, tool);
		const target = `${agent}/${tool}`;
		const prefix = `_${hashOf(target)}_`;
		expect(exposed.target).toBe(target);
		expect(exposed.shortenedFrom).toBe(`${agent}__${tool}`);
		expect(exposed.name).toBe((prefix + readable).slice(0, MAX_GATEWAY_TOOL_NAME));
		expect(exposed.name).toMatch(CLIENT_NAME);
	});

	it('keeps a 128-character tool name to 64 characters, readable as far as it goes', () => {
		const exposed = gatewayToolName('agent', 'x'.repeat(128));
		expect(exposed.name).toHaveLength(64);
		expect(exposed.name.startsWith(`_${hashOf(`agent/${'x'.repeat(128)}`)}_agent__xxx`)).toBe(true);
	});

	it('never gives two targets one name', () => {
		// Pairs a naive `<agent>__<tool>` would merge, and long names sharing their first 64 characters.
		const targets: [string, string][] = [
			['a', 'b__c'],
			['a__b', 'c'],
			['a_', '_b'],
			['a', '__b'],
			['files', 'read.file'],
			['files', 'read-file'],
			['fleet', 'inbox'],
			['agentspace', 'x'],
			['agentspace-x', 'y'],
			['a'.repeat(40), `${'b'.repeat(40)}1`],
			['a'.repeat(40), `${'b'.repeat(40)}2`],
		];
		const names = targets.map(([agent, tool]) => gatewayToolName(agent, tool).name);
		expect(new Set(names).size).toBe(targets.length);
		// A hashed name starts with `_`; an agent id never does, so no clean name does.
		for (const name of names) expect(name).toMatch(CLIENT_NAME);
	});
});

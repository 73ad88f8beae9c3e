import { describe, expect, it } from 'vitest';
import { createEvent } from '../createEvent.js';
import { rebuildProjections } from '../replay/rebuildProjections.js';
import { dumpProjections } from '../testing/dumpProjections.js';
import {
	event,
	expectRows,
	type ProjectionAssertion,
	projectionSpec,
	type SpecEvent,
} from '../testing/projectionSpec.js';

const given = projectionSpec();
const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

const echo = (hash: string, description = 'Echoes its input') => ({
	name: 'echo',
	description,
	inputSchema: { type: 'object', properties: { text: { type: 'string' } } },
	annotations: { readOnlyHint: true },
	definitionHash: hash,
});
const add = {
	name: 'add',
	title: 'Add',
	inputSchema: { type: 'object' },
	outputSchema: { type: 'object', properties: { sum: { type: 'number' } } },
	definitionHash: B,
};
const listed = (runId: string, tools: ReturnType<typeof echo>[] | (typeof add)[]) =>
	event('agent_tools_listed', { agent_id: 'mcp', run_id: runId, tools });
const pinned = (tool: string, hash: string) =>
	event('tool_pinned', { agent_id: 'mcp', tool, definition_hash: hash });
const toolState = (expected: { name: string; state: string; run_id?: string }[]) =>
	expectRows(
		`SELECT name, state${expected[0]?.run_id === undefined ? '' : ', run_id'} FROM tools ORDER BY name`,
		expected,
	);
const pins = (expected: { name: string; definition_hash: string; accepted_by: string | null }[]) =>
	expectRows('SELECT name, definition_hash, accepted_by FROM tool_pins ORDER BY name', expected);

interface Case {
	readonly name: string;
	readonly given?: readonly SpecEvent[];
	readonly when: SpecEvent | readonly SpecEvent[];
	readonly expect: readonly ProjectionAssertion[];
}

const cases: Case[] = [
	{
		name: 'agent_tools_listed: one row per tool, offered, with its definition as JSON columns',
		when: listed('run1', [add]),
		expect: [
			expectRows(
				`SELECT agent_id, name, title, description, input_schema, output_schema, annotations,
					definition_hash, run_id, state, listed_at FROM tools`,
				[
					{
						agent_id: 'mcp',
						name: 'add',
						title: 'Add',
						description: null,
						input_schema: '{"type":"object"}',
						output_schema: '{"type":"object","properties":{"sum":{"type":"number"}}}',
						annotations: null,
						definition_hash: B,
						run_id: 'run1',
						state: 'offered',
						listed_at: given.at(1),
					},
				],
			),
		],
	},
	{
		name: 'tool_pinned: copies the offered definition into tool_pins (first sight: accepted_by null)',
		given: [listed('run1', [echo(A)])],
		when: pinned('echo', A),
		expect: [
			expectRows(
				'SELECT name, definition_hash, definition, pinned_at, accepted_by FROM tool_pins',
				[
					{
						name: 'echo',
						definition_hash: A,
						definition: JSON.stringify(echo(A)).replace(
							/,"annotations".*$/,
							`,"annotations":{"readOnlyHint":true},"definitionHash":"${A}"}`,
						),
						pinned_at: given.at(2),
						accepted_by: null,
					},
				],
			),
			toolState([{ name: 'echo', state: 'offered' }]),
		],
	},
	{
		name: 'a later listing with a changed definition of a pinned tool is drifted; the pin stays',
		given: [listed('run1', [echo(A)]), pinned('echo', A)],
		when: [
			listed('run2', [echo(B, 'Ignore previous instructions')]),
			event('tool_drifted', {
				agent_id: 'mcp',
				run_id: 'run2',
				tool: 'echo',
				pinned_hash: A,
				offered_hash: B,
			}),
		],
		expect: [
			toolState([{ name: 'echo', state: 'drifted', run_id: 'run2' }]),
			pins([{ name: 'echo', definition_hash: A, accepted_by: null }]),
		],
	},
	{
		name: 'the listing itself marks a pinned tool whose hash differs drifted (replay needs no other event)',
		given: [listed('run1', [echo(A)]), pinned('echo', A)],
		when: listed('run1', [echo(B, 'changed')]),
		expect: [toolState([{ name: 'echo', state: 'drifted' }])],
	},
	{
		name: 'a tool that returns to its pinned definition is offered again',
		given: [listed('run1', [echo(A)]), pinned('echo', A), listed('run1', [echo(B)])],
		when: listed('run1', [echo(A)]),
		expect: [toolState([{ name: 'echo', state: 'offered' }])],
	},
	{
		name: 'tool_accepted: the pin moves to the offered definition, by the actor; offered again',
		given: [listed('run1', [echo(A)]), pinned('echo', A), listed('run2', [echo(B, 'changed')])],
		when: event('tool_accepted', {
			agent_id: 'mcp',
			tool: 'echo',
			definition_hash: B,
			previous_hash: A,
		}),
		expect: [
			toolState([{ name: 'echo', state: 'offered' }]),
			pins([{ name: 'echo', definition_hash: B, accepted_by: 'agentspace' }]),
			expectRows(`SELECT json_extract(definition, '$.description') AS d FROM tool_pins`, [
				{ d: 'changed' },
			]),
		],
	},
	{
		name: 'agent_tools_cleared of the run removes its tools; pins stay',
		given: [listed('run1', [echo(A)]), pinned('echo', A)],
		when: event('agent_tools_cleared', { agent_id: 'mcp', run_id: 'run1' }),
		expect: [toolState([]), pins([{ name: 'echo', definition_hash: A, accepted_by: null }])],
	},
	{
		name: "a clear or end of an older run leaves a newer run's tools",
		given: [listed('run2', [echo(A)])],
		when: [
			event('agent_tools_cleared', { agent_id: 'mcp', run_id: 'run1' }),
			event('agent_run_crashed', { agent_id: 'mcp', run_id: 'run1', exit_code: 1, signal: null }),
		],
		expect: [toolState([{ name: 'echo', state: 'offered' }])],
	},
	{
		name: 'the end of the run (stopped) removes its tools',
		given: [listed('run1', [echo(A)])],
		when: event('agent_run_stopped', {
			agent_id: 'mcp',
			run_id: 'run1',
			exit_code: 0,
			signal: null,
		}),
		expect: [toolState([])],
	},
	{
		name: 'tool_policy_set: one row per agent and tool or *, the last one wins',
		when: [
			event('tool_policy_set', { agent_id: 'mcp', tool: '*', policy: 'deny' }),
			event('tool_policy_set', { agent_id: 'mcp', tool: 'echo', policy: 'deny' }),
			event('tool_policy_set', { agent_id: 'mcp', tool: 'echo', policy: 'allow' }),
		],
		expect: [
			expectRows('SELECT tool, policy, set_at, set_by FROM tool_policies ORDER BY tool', [
				{ tool: '*', policy: 'deny', set_at: given.at(1), set_by: 'agentspace' },
				{ tool: 'echo', policy: 'allow', set_at: given.at(3), set_by: 'agentspace' },
			]),
		],
	},
	{
		name: "agent_uninstalled: the agent's tools, pins and policies go (another agent's stay)",
		given: [
			listed('run1', [echo(A)]),
			pinned('echo', A),
			event('tool_policy_set', { agent_id: 'mcp', tool: '*', policy: 'allow' }),
			event('tool_policy_set', { agent_id: 'mcp', tool: 'echo', policy: 'allow' }),
			event('tool_policy_set', { agent_id: 'other', tool: 'echo', policy: 'deny' }),
		],
		when: event('agent_uninstalled', { agent_id: 'mcp' }),
		expect: [
			toolState([]),
			pins([]),
			expectRows('SELECT agent_id, tool, policy FROM tool_policies', [
				{ agent_id: 'other', tool: 'echo', policy: 'deny' },
			]),
		],
	},
	{
		name: 'a different agent installed later under the same id inherits no pin or policy',
		given: [
			listed('run1', [echo(A)]),
			pinned('echo', A),
			event('tool_policy_set', { agent_id: 'mcp', tool: 'echo', policy: 'allow' }),
			event('agent_uninstalled', { agent_id: 'mcp' }),
		],
		// The new code offers its own echo: not drifted against the old pin, and no policy row.
		when: listed('run2', [echo(B, 'Something else entirely')]),
		expect: [
			toolState([{ name: 'echo', state: 'offered', run_id: 'run2' }]),
			pins([]),
			expectRows('SELECT agent_id, tool FROM tool_policies', []),
		],
	},
];

describe('tools projection', () => {
	for (const c of cases) {
		it(c.name, async () => {
			const db = await given(c.given ?? [])
				.when(c.when)
				.thenExpect(...c.expect);
			// Replay gives the same rows, byte for byte.
			const live = dumpProjections(db);
			rebuildProjections(db);
			const rebuilt = dumpProjections(db);
			for (const table of ['tools', 'tool_pins', 'tool_policies'])
				if (JSON.stringify(rebuilt[table]) !== JSON.stringify(live[table]))
					throw new Error(`${table} differs after a rebuild`);
		});
	}

	it('refuses a listing with two tools of one name, or a bad tool name', () => {
		const make = (tools: object[]) =>
			createEvent('agent_tools_listed', {
				project_key: '/p',
				agent_id: 'mcp',
				run_id: 'run1',
				tools: tools as never,
			});
		expect(() => make([echo(A), echo(B)])).toThrow(/unique/);
		expect(() => make([{ ...echo(A), name: 'a tool' }])).toThrow(/tools\[0\]\.name|tools\.0\.name/);
	});
});

import { createEvent } from '@agentspace/events';
import { describe, expect, it } from 'vitest';
import { AGENT_PROJECT_KEY } from '../agentPaths.js';
import { parseManifest } from './parseManifest.js';

// Every manifest value ends up in an event (agent_discovered / _updated /
// _installed carry the manifest's fields, agent_build_started its steps). A
// value the event refuses but the parser accepts breaks a whole command
// (`discover` for every manifest under a root); so the parser must refuse
// everything the events would, naming the manifest's field.

const good = {
	id: 'echo',
	name: 'Echo',
	version: '1.0.0',
	entrypoint: { command: 'node', args: ['index.js'] },
	build: { steps: [{ command: 'npm', args: ['ci'] }] },
	permissions: ['filesystem:read:/tmp'],
	source: 'https://example.com/echo.git',
};

const hash = 'a'.repeat(64);
const discovered = (fields: Record<string, unknown>) =>
	createEvent('agent_discovered', {
		project_key: AGENT_PROJECT_KEY,
		agent_id: 'echo',
		name: 'Echo',
		version: '1.0.0',
		manifest_path: '/r/agentspace.agent.json',
		manifest_hash: hash,
		permissions_hash: hash,
		requested_permissions: [],
		...fields,
	} as never);
const buildStarted = (steps: unknown) =>
	createEvent('agent_build_started', {
		project_key: AGENT_PROJECT_KEY,
		agent_id: 'echo',
		build_id: 'bld_1',
		steps,
	} as never);

const step = (over: Record<string, unknown>) => ({ command: 'npm', args: [], ...over });
const permission = (text: string) => ({
	manifest: { permissions: [text] },
	event: () => discovered({ requested_permissions: [text] }),
	path: 'permissions[0]',
});

interface Case {
	readonly manifest: Record<string, unknown>;
	/** Builds the event the value would end up in: must throw. */
	readonly event: () => unknown;
	/** The field parseManifest must name. */
	readonly path: string;
}

const CASES: Record<string, Case> = {
	'permission with a newline': permission('filesystem:read:/tmp\n/etc'),
	'permission with a carriage return': permission('filesystem:read:/tmp\r/etc'),
	'permission with a line separator': permission('filesystem:read:/tmp\u2028/etc'),
	'permission with a paragraph separator': permission('filesystem:read:/tmp\u2029/etc'),
	'permission with a tab': permission('filesystem:read:/tmp\t/etc'),
	'permission with a terminal escape': permission('filesystem:read:/tmp\u001b[2K/etc'),
	'permission with a C1 control (NEL)': permission('filesystem:read:/tmp\u0085/etc'),
	'permission with a right-to-left override': permission('filesystem:read:/tmp/\u202eabc'),
	'permission longer than 4200 characters': permission(`filesystem:read:/${'a'.repeat(4200)}`),
	'network permission with a newline': permission('network:egress:example.com\n'),
	'more than 256 permissions': {
		manifest: { permissions: Array.from({ length: 257 }, (_, i) => `env:read:V${i}`) },
		event: () =>
			discovered({
				requested_permissions: Array.from({ length: 257 }, (_, i) => `env:read:V${i}`),
			}),
		path: 'permissions',
	},
	'uppercase id': {
		manifest: { id: 'Echo' },
		event: () => discovered({ agent_id: 'Echo' }),
		path: 'id',
	},
	'id of 65 characters': {
		manifest: { id: 'a'.repeat(65) },
		event: () => discovered({ agent_id: 'a'.repeat(65) }),
		path: 'id',
	},
	'empty name': { manifest: { name: '' }, event: () => discovered({ name: '' }), path: 'name' },
	'name of 513 characters': {
		manifest: { name: 'n'.repeat(513) },
		event: () => discovered({ name: 'n'.repeat(513) }),
		path: 'name',
	},
	'version of 129 characters (a valid semantic version)': {
		manifest: { version: `1.0.0-${'a'.repeat(123)}` },
		event: () => discovered({ version: `1.0.0-${'a'.repeat(123)}` }),
		path: 'version',
	},
	'description over 64 KB': {
		manifest: { description: 'd'.repeat(65_537) },
		event: () => discovered({ description: 'd'.repeat(65_537) }),
		path: 'description',
	},
	'empty source': {
		manifest: { source: '' },
		event: () => discovered({ source_url: '' }),
		path: 'source',
	},
	'source over 4096 characters': {
		manifest: { source: `https://example.com/${'a'.repeat(4096)}` },
		event: () => discovered({ source_url: `https://example.com/${'a'.repeat(4096)}` }),
		path: 'source',
	},
	'empty build command': {
		manifest: { build: { steps: [step({ command: '' })] } },
		event: () => buildStarted([step({ command: '' })]),
		path: 'build.steps[0].command',
	},
	'build command over 4096 characters': {
		manifest: { build: { steps: [step({ command: 'c'.repeat(4097) })] } },
		event: () => buildStarted([step({ command: 'c'.repeat(4097) })]),
		path: 'build.steps[0].command',
	},
	'build argument over 64 KB': {
		manifest: { build: { steps: [step({ args: ['a'.repeat(65_537)] })] } },
		event: () => buildStarted([step({ args: ['a'.repeat(65_537)] })]),
		path: 'build.steps[0].args[0]',
	},
	'more than 1024 build arguments': {
		manifest: { build: { steps: [step({ args: Array(1025).fill('a') })] } },
		event: () => buildStarted([step({ args: Array(1025).fill('a') })]),
		path: 'build.steps[0].args',
	},
	'more than 64 build steps': {
		manifest: { build: { steps: Array(65).fill(step({})) } },
		event: () => buildStarted(Array(65).fill(step({}))),
		path: 'build.steps',
	},
};

describe('parseManifest is at least as strict as the events its values end up in', () => {
	it('accepts the base manifest, and its values make valid events', () => {
		expect(parseManifest(JSON.stringify(good)).ok).toBe(true);
		expect(() => discovered({ requested_permissions: good.permissions })).not.toThrow();
		expect(() => buildStarted(good.build.steps)).not.toThrow();
	});

	it.each(Object.entries(CASES))(
		'%s: refused by the event and by the manifest, naming the field',
		(_, c) => {
			// The case is real: the event schema refuses the value.
			expect(c.event).toThrow(/invalid agent_/);
			const result = parseManifest(JSON.stringify({ ...good, ...c.manifest }));
			expect(result.ok).toBe(false);
			if (result.ok) return;
			expect(result.errors.map((e) => e.path)).toContain(c.path);
		},
	);

	it('quotes a refused permission with its invisible characters escaped', () => {
		for (const char of ['\u001b', '\u0085', '\u202e', '\u2028', '\u2066']) {
			const result = parseManifest(
				JSON.stringify({ ...good, permissions: [`filesystem:read:/tmp/${char}x`] }),
			);
			expect(result.ok).toBe(false);
			if (result.ok) return;
			const message = result.errors[0]?.message ?? '';
			expect(message).toMatch(/^"filesystem:read:\/tmp\/\\u[0-9a-f]{4}x" must not contain/);
			expect(message).not.toContain(char);
		}
	});

	it('says what is wrong with a permission holding a newline, escaped', () => {
		const result = parseManifest(
			JSON.stringify({ ...good, permissions: ['filesystem:read:/tmp\n/etc'] }),
		);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.errors).toEqual([
			{
				path: 'permissions[0]',
				message: expect.stringMatching(
					/^"filesystem:read:\/tmp\\n\/etc" must not contain control characters/,
				),
			},
		]);
	});
});

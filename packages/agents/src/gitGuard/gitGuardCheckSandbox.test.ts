import { existsSync, mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTempHome, sandboxTestGate, type TempHome } from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sandboxReadiness } from '../sandbox/sandboxReadiness.js';
import { runGitGuardCheck } from './gitGuardCheckProcess.js';
import type { GitGuardSnapshot } from './gitGuardSnapshot.js';

// The end-of-run check runs inside bubblewrap: writable only where the run
// was (its roots), the AgentSpace home hidden, no network. Proved with a
// stand-in for the check's program that tries what a fooled check would do.
const skip = !sandboxTestGate(sandboxReadiness(), { file: import.meta.url }).run;

let temp: TempHome;
let base: string;
let root: string;
let outside: string;
let agentspaceHome: string;

beforeEach(() => {
	temp = createTempHome('git-guard-check-sandbox');
	base = realpathSync(temp.home);
	root = join(base, 'writable');
	outside = join(base, 'user-home');
	agentspaceHome = join(base, 'agentspace-home');
	for (const dir of [root, outside, agentspaceHome]) mkdirSync(dir);
	writeFileSync(join(agentspaceHome, 'secret'), 'not for the check');
	// A symlink the agent planted, out of its writable path.
	symlinkSync(outside, join(root, 'to-home'));
});
afterEach(() => temp.cleanup());

/** A program that writes through the planted symlink and inside the root, and reads the home. */
const PROBE = `
import { readFileSync, writeFileSync } from 'node:fs';
const attempt = (f) => { try { f(); return 'ok'; } catch (error) { return error.code ?? String(error); } };
let input = '';
for await (const chunk of process.stdin) input += chunk;
const { snapshot } = JSON.parse(input);
const [root] = snapshot.roots;
const results = {
	throughSymlink: attempt(() => writeFileSync(root + '/to-home/.bash_aliases', 'payload')),
	inRoot: attempt(() => writeFileSync(root + '/inside', 'ok')),
	readHome: attempt(() => readFileSync(process.argv[2] ?? '', 'utf8')),
	network: await new Promise((resolve) => {
		import('node:net').then(({ connect }) => {
			const socket = connect(80, '1.1.1.1');
			socket.on('connect', () => { socket.destroy(); resolve('ok'); });
			socket.on('error', (error) => resolve(error.code));
		});
	}),
};
process.stdout.write(JSON.stringify({ done: { count: 0, gitDirs: 0, complete: false, incompleteBecause: JSON.stringify(results) } }) + '\\n');
`;

const snapshotOf = (roots: string[]): GitGuardSnapshot => ({
	version: 1,
	agentId: 'agent',
	runId: 'run-1',
	since: Date.now(),
	roots,
	complete: true,
	known: [],
	protected: [],
});

describe.skipIf(skip)('the end-of-run check’s sandbox', () => {
	it('lets the check write in the run’s writable paths only (not through a planted symlink), with no network', async () => {
		const script = join(base, 'probe.mjs');
		writeFileSync(script, PROBE);
		const check = await runGitGuardCheck(
			{ snapshot: snapshotOf([root]) },
			{ script, hide: agentspaceHome },
		);
		const results = JSON.parse(check.incompleteBecause ?? '{}') as Record<string, string>;
		expect(results.throughSymlink).toMatch(/^(EROFS|EACCES|EPERM)$/);
		expect(existsSync(join(outside, '.bash_aliases'))).toBe(false);
		expect(results.inRoot).toBe('ok');
		expect(results.network).not.toBe('ok');
	});

	it('hides the AgentSpace home from the check', async () => {
		const script = join(base, 'probe.mjs');
		writeFileSync(
			script,
			PROBE.replace("process.argv[2] ?? ''", JSON.stringify(join(agentspaceHome, 'secret'))),
		);
		const check = await runGitGuardCheck(
			{ snapshot: snapshotOf([root]) },
			{ script, hide: agentspaceHome },
		);
		const results = JSON.parse(check.incompleteBecause ?? '{}') as Record<string, string>;
		expect(results.readHome).toBe('ENOENT');
	});
});

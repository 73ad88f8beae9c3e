import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runNode } from '@agentspace/testing';
import { expect, it } from 'vitest';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

it('the README example runs as written (against the built package)', () => {
	const readme = readFileSync(join(PACKAGE_DIR, 'README.md'), 'utf8');
	const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
	// The example is TypeScript; its only TypeScript-only syntax is `as const`.
	const script = example.replaceAll(' as const', '');
	// A HOME and TMPDIR of its own: the example's git commands must not meet the
	// developer's git config (commit signing, hooks), and the repository and
	// AgentSpace home it creates under tmpdir() are removed with it.
	const scratch = mkdtempSync(join(tmpdir(), 'agents-readme-'));
	try {
		const result = runNode('--input-type=module', ['-e', script], {
			cwd: PACKAGE_DIR,
			env: { HOME: scratch, TMPDIR: scratch },
		});
		expect(result.stderr).toBe('');
		expect(result.status).toBe(0);
		expect(result.stdout.split('\n')).toEqual([
			'echo 40',
			'PERMISSION_DENIED',
			"[ 'filesystem:read:/home/ada/notes/today.md' ]",
			'PERMISSION_DRIFT',
			'',
		]);
	} finally {
		rmSync(scratch, { recursive: true, force: true });
	}
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runNode } from '@agentspace/testing';
import { expect, it } from 'vitest';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

it('the README example runs as written (against the built package)', () => {
	const readme = readFileSync(join(PACKAGE_DIR, 'README.md'), 'utf8');
	const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
	// The example is TypeScript; its only annotation is on `parse`'s parameter.
	const script = example.replace('(text: string)', '(text)');
	const result = runNode('--input-type=module', ['-e', script], { cwd: PACKAGE_DIR });
	expect(result.stderr).toBe('');
	expect(result.status).toBe(0);
	expect(result.stdout).toContain('64 64');
	expect(result.stdout).toContain("[ 'network:egress:example.com' ]");
});

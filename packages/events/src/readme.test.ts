import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTempHome, runNode } from '@agentspace/testing';
import { expect, it } from 'vitest';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

it('the README example runs as written (against the built package)', () => {
	const readme = readFileSync(join(PACKAGE_DIR, 'README.md'), 'utf8');
	const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
	expect(example).toBeDefined();
	const temp = createTempHome('events-readme');
	try {
		const script = (example as string).replace(
			'/tmp/agentspace-events-example/agentspace.db',
			join(temp.home, 'agentspace.db'),
		);
		const result = runNode('--input-type=module', ['-e', script], { cwd: PACKAGE_DIR });
		expect(result.stderr).toBe('');
		expect(result.status).toBe(0);
		expect(result.stdout).toContain('viper-1 1');
		expect(result.stdout).toContain('expected 0, stream is at 1');
		expect(result.stdout).toContain("[ 'schema' ]");
		expect(result.stdout).toContain("sortie_id: 'api'");
	} finally {
		temp.cleanup();
	}
});

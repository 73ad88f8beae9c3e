import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('better-sqlite3 addon (multi-process)', () => {
	it('survives statements being garbage-collected while the process runs', () => {
		// Unpatched better-sqlite3 12 on Node 24 aborts here ("Assertion failed:
		// (env) != nullptr" in Statement::~Statement) once V8 finalizes statements
		// in a GC outside any JS context; see patches/better-sqlite3@12.11.1.patch.
		const script = `
			const { createInMemoryDb, closeDb } = await import(${JSON.stringify(new URL('../../dist/index.js', import.meta.url).href)});
			const db = createInMemoryDb();
			for (let round = 0; round < 20; round++) {
				for (let i = 0; i < 2000; i++) db.$client.prepare('SELECT ' + i).get();
				const garbage = Array.from({ length: 20000 }, (_, i) => ({ i, s: 'x'.repeat(20) }));
				await new Promise((resolve) => setTimeout(resolve, 10 + (garbage.length % 2)));
			}
			closeDb(db);
		`;
		const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
			encoding: 'utf8',
			timeout: 60_000,
		});
		expect(result.stderr).not.toMatch(/Assertion failed/);
		expect(result.signal).toBeNull();
		expect(result.status).toBe(0);
	});
});

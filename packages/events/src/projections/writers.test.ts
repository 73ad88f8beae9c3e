import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { PROJECTION_TABLES } from './projections.js';

const REPO = fileURLToPath(new URL('../../../..', import.meta.url));
// The only code allowed to write projection tables: the projections themselves,
// and the rebuild that empties them before replaying.
const ALLOWED =
	/^packages\/events\/src\/(projections\/[A-Za-z]+Projection\.ts|replay\/rebuildProjections\.ts)$/;

function sourceFiles(dir: string): string[] {
	const out: string[] = [];
	for (const name of readdirSync(dir)) {
		if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
		const path = join(dir, name);
		if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
		else if (/\.(ts|mts|js|mjs)$/.test(name) && !/\.test\.ts$/.test(name)) out.push(path);
	}
	return out;
}

it('nothing but the projections writes the projection tables', () => {
	const tables = PROJECTION_TABLES.join('|');
	const sqlWrite = new RegExp(
		`\\b(INSERT\\s+INTO|UPDATE|DELETE\\s+FROM|REPLACE\\s+INTO)\\s+"?(${tables})"?\\b`,
		'i',
	);
	const drizzleWrite = new RegExp(
		`\\.(insert|update|delete)\\(\\s*(${PROJECTION_TABLES.map((t) => t.replace(/_(\\w)/g, (_m, c: string) => c.toUpperCase())).join('|')})\\s*\\)`,
	);
	const offenders: string[] = [];
	// Production code: every package's and app's src/.
	const roots = ['packages', 'apps'].flatMap((d) =>
		readdirSync(join(REPO, d)).map((name) => join(REPO, d, name, 'src')),
	);
	for (const root of roots) {
		if (!statSync(root, { throwIfNoEntry: false })?.isDirectory()) continue;
		for (const file of sourceFiles(root)) {
			const path = relative(REPO, file);
			if (ALLOWED.test(path)) continue;
			const text = readFileSync(file, 'utf8');
			if (sqlWrite.test(text) || drizzleWrite.test(text)) offenders.push(path);
		}
	}
	expect(offenders).toEqual([]);
	// The guard itself must see the projections, or it proves nothing.
	expect(
		sqlWrite.test(
			readFileSync(join(REPO, 'packages/events/src/projections/sortiesProjection.ts'), 'utf8'),
		),
	).toBe(true);
});

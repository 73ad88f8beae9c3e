import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTempHome } from '@agentspace/testing';
import { describe, expect, it } from 'vitest';
import { MAX_MANIFEST_BYTES, parseManifest, permissionsHash } from './parseManifest.js';
import { readManifestFile } from './readManifestFile.js';

const good = {
	id: 'echo',
	name: 'Echo',
	version: '1.2.3-beta.1',
	description: 'repeats what it hears',
	entrypoint: { command: 'node', args: ['dist/index.js'] },
	build: {
		steps: [
			{ command: 'npm', args: ['ci'] },
			{ command: 'npm', args: ['run', 'build'] },
		],
	},
	permissions: ['network:egress:api.example.com', 'filesystem:read:~/data'],
	env: ['OPENAI_API_KEY'],
	source: 'https://example.com/echo.git',
};
const paths = (input: unknown) => {
	const result = parseManifest(JSON.stringify(input));
	return result.ok ? [] : [...new Set(result.errors.map((e) => e.path))].sort();
};

describe('parseManifest', () => {
	it('accepts a full manifest and hashes it', () => {
		const result = parseManifest(JSON.stringify(good));
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.value.manifest).toEqual(good);
		expect(result.value.manifestHash).toMatch(/^[0-9a-f]{64}$/);
		expect(result.value.permissionsHash).toBe(permissionsHash([...good.permissions].reverse()));
	});

	it('ignores formatting and key order in the manifest hash, not content', () => {
		const hash = (text: string) => {
			const r = parseManifest(text);
			return r.ok ? r.value.manifestHash : '';
		};
		const reordered = JSON.stringify(Object.fromEntries(Object.entries(good).reverse()), null, 2);
		expect(hash(reordered)).toBe(hash(JSON.stringify(good)));
		expect(hash(JSON.stringify({ ...good, version: '1.2.4' }))).not.toBe(
			hash(JSON.stringify(good)),
		);
	});

	it('defaults permissions and args to empty', () => {
		const result = parseManifest(
			JSON.stringify({ id: 'a', name: 'A', version: '0.1.0', entrypoint: { command: 'a' } }),
		);
		expect(result.ok && result.value.manifest).toMatchObject({
			permissions: [],
			entrypoint: { args: [] },
		});
	});

	const cases: [string, unknown, string[]][] = [
		['an unknown top-level field', { ...good, scripts: {} }, ['scripts']],
		['an id with ".."', { ...good, id: 'a..b' }, ['id']],
		['an id with a slash', { ...good, id: '../etc' }, ['id']],
		['an upper-case id', { ...good, id: 'Echo' }, ['id']],
		['a version that is not semver', { ...good, version: '1.2' }, ['version']],
		['a shell string as entrypoint', { ...good, entrypoint: 'node index.js' }, ['entrypoint']],
		[
			'an entrypoint without a command',
			{ ...good, entrypoint: { args: [] } },
			['entrypoint.command'],
		],
		['an empty list of build steps', { ...good, build: { steps: [] } }, ['build.steps']],
		['a bad permission', { ...good, permissions: ['disk:read:/'] }, ['permissions[0]']],
		['a bad env name', { ...good, env: ['1X'] }, ['env[0]']],
		['an option-like source', { ...good, source: '--upload-pack=evil' }, ['source']],
		['an ext:: source', { ...good, source: 'ext::sh -c evil' }, ['source']],
		[
			'several problems at once',
			{ ...good, id: '', version: 'x', permissions: ['nope'] },
			['id', 'permissions[0]', 'version'],
		],
	];
	it.each(cases)('refuses %s, naming the field', (_name, input, expected) => {
		expect(paths(input)).toEqual(expected);
	});

	it('refuses invalid JSON, non-objects and oversized files with a clear message', () => {
		const bad = (text: string) => {
			const r = parseManifest(text);
			return r.ok ? '' : r.errors[0]?.message;
		};
		expect(bad('{"id":')).toMatch(/not valid JSON/);
		expect(bad('[]')).toMatch(/must be a JSON object/);
		expect(bad(' '.repeat(MAX_MANIFEST_BYTES + 1))).toMatch(/limit is 262144 \(256 KB\)/);
	});
});

describe('readManifestFile', () => {
	it('reads a manifest, and refuses a 10 MB one without parsing it', () => {
		const temp = createTempHome('manifest');
		try {
			const ok = join(temp.home, 'agentspace.agent.json');
			writeFileSync(ok, JSON.stringify(good));
			expect(readManifestFile(ok).ok).toBe(true);
			const big = join(temp.home, 'big.json');
			writeFileSync(big, Buffer.alloc(10 * 1024 * 1024, 0x20));
			const result = readManifestFile(big);
			expect(result.ok).toBe(false);
			if (!result.ok)
				expect(result.errors[0]?.message).toMatch(/10485760 bytes; the limit is 262144/);
			mkdirSync(join(temp.home, 'dir'));
			const dir = readManifestFile(join(temp.home, 'dir'));
			expect(!dir.ok && dir.errors[0]?.message).toMatch(/not a regular file/);
			const missing = readManifestFile(join(temp.home, 'missing.json'));
			expect(!missing.ok && missing.errors[0]?.message).toMatch(/cannot read .*ENOENT/);
			symlinkSync(ok, join(temp.home, 'link.json'));
			expect(readManifestFile(join(temp.home, 'link.json')).ok).toBe(true);
		} finally {
			temp.cleanup();
		}
	});
});

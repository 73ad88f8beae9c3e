import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTempHome, runNode, type TempHome } from '@agentspace/testing';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ActionResult, lazyAction, type RunAction } from './action.js';
import type { CommandContext } from './context.js';
import { CLI_BIN } from './testCli.js';

const APP = fileURLToPath(new URL('../', import.meta.url));
const DIST = join(APP, 'dist');

let temp: TempHome;
beforeEach(() => {
	temp = createTempHome('cli-lazy');
});
afterEach(() => temp.cleanup());

describe('lazyAction', () => {
	it("loads the implementation only when its command runs, and passes it commander's arguments and options", async () => {
		const calls: unknown[][] = [];
		let loads = 0;
		const ctx = { home: '/h' } as CommandContext;
		const run: RunAction = async (_command, action) => {
			await action(ctx);
		};
		const module = {
			thing: async (c: CommandContext, id: string, options: { force?: boolean }) => {
				calls.push([c, id, options]);
				return 3 as ActionResult;
			},
		};
		const program = new Command('t').exitOverride();
		program
			.command('thing <id>')
			.option('--force')
			.action(
				lazyAction(
					run,
					async () => {
						loads += 1;
						return module;
					},
					'thing',
				),
			);
		program.command('other').action(() => undefined);

		await program.parseAsync(['node', 't', 'other']);
		expect(loads).toBe(0);
		await program.parseAsync(['node', 't', 'thing', 'x1', '--force']);
		expect(loads).toBe(1);
		expect(calls).toEqual([[ctx, 'x1', { force: true }]]);
	});
});

describe('the bundle (dist/)', () => {
	it('imports each command at run time from its own bundle, none into the entry', () => {
		const entry = readFileSync(join(DIST, 'bin.js'), 'utf8');
		const imported = [...entry.matchAll(/import\("\.\/(commands\/[^"]+\.js)"\)/g)].map(
			([, path]) => path as string,
		);
		const registered = readdirSync(join(APP, 'src', 'commands')).flatMap((group) => {
			const source = readFileSync(join(APP, 'src', 'commands', group, 'register.ts'), 'utf8');
			return [...source.matchAll(/lazyAction\(run, \(\) => import\('\.\/([^']+)'\)/g)].map(
				([, file]) => `commands/${group}/${file}`,
			);
		});
		expect(registered.length).toBeGreaterThanOrEqual(29);
		expect(imported.sort()).toEqual([...new Set(registered)].sort());
		for (const path of imported)
			expect(readdirSync(dirname(join(DIST, path)))).toContain(path.split('/').at(-1));
	});

	it('starts (--help, --version) without any command module, and loads one only to run it', () => {
		// A copy of the package without the command bundles: start-up must not miss them.
		const copy = join(temp.home, 'installed');
		cpSync(join(APP, 'bin'), join(copy, 'bin'), { recursive: true });
		cpSync(join(APP, 'package.json'), join(copy, 'package.json'));
		for (const file of readdirSync(DIST)) {
			if (file === 'commands' || file === 'chunks' || file.endsWith('.map')) continue;
			cpSync(join(DIST, file), join(copy, 'dist', file), { recursive: true });
		}
		const manifest = JSON.parse(readFileSync(join(APP, 'package.json'), 'utf8')) as {
			dependencies: Record<string, string>;
		};
		for (const name of Object.keys(manifest.dependencies)) {
			mkdirSync(dirname(join(copy, 'node_modules', name)), { recursive: true });
			symlinkSync(join(APP, 'node_modules', name), join(copy, 'node_modules', name));
		}
		const stripped = join(copy, 'bin', 'agentspace.js');
		for (const args of [
			['--version'],
			['--help'],
			['agents', '--help'],
			['events', 'list', '--help'],
		]) {
			const full = runNode(CLI_BIN, args);
			const started = runNode(stripped, args);
			expect(started.status, `${args.join(' ')}: ${started.stderr}`).toBe(0);
			expect(started.stdout).toBe(full.stdout);
			expect(started.stdout).not.toBe('');
		}
		// Running a command is what loads its bundle: without it, the command cannot run.
		const home = join(temp.home, 'home');
		expect(runNode(CLI_BIN, ['--home', home, 'config', 'path']).status).toBe(0);
		const missing = runNode(stripped, ['--home', home, 'config', 'path']);
		expect(missing.status).toBe(1);
		expect(missing.stderr).toMatch(/commands\/config\/configPath\.js/);
	});
});

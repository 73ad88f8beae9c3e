import { execFileSync } from 'node:child_process';
import { mkdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTempHome, type TempHome } from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findGitDirs } from './findGitDirs.js';
import { protectGitDirs } from './protectGitDirs.js';

let temp: TempHome;
let root: string;
let outside: string;

beforeEach(() => {
	temp = createTempHome('git-guard-scan');
	root = join(realpathSync(temp.home), 'writable');
	outside = join(realpathSync(temp.home), 'outside');
	mkdirSync(root);
	mkdirSync(outside);
});
afterEach(() => temp.cleanup());

/** A real repository made by git at `dir` (below `root` unless absolute). */
function gitInit(dir: string, ...args: string[]): string {
	mkdirSync(dir, { recursive: true });
	execFileSync('git', ['init', '-q', ...args, dir]);
	return dir;
}

const dirsOf = (roots: string[]) =>
	findGitDirs(roots).gitDirs.map((found) => [found.gitDir, found.kind]);
const pathsOf = (roots: string[]) =>
	findGitDirs(roots)
		.gitDirs.map((found) => found.gitDir)
		.sort();

describe('findGitDirs', () => {
	it('finds repositories at any depth, and nothing in plain directories', () => {
		gitInit(join(root, 'a', 'b', 'c', 'deep'));
		gitInit(join(root, 'top'));
		mkdirSync(join(root, 'plain', 'x', 'y'), { recursive: true });
		expect(dirsOf([root])).toEqual([
			[join(root, 'top', '.git'), 'dotgit'],
			[join(root, 'a', 'b', 'c', 'deep', '.git'), 'dotgit'],
		]);
	});

	it('follows .git files to their git directory, inside the writable paths only', () => {
		mkdirSync(join(root, 'store', 'gd', 'objects'), { recursive: true });
		mkdirSync(join(root, 'store', 'gd', 'refs'));
		writeFileSync(join(root, 'store', 'gd', 'HEAD'), 'ref: refs/heads/main\n');
		mkdirSync(join(root, 'w', 'v'), { recursive: true });
		writeFileSync(join(root, 'w', 'v', '.git'), 'gitdir: ../../store/gd\n');
		gitInit(join(outside, 'theirs'));
		mkdirSync(join(root, 'elsewhere'));
		writeFileSync(join(root, 'elsewhere', '.git'), `gitdir: ${join(outside, 'theirs', '.git')}\n`);
		// The store also looks like a bare repository: found once.
		expect(pathsOf([root])).toEqual([join(root, 'store', 'gd')]);
	});

	it('finds bare repositories and keeps walking below them', () => {
		gitInit(join(root, 'srv', 'project.git'), '--bare');
		gitInit(join(root, 'srv', 'project.git', 'objects', 'hidden'));
		expect(dirsOf([root])).toEqual([
			[join(root, 'srv', 'project.git'), 'bare'],
			[join(root, 'srv', 'project.git', 'objects', 'hidden', '.git'), 'dotgit'],
		]);
	});

	it('finds submodules’ and linked worktrees’ git directories, and a commondir’s target', () => {
		const main = gitInit(join(root, 'main'));
		for (const name of ['lib/a', 'lib/a/modules/nested']) {
			gitInit(join(main, '.git', 'modules', name), '--bare');
		}
		mkdirSync(join(main, '.git', 'worktrees', 'wt'), { recursive: true });
		writeFileSync(join(main, '.git', 'worktrees', 'wt', 'commondir'), '../..\n');
		gitInit(join(root, 'common'), '--bare');
		writeFileSync(join(main, '.git', 'commondir'), '../../common\n');
		expect(dirsOf([root])).toEqual(
			expect.arrayContaining([
				[join(main, '.git'), 'dotgit'],
				[join(main, '.git', 'worktrees', 'wt'), 'worktree'],
				[join(main, '.git', 'modules', 'lib', 'a'), 'module'],
				[join(main, '.git', 'modules', 'lib', 'a', 'modules', 'nested'), 'module'],
			]),
		);
		expect(pathsOf([root])).toContain(join(root, 'common'));
		expect(pathsOf([root])).toHaveLength(5);
		// Found through the commondir alone when it lies where the walk does not go.
		rmSync(join(root, 'common'), { recursive: true });
		gitInit(join(main, '.git', 'elsewhere'), '--bare');
		writeFileSync(join(main, '.git', 'commondir'), 'elsewhere\n');
		expect(dirsOf([root])).toContainEqual([join(main, '.git', 'elsewhere'), 'commondir']);
	});

	it('does not follow symlinked directories; a .git symlink counts where it leads', () => {
		gitInit(join(outside, 'repo'));
		symlinkSync(join(outside), join(root, 'link-out'));
		gitInit(join(root, 'real', 'inner'));
		symlinkSync(join(root, 'real'), join(root, 'link-in'));
		gitInit(join(root, 'target'));
		mkdirSync(join(root, 'linked'));
		symlinkSync(join(root, 'target', '.git'), join(root, 'linked', '.git'));
		expect(dirsOf([root]).sort()).toEqual(
			[
				[join(root, 'real', 'inner', '.git'), 'dotgit'],
				[join(root, 'target', '.git'), 'dotgit'],
			].sort(),
		);
	});

	it('reads a huge folder only up to its entry bound', () => {
		const huge = join(root, 'huge');
		mkdirSync(huge);
		for (let n = 0; n < 5000; n += 1) writeFileSync(join(huge, `f${n}`), '');
		const scan = findGitDirs([root], { maxEntries: 100 });
		expect(scan.complete).toBe(false);
		// Read entry by entry: the whole folder is never loaded to find the bound passed.
		expect(scan.entries).toBe(100);
	});

	it('stops at its bounds, shallow repositories first, and says so', () => {
		gitInit(join(root, 'shallow'));
		gitInit(join(root, 'a', 'b', 'c', 'd', 'deep'));
		const byEntries = findGitDirs([root], { maxEntries: 5 });
		expect(byEntries.complete).toBe(false);
		expect(byEntries.incompleteBecause).toMatch(/^stopped after \d+ directory entries$/);
		expect(byEntries.gitDirs.map((found) => found.gitDir)).toEqual([join(root, 'shallow', '.git')]);
		const byCount = findGitDirs([root], { maxGitDirs: 1 });
		expect(byCount.complete).toBe(false);
		expect(byCount.incompleteBecause).toBe('stopped after 1 git directories');
		let clock = 0;
		const byTime = findGitDirs([root], { maxMs: 2, now: () => clock++ });
		expect(byTime.complete).toBe(false);
		expect(byTime.incompleteBecause).toMatch(/out of time$/);
		const all = findGitDirs([root]);
		expect(all.complete).toBe(true);
		expect(all.gitDirs).toHaveLength(2);
	});

	it('never blocks on a FIFO planted as commondir', () => {
		const repo = gitInit(join(root, 'repo'));
		execFileSync('mkfifo', [join(repo, '.git', 'commondir')]);
		expect(dirsOf([root])).toEqual([[join(repo, '.git'), 'dotgit']]);
	});

	it('scans a writable path that does not exist as empty', () => {
		expect(findGitDirs([join(root, 'missing')])).toMatchObject({ gitDirs: [], complete: true });
	});
});

describe('protectGitDirs', () => {
	it('denies hooks and config of every repository at any depth, and of the writable path itself', () => {
		const deep = gitInit(join(root, 'a', 'b', 'c', 'repo'));
		const protection = protectGitDirs([root]);
		expect(protection.denyWrite).toEqual(
			expect.arrayContaining([
				join(root, '.git', 'hooks'),
				join(root, '.git', 'config'),
				join(deep, '.git', 'hooks'),
				join(deep, '.git', 'config'),
			]),
		);
		// Absent and not enabled: placeholders there are not needed (and an empty
		// commondir would break the repository).
		expect(protection.denyWrite).not.toContain(join(deep, '.git', 'commondir'));
		expect(protection.denyWrite).not.toContain(join(deep, '.git', 'config.worktree'));
		expect(protection.scan.complete).toBe(true);
	});

	it('protects repositories, shallowest first, only while the mounts they cost fit', () => {
		for (const name of ['one', 'two', 'three']) gitInit(join(root, 'a', 'b', name));
		// Each costs its hooks, its config and the directories the sandbox pins
		// above them: a, a/b (once), a/b/<name>, a/b/<name>/.git.
		const all = protectGitDirs([root]);
		expect(all).toMatchObject({ complete: true });
		expect(all.gitDirs).toHaveLength(3);
		const some = protectGitDirs([root], {}, 2 + 6 + 4);
		expect(some.complete).toBe(false);
		expect(some.incompleteBecause).toBe(
			'stopped after 2 repositories: protecting more would take over 12 mounts',
		);
		expect(some.gitDirs).toHaveLength(2);
		expect(some.denyWrite).toHaveLength(2 + 4);
		expect(some.scan.complete).toBe(true);
	});

	it('denies config.worktree where git reads it, and an existing commondir', () => {
		const main = gitInit(join(root, 'main'));
		execFileSync('git', ['-C', main, 'config', 'extensions.worktreeConfig', 'true']);
		mkdirSync(join(main, '.git', 'worktrees', 'wt'), { recursive: true });
		writeFileSync(join(main, '.git', 'worktrees', 'wt', 'commondir'), '../..\n');
		const denies = protectGitDirs([root]).denyWrite;
		expect(denies).toEqual(
			expect.arrayContaining([
				join(main, '.git', 'config.worktree'),
				join(main, '.git', 'worktrees', 'wt', 'commondir'),
				join(main, '.git', 'worktrees', 'wt', 'config.worktree'),
			]),
		);
		// A linked worktree's hooks and config are its common directory's.
		expect(denies).not.toContain(join(main, '.git', 'worktrees', 'wt', 'hooks'));
	});
});

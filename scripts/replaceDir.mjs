// Replaces a build's output directory as a whole (the CLI's build uses it for
// apps/cli/dist): the new output is written to a staging directory beside it
// and swapped in with renames, so what runs meanwhile (the CLI's tests run the
// built binary) finds the old complete output or the new one, never a
// half-deleted or half-written one.
import { readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** How a staging or set-aside directory of `target` is named: `.<name>-<kind>-<pid>` beside it. */
const SIBLING = /^\.(.+)-(next|old)-(\d+)$/;

/**
 * Fills a fresh staging directory beside `target` with `fill(staging)` and
 * then puts it in `target`'s place: the old `target` is renamed aside, the
 * staging directory renamed to `target` (two renames, back to back: the only
 * moment `target` is missing is between them), and the old one removed. A
 * `fill` that throws leaves `target` as it was and removes the staging
 * directory. Staging and set-aside directories of a build that was killed
 * (its pid is gone) are removed first. Beside `target` means on the same file
 * system (rename does not cross one) and at the same depth, so relative paths
 * in the output (source maps' `../src/…`) hold after the swap.
 *
 * @param {string} target the directory to replace (need not exist)
 * @param {(staging: string) => unknown | Promise<unknown>} fill writes the new output into `staging`
 */
export async function replaceDir(target, fill) {
	removeStaleSiblings(target);
	const staging = sibling(target, 'next');
	rmSync(staging, { recursive: true, force: true });
	try {
		await fill(staging);
		swapIn(staging, target);
	} finally {
		rmSync(staging, { recursive: true, force: true });
	}
}

/** `.<name>-<kind>-<this pid>` beside `target`. */
function sibling(target, kind) {
	return join(dirname(target), `.${basename(target)}-${kind}-${process.pid}`);
}

/**
 * Renames `staging` to `target`, the old `target` aside first and removed
 * after. Another build may swap its own output in at the same moment: a
 * `target` that reappears between the two renames is set aside again.
 */
function swapIn(staging, target) {
	const old = sibling(target, 'old');
	for (let attempt = 0; ; attempt++) {
		let setAside = false;
		try {
			renameSync(target, old);
			setAside = true;
		} catch (error) {
			if (error.code !== 'ENOENT') throw error;
		}
		try {
			renameSync(staging, target);
		} catch (error) {
			// ENOTEMPTY/EEXIST: another build's output took its place meanwhile.
			if ((error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') || attempt >= 10) throw error;
			if (setAside) rmSync(old, { recursive: true, force: true });
			continue;
		}
		if (setAside) rmSync(old, { recursive: true, force: true });
		return;
	}
}

/** Removes the staging and set-aside directories of `target` whose build (pid) is no longer running. */
function removeStaleSiblings(target) {
	const name = basename(target);
	let entries;
	try {
		entries = readdirSync(dirname(target));
	} catch (error) {
		if (error.code === 'ENOENT') return;
		throw error;
	}
	for (const entry of entries) {
		const match = SIBLING.exec(entry);
		if (match === null || match[1] !== name || isAlive(Number(match[3]))) continue;
		rmSync(join(dirname(target), entry), { recursive: true, force: true });
	}
}

function isAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: alive, someone else's.
		return error.code === 'EPERM';
	}
}

import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Options for {@link writeFileAtomic}. */
export interface WriteFileAtomicOptions {
	/** File mode of the result; defaults to 0600 (owner read/write only). */
	readonly mode?: number;
	/**
	 * Only create the file, never replace it: it is hard-linked into place
	 * (which fails if it exists) instead of renamed over it. Then the result is
	 * false when the file already existed (and is left as it was).
	 */
	readonly exclusive?: boolean;
}

/**
 * Writes `data` to `path` so that readers see either the old file or the whole
 * new one, never a torn write: a temp file in the same directory is written,
 * fsynced and renamed over the target. The temp file is removed on failure.
 * Returns false only when `exclusive` and the file existed.
 */
export function writeFileAtomic(
	path: string,
	data: string | Uint8Array,
	options: WriteFileAtomicOptions = {},
): boolean {
	const mode = options.mode ?? 0o600;
	const dir = dirname(path);
	const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
	// 'wx' + explicit mode: the temp file is created with the final mode, so the
	// content is never readable by others, not even for an instant.
	const fd = openSync(temp, 'wx', mode);
	try {
		try {
			const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
			let offset = 0;
			while (offset < bytes.length) offset += writeSync(fd, bytes, offset);
			fsyncSync(fd);
		} finally {
			closeSync(fd);
		}
		if (options.exclusive === true) {
			try {
				linkSync(temp, path);
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
				return false;
			} finally {
				rmSync(temp, { force: true });
			}
		} else {
			renameSync(temp, path);
		}
	} catch (error) {
		rmSync(temp, { force: true });
		throw error;
	}
	syncDirectory(dir);
	return true;
}

// Makes the rename itself durable; some platforms cannot open a directory for
// fsync, which only weakens durability, so that failure is ignored.
function syncDirectory(dir: string): void {
	try {
		const fd = openSync(dir, 'r');
		try {
			fsyncSync(fd);
		} finally {
			closeSync(fd);
		}
	} catch {
		// best effort
	}
}

import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import type { ValidationResult } from '@agentspace/core';
import { MAX_MANIFEST_BYTES, type ParsedManifest, parseManifest } from './parseManifest.js';

/**
 * Reads and parses a manifest file, refusing anything over the size limit
 * without reading it (a 10 MB "manifest" is never loaded) and anything that
 * is not a regular file. An unreadable file is an error result, not a throw.
 */
export function readManifestFile(path: string): ValidationResult<ParsedManifest> {
	let fd: number | undefined;
	try {
		// A FIFO or device would block open() itself: refuse it first, and open
		// non-blocking in case it was swapped in between.
		if (!statSync(path).isFile())
			return { ok: false, errors: [{ path: '(root)', message: `${path} is not a regular file` }] };
		fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
		const stat = fstatSync(fd);
		if (!stat.isFile())
			return { ok: false, errors: [{ path: '(root)', message: `${path} is not a regular file` }] };
		if (stat.size > MAX_MANIFEST_BYTES) {
			return {
				ok: false,
				errors: [
					{
						path: '(root)',
						message: `the manifest is ${stat.size} bytes; the limit is ${MAX_MANIFEST_BYTES} (256 KB)`,
					},
				],
			};
		}
		// One byte more than the limit: a file that grew since the stat is still caught.
		const buffer = Buffer.alloc(MAX_MANIFEST_BYTES + 1);
		let length = 0;
		for (;;) {
			const read = readSync(fd, buffer, length, buffer.length - length, null);
			if (read === 0) break;
			length += read;
			if (length === buffer.length) break;
		}
		return parseManifest(buffer.subarray(0, length));
	} catch (error) {
		return {
			ok: false,
			errors: [{ path: '(root)', message: `cannot read ${path}: ${(error as Error).message}` }],
		};
	} finally {
		if (fd !== undefined) closeSync(fd);
	}
}

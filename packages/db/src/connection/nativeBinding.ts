import { createRequire } from 'node:module';
import type Database from 'better-sqlite3';

let cached: Database.Options | undefined;

/**
 * Points better-sqlite3 straight at its compiled addon. Left to itself it
 * finds the addon through the `bindings` package, which probes a dozen paths
 * and costs several milliseconds of every command's start-up. Where the addon
 * is not at the usual place (a custom build), the default lookup is kept.
 */
export function nativeBindingOption(): Database.Options {
	if (cached === undefined) {
		try {
			const nativeBinding = createRequire(import.meta.url).resolve(
				'better-sqlite3/build/Release/better_sqlite3.node',
			);
			cached = { nativeBinding };
		} catch {
			cached = {};
		}
	}
	return cached;
}

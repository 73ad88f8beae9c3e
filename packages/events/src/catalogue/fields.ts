import { z } from 'zod';
import { isStorableInstant } from './timeRange.js';

// Field schemas shared by several event families.

/** A pilot's callsign: letters, digits, ".", "_" or "-", starting with a letter or digit. */
export const Callsign = z
	.string()
	.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1-64 letters, digits, ".", "_" or "-"');

/** An identifier chosen by the caller (sortie id, message id…). */
export const Identifier = z
	.string()
	.regex(
		/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/,
		'must be 1-128 letters, digits, ".", "_", ":" or "-"',
	);

/** An agent id, as in the manifest: safe as a directory name. */
export const AgentId = z
	.string()
	.regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'must be 1-64 lowercase letters, digits, ".", "_" or "-"');

/** A short line of text. */
export const Title = z.string().min(1).max(512);
/** Free text. */
export const Text = z.string().max(65_536);
/** A hex SHA-256 digest. */
export const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex SHA-256 digest');
/** An ISO 8601 time whose UTC form has a four-digit year (so stored times compare as text). */
export const IsoTime = z.iso
	.datetime({ offset: true })
	.refine((time) => inStorableRange(time), { message: 'must fall in the years 0000-9999 (UTC)' });

/** True when the time's UTC form keeps a four-digit year. */
export function inStorableRange(time: string): boolean {
	// Only an offset on the first or last day can push the year out of range;
	// parsing every time to find that out would cost every append.
	if (!time.startsWith('0000-01-01') && !time.startsWith('9999-12-31')) return true;
	return isStorableInstant(Date.parse(time));
}
/** The most wildcards (`*`, `**`, `?`) one glob may have. */
export const MAX_GLOB_WILDCARDS = 16;

/** A glob relative to the project: `*`, `**` and `?` are wildcards. */
export const Glob = z
	.string()
	.min(1)
	.max(1024)
	.refine((glob) => !glob.startsWith('/') && !glob.split('/').includes('..'), {
		message: 'must be relative to the project and must not contain ".."',
	})
	// Overlap checks grow with the wildcards on both sides; real globs have a few.
	.refine((glob) => (glob.match(/\*+|\?/g) ?? []).length <= MAX_GLOB_WILDCARDS, {
		message: 'must have at most 16 wildcards',
	});
/** How urgent a piece of work is. */
export const Priority = z.enum(['low', 'normal', 'high', 'critical']);
/** A permission string, `domain:action[:scope]`: one rule for the manifest parser and the events. */
export { PermissionString } from './permissionString.js';
/** An argv step: a command and its arguments, never a shell string. */
export const CommandStep = z.strictObject({
	command: z.string().min(1).max(4096),
	args: z.array(z.string().max(65_536)).max(1024),
});
/** A plain JSON object. */
export const JsonObject = z.record(z.string(), z.json());

import { z } from 'zod';
import type { MethodTable } from './methodTable.js';

/** A request line's envelope: the token, a method and its params (checked by the method's own schema). */
const DaemonRequestSchema = z.strictObject({
	token: z.string(),
	method: z.string().max(64),
	params: z.unknown(),
});

/** A request checked against a method table, or every problem with it (field path + reason). */
export type CheckedDaemonRequest =
	| { readonly ok: true; readonly method: string; readonly params: unknown }
	| { readonly ok: false; readonly issues: readonly { path: string; message: string }[] };

/**
 * Checks an authenticated request: its envelope, that `methods` has its
 * method, and its params by that method's schema. Paths name the field as
 * sent (`params.graceMs`).
 */
export function checkDaemonRequest(raw: unknown, methods: MethodTable): CheckedDaemonRequest {
	const envelope = DaemonRequestSchema.safeParse(raw);
	if (!envelope.success) return { ok: false, issues: issuesOf(envelope.error, []) };
	const { method, params } = envelope.data;
	const spec = Object.hasOwn(methods, method) ? methods[method] : undefined;
	if (spec === undefined) {
		const known = Object.keys(methods).sort().join(', ');
		return {
			ok: false,
			issues: [{ path: 'method', message: `unknown method "${method}" (known: ${known})` }],
		};
	}
	const checked = spec.params.safeParse(params);
	if (!checked.success) return { ok: false, issues: issuesOf(checked.error, ['params']) };
	return { ok: true, method, params: checked.data };
}

function issuesOf(error: z.ZodError, prefix: readonly PropertyKey[]) {
	return error.issues.map((issue) => ({
		path: [...prefix, ...issue.path].map(String).join('.') || '(request)',
		message: issue.message,
	}));
}

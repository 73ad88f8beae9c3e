import type { Context } from 'hono';
import type { AdminUiDeps, UiEnv } from '../uiContext.js';
import type { Form } from './form.js';
import { refuseRequest } from './refuseRequest.js';

/**
 * The request's form fields (parsed once; Hono keeps them for later reads),
 * or undefined when the body is not a form (by its content type) that parses.
 */
export async function readForm(c: Context<UiEnv>): Promise<Form | undefined> {
	const type = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase();
	if (type !== 'application/x-www-form-urlencoded' && type !== 'multipart/form-data') {
		return undefined;
	}
	try {
		return (await c.req.parseBody({ all: true })) as Form;
	} catch {
		return undefined;
	}
}

/** Refuses (and audits) a body that is not a form. */
export function refuseMalformed(
	c: Context<UiEnv>,
	deps: AdminUiDeps,
): Response | Promise<Response> {
	return refuseRequest(c, deps, {
		kind: 'malformed-body',
		status: 400,
		reason: 'malformed form body',
		hint: 'submit the forms of the UI itself',
	});
}

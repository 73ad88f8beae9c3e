import {
	isInitializeRequest,
	type JSONRPCMessage,
	JSONRPCMessageSchema,
} from '@modelcontextprotocol/sdk/types.js';

/** What {@link checkJsonRpcMessage} found in a request body. */
export type JsonRpcBodyCheck =
	| { readonly ok: true; readonly message: JSONRPCMessage; readonly initialize: boolean }
	| { readonly ok: false; readonly kind: 'batch' | 'invalid'; readonly reason: string };

/**
 * Checks a parsed HTTP request body is one JSON-RPC message, by the SDK's
 * own schema: a batch (an array, whatever its length) or anything else is
 * refused with why. `initialize` says whether it opens a session.
 */
export function checkJsonRpcMessage(body: unknown): JsonRpcBodyCheck {
	if (Array.isArray(body)) {
		return {
			ok: false,
			kind: 'batch',
			reason: `a JSON-RPC batch of ${body.length} messages (batches are not accepted: send one message per request)`,
		};
	}
	const parsed = JSONRPCMessageSchema.safeParse(body);
	if (!parsed.success) {
		return {
			ok: false,
			kind: 'invalid',
			reason: 'not a JSON-RPC 2.0 request, notification or response',
		};
	}
	return { ok: true, message: parsed.data, initialize: isInitializeRequest(parsed.data) };
}

import type { ProviderSpec } from '../providers.js';

/** The kinds of error the endpoint itself answers with, mapped to each wire's error `type`. */
export type ProxyErrorKind =
	| 'invalid-request'
	| 'too-large'
	| 'overloaded'
	| 'authentication'
	| 'permission'
	| 'not-found'
	| 'rate-limit'
	| 'bad-gateway'
	| 'timeout'
	| 'internal';

const ANTHROPIC_TYPES: Record<ProxyErrorKind, string> = {
	'invalid-request': 'invalid_request_error',
	'too-large': 'request_too_large',
	overloaded: 'overloaded_error',
	authentication: 'authentication_error',
	permission: 'permission_error',
	'not-found': 'not_found_error',
	'rate-limit': 'rate_limit_error',
	'bad-gateway': 'api_error',
	timeout: 'api_error',
	internal: 'api_error',
};

const OPENAI_TYPES: Record<ProxyErrorKind, string> = {
	'invalid-request': 'invalid_request_error',
	'too-large': 'invalid_request_error',
	overloaded: 'server_error',
	authentication: 'invalid_request_error',
	permission: 'permission_error',
	'not-found': 'invalid_request_error',
	'rate-limit': 'rate_limit_error',
	'bad-gateway': 'server_error',
	timeout: 'server_error',
	internal: 'server_error',
};

/**
 * An error the endpoint answers itself, as JSON in the provider's own error
 * shape, so an agent's SDK raises it as it would the provider's (and shows
 * the message, which says what to do).
 */
export function providerErrorBody(
	wire: ProviderSpec['wire'] | undefined,
	kind: ProxyErrorKind,
	message: string,
): string {
	const text = `agentspace: ${message}`;
	switch (wire) {
		case 'anthropic':
			return JSON.stringify({
				type: 'error',
				error: { type: ANTHROPIC_TYPES[kind], message: text },
			});
		case 'ollama':
			return JSON.stringify({ error: text });
		default:
			return JSON.stringify({
				error: {
					message: text,
					type: OPENAI_TYPES[kind],
					param: null,
					code: kind.replace('-', '_'),
				},
			});
	}
}

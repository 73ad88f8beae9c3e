/**
 * The LLM providers AgentSpace knows: their ids, wire formats, default base
 * URLs and the path prefix each one is served under by the local endpoint.
 */
import { ValidationError } from '@agentspace/core';

/** A provider id: one of the built-ins, or a named OpenAI-compatible service. */
export type ProviderId = 'anthropic' | 'openai' | 'ollama' | `openai-compatible:${string}`;

/** What the endpoint needs to know about one provider. */
export interface ProviderSpec {
	readonly id: ProviderId;
	/** The request/response format the provider speaks. */
	readonly wire: 'anthropic' | 'openai' | 'ollama';
	/** False for ollama: a local server without a key. */
	readonly needsKey: boolean;
	/** Where requests go when the key record names no base URL; openai-compatible has none (`--base-url` is required). */
	readonly defaultBaseUrl?: string;
	/** The local endpoint's path prefix: `/anthropic`, `/openai`, `/ollama`, `/openai-compatible/<name>`. */
	readonly routePrefix: string;
}

const COMPATIBLE = 'openai-compatible:';
const COMPATIBLE_NAME = /^[a-z0-9][a-z0-9-]{0,31}$/;
const HINT =
	'use anthropic, openai, ollama, or openai-compatible:<name> (name: lower-case letters, digits and dashes, at most 32)';

/** Parses a provider id as typed by a user or found in a permission; throws a ValidationError with a hint otherwise. */
export function parseProvider(text: string): ProviderId {
	if (text === 'anthropic' || text === 'openai' || text === 'ollama') return text;
	if (text.startsWith(COMPATIBLE)) {
		const name = text.slice(COMPATIBLE.length);
		if (COMPATIBLE_NAME.test(name)) return `${COMPATIBLE}${name}`;
		throw new ValidationError(`invalid openai-compatible provider name "${name}"`, { hint: HINT });
	}
	throw new ValidationError(`unknown provider "${text}"`, { hint: HINT });
}

/** The spec of a provider id (as returned by {@link parseProvider}). */
export function providerSpec(id: ProviderId): ProviderSpec {
	switch (id) {
		case 'anthropic':
			return {
				id,
				wire: 'anthropic',
				needsKey: true,
				defaultBaseUrl: 'https://api.anthropic.com',
				routePrefix: '/anthropic',
			};
		case 'openai':
			return {
				id,
				wire: 'openai',
				needsKey: true,
				defaultBaseUrl: 'https://api.openai.com',
				routePrefix: '/openai',
			};
		case 'ollama':
			return {
				id,
				wire: 'ollama',
				needsKey: false,
				defaultBaseUrl: 'http://127.0.0.1:11434',
				routePrefix: '/ollama',
			};
		default:
			return {
				id,
				wire: 'openai',
				needsKey: true,
				routePrefix: `/openai-compatible/${id.slice(COMPATIBLE.length)}`,
			};
	}
}

/**
 * Which provider a request path is for, and the rest of the path to forward
 * (`/anthropic/v1/messages` → anthropic, `/v1/messages`); undefined when the
 * path matches no provider's prefix.
 */
export function providerForPath(
	path: string,
): { readonly provider: ProviderId; readonly rest: string } | undefined {
	for (const id of ['anthropic', 'openai', 'ollama'] as const) {
		const rest = restAfter(path, `/${id}`);
		if (rest !== undefined) return { provider: id, rest };
	}
	const compatible = /^\/openai-compatible\/([^/?]+)/.exec(path);
	if (compatible === null) return undefined;
	const name = compatible[1] ?? '';
	if (!COMPATIBLE_NAME.test(name)) return undefined;
	return { provider: `${COMPATIBLE}${name}`, rest: path.slice(compatible[0].length) || '/' };
}

function restAfter(path: string, prefix: string): string | undefined {
	if (!path.startsWith(prefix)) return undefined;
	const rest = path.slice(prefix.length);
	if (rest === '') return '/';
	if (rest.startsWith('/')) return rest;
	if (rest.startsWith('?')) return `/${rest}`;
	return undefined;
}

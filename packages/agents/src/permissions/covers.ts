import type { NetworkPermission, Permission } from './types.js';

function hostCovered(requested: string, approved: string): boolean {
	if (requested === approved) return true;
	// `*.example.com` covers `a.example.com` and `*.a.example.com`, not `example.com`.
	if (!requested.startsWith('*.')) return false;
	const suffix = requested.slice(1);
	const name = approved.startsWith('*.') ? approved.slice(1) : `.${approved}`;
	return name.endsWith(suffix) && name.length > suffix.length;
}

function networkCovered(requested: NetworkPermission, approved: NetworkPermission): boolean {
	if (!hostCovered(requested.host, approved.host)) return false;
	return requested.port === undefined || requested.port === approved.port;
}

/**
 * True when granting `approved` gives nothing beyond `requested`: same domain
 * and action, and a scope inside the requested one — a path at or below the
 * requested path, a host the requested host or wildcard names (on the same
 * port, when one was requested), the same variable or secret, the same
 * agent's tool (any of its tools when `*` was requested), the same LLM
 * provider.
 */
export function permissionCovers(requested: Permission, approved: Permission): boolean {
	if (requested.domain !== approved.domain || requested.action !== approved.action) return false;
	switch (requested.domain) {
		case 'filesystem': {
			const path = (approved as typeof requested).path;
			if (path === requested.path) return true;
			return path.startsWith(requested.path === '/' ? '/' : `${requested.path}/`);
		}
		case 'network':
			return networkCovered(requested, approved as NetworkPermission);
		case 'env':
			return requested.variable === (approved as typeof requested).variable;
		case 'secret':
			return requested.name === (approved as typeof requested).name;
		case 'process':
			return true;
		case 'tool': {
			const { agent, tool } = approved as typeof requested;
			return agent === requested.agent && (requested.tool === '*' || tool === requested.tool);
		}
		case 'llm':
			return requested.provider === (approved as typeof requested).provider;
	}
}

/** The approved permissions no requested permission covers (empty: approved ⊆ requested). */
export function uncoveredPermissions(
	requested: readonly Permission[],
	approved: readonly Permission[],
): Permission[] {
	return approved.filter((a) => !requested.some((r) => permissionCovers(r, a)));
}

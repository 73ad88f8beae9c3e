import type { Permission } from './types.js';

/**
 * What a permission lets the agent do, in words for the person approving it
 * (`agents enable`'s checklist). Only for permissions whose string does not
 * say it plainly: `llm:` names a provider, not what happens with the key.
 */
export function permissionMeaning(permission: Permission): string | undefined {
	switch (permission.domain) {
		case 'llm':
			return `send requests to ${permission.provider} through AgentSpace's endpoint, with your key, which it never sees`;
		case 'secret':
			return `read the secret "${permission.name}" (given to it as an environment variable)`;
		default:
			return undefined;
	}
}

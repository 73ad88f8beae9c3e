import { homedir } from 'node:os';
import type { PermissionBases } from '../permissions/types.js';

/** The bases an installed agent's permissions resolve against: the user's home and its checkout. */
export function approvalBases(installPath: string, userHome?: string): PermissionBases {
	return { home: userHome ?? homedir(), agentDir: installPath };
}

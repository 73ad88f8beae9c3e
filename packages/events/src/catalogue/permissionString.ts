import { z } from 'zod';
import {
	PERMISSION_SHAPE,
	PERMISSION_SHAPE_PROBLEM,
	permissionTextProblem,
} from './permissionStringRule.js';

export {
	MAX_PERMISSION_LENGTH,
	permissionStringProblem,
	permissionTextProblem,
} from './permissionStringRule.js';

/**
 * A permission string, `domain:action[:scope]`: the events' schema for the
 * rule in permissionStringRule.ts (see `permissionStringProblem`).
 */
export const PermissionString = z
	.string()
	// The pattern also names the field's type in specs/events.md.
	.regex(PERMISSION_SHAPE, PERMISSION_SHAPE_PROBLEM)
	.superRefine((text, ctx) => {
		const problem = permissionTextProblem(text);
		if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
	});

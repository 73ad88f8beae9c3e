import type { ChangeActor } from '@agentspace/agents';
import { type AuditRecord, recordAuditEvent } from '@agentspace/db';
import type { AdminUiDeps } from './uiContext.js';

/** Records one of the UI's own audit entries (`ui.*`: opened, closed, session started or ended). */
export function recordUiEvent(
	deps: Pick<AdminUiDeps, 'db' | 'sourceApp'>,
	actor: ChangeActor,
	eventType: `ui.${string}`,
	metadata: Record<string, string | number | boolean>,
): Promise<AuditRecord> {
	return recordAuditEvent(deps.db, {
		eventType,
		actor,
		sourceApp: deps.sourceApp,
		metadata,
	});
}

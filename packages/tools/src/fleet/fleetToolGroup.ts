import type { BuiltinToolGroup } from '../router/builtinTools.js';
import { ackTool } from './ackTool.js';
import { checkpointsTool } from './checkpointsTool.js';
import { checkpointTool } from './checkpointTool.js';
import { createSortieTool } from './createSortieTool.js';
import type { FleetToolsOptions } from './fleetCommon.js';
import { inboxTool } from './inboxTool.js';
import { pilotsTool } from './pilotsTool.js';
import { readMessageTool } from './readMessageTool.js';
import { readyWorkTool } from './readyWorkTool.js';
import { registerTool } from './registerTool.js';
import { releaseFilesTool } from './releaseFilesTool.js';
import { reservationsTool } from './reservationsTool.js';
import { reserveFilesTool } from './reserveFilesTool.js';
import { sendMessageTool } from './sendMessageTool.js';
import { updateSortieTool } from './updateSortieTool.js';

/**
 * The `fleet` built-in tools (`fleet__register`, `fleet__send_message`…):
 * thin tools over the events' pilots, messages, reservations, sorties and
 * checkpoints, so pilots
 * (coding agents, MCP clients) pointed at one AgentSpace can coordinate.
 * Every tool takes the acting `callsign` (an agent caller may only be
 * itself); writes are events appended in one write transaction with the
 * caller as actor, projections updated inline. Answers are small JSON (text
 * and structuredContent), every list bounded.
 */
export function fleetToolGroup(options: FleetToolsOptions): BuiltinToolGroup {
	return {
		id: 'fleet',
		tools: [
			registerTool(options),
			pilotsTool(options),
			sendMessageTool(options),
			inboxTool(options),
			readMessageTool(options),
			ackTool(options),
			reserveFilesTool(options),
			releaseFilesTool(options),
			reservationsTool(options),
			createSortieTool(options),
			readyWorkTool(options),
			updateSortieTool(options),
			checkpointTool(options),
			checkpointsTool(options),
		],
	};
}

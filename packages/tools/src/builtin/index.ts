// @agentspace/tools/builtin: what a built-in tool group outside this package
// (the daemon's agentspace group) shares with the fleet tools — the answer's
// shape, the cut of a long text and the actor a caller's writes are recorded
// as — without loading the rest of the package: the daemon registers its
// group when it starts, and the main entry would bring the MCP SDK and Ajv
// (which the tools service loads only on first use) into every start.
export { callerActor } from '../fleet/callerActor.js';
export { cut, jsonResult } from '../fleet/fleetCommon.js';

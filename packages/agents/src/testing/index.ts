// @agentspace/agents/testing: set-ups for tests of code built on the agents
// library (its own, the daemon's, the UI's and the CLI's). It lives in this
// package, not in @agentspace/testing, because that package is a dev
// dependency of this one: depending back on the agents library would make a
// package cycle. It uses @agentspace/testing's fixtures (temporary homes, the
// fixture agents' git repositories), so it is for this repository's tests.

// recordChange and isRunRecordedRunning: for a test that forges what a program
// would have recorded (a run whose supervisor is gone) or asks what is
// recorded; no program needs them, so they are not in the main entry.
export type { AgentChange, AgentEventInput, RecordedChange } from '../catalog/recordChange.js';
export { recordChange } from '../catalog/recordChange.js';
export { isRunRecordedRunning } from '../launcher/currentRun.js';
export type {
	AgentScenario,
	AgentScenarioOptions,
	AgentStage,
	ScenarioAgent,
} from './agentScenario.js';
export { agentScenario } from './agentScenario.js';
export { echoAgentSupervision } from './echoAgentSupervision.js';
export type { InstallRunAgentOptions } from './installRunAgent.js';
export { installRunAgent } from './installRunAgent.js';
export type { TempHomeDb } from './tempHomeDb.js';
export { openTempHomeDb } from './tempHomeDb.js';

export { freePort } from './freePort.js';
export type { GitRepo } from './gitRepo.js';
export {
	createFixtureAgentRepo,
	createGitRepo,
	FIXTURE_RUN_AGENT,
	fixtureAgentManifest,
} from './gitRepo.js';
export type { LlmAgentClient, LlmAgentRepoOptions } from './llmAgentRepo.js';
export { createLlmAgentRepo, LLM_AGENTS_DIR, llmAgentManifest } from './llmAgentRepo.js';
export type { McpFixtureAgentProcess, McpFixtureAgentRepoOptions } from './mcpFixtureAgent.js';
export {
	createMcpFixtureAgentRepo,
	MCP_FIXTURE_AGENT_DIR,
	mcpFixtureAgentManifest,
	mcpFixtureAgentSource,
	startMcpFixtureAgent,
	writeMcpFixtureAgent,
} from './mcpFixtureAgent.js';
export type { NpmMcpAgentName, NpmMcpAgentRepoOptions } from './npmMcpAgentRepo.js';
export {
	createNpmMcpAgentRepo,
	NPM_MCP_AGENTS_DIR,
	NPM_TEST_CACHE_DIR,
	npmMcpAgentManifest,
} from './npmMcpAgentRepo.js';
export type { RunFixtureAgentRepoOptions } from './runFixtureAgentRepo.js';
export { createRunFixtureAgentRepo } from './runFixtureAgentRepo.js';
export type { ProcessResult, RunNodeOptions } from './runNode.js';
export { runNode, runNodeAsync } from './runNode.js';
export type {
	SandboxReadinessReport,
	SandboxTestGate,
	SandboxTestGateOptions,
} from './sandboxTestGate.js';
export {
	isCi,
	SANDBOX_SKIP_LOG,
	sandboxSkipSummary,
	sandboxTestGate,
} from './sandboxTestGate.js';
export type { TempHome } from './tempHome.js';
export { createTempHome } from './tempHome.js';

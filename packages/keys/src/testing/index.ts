// @agentspace/keys/testing: stand-in LLM provider servers for tests and
// benches of the LLM endpoint (this package's, the daemon's, the CLI's
// end-to-end tests). Not published (package.json's publishConfig leaves it out).
export type {
	StandInOptions,
	StandInProvider,
	StandInRequest,
} from './standInProvider.js';
export { STAND_IN_USAGE, startStandInProvider } from './standInProvider.js';

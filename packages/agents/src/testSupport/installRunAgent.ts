// Moved to ../testing/ (the package's ./testing entry); kept until the tests importing it from here move.
export type { InstallRunAgentOptions } from '../testing/installRunAgent.js';
export { installRunAgent } from '../testing/installRunAgent.js';

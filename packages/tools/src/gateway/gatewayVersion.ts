/** The version the gateway reports as its serverInfo: @agentspace/tools' (a test keeps it equal to package.json's). */
export const GATEWAY_VERSION = '0.1.0';

/**
 * Runs a node through n8n-core's real execution engine (WorkflowExecute, request
 * helpers, binary data service) over real HTTP. See run-node.ts for the flow.
 */
export { runNode, DEFAULT_NODE_TYPE_NAME } from './run-node';
export type { InputBinary, InputFile } from './manual-trigger';
export type { RunNodeOptions, RunNodeResult } from './run-node';
export { getBinaryBuffer } from './binary';
export { testCredential } from './credential-tester';
export { setupContainer as configureHarness, getBinaryDataMode, getStoragePath } from './container';
export type { BinaryDataMode, HarnessConfig } from './container';

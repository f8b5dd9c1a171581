import { ExpressionEngineConfig } from '@n8n/config';
import { Container } from '@n8n/di';
import { Expression } from 'n8n-workflow';

/**
 * 'legacy': n8n-workflow's in-process evaluator, the default when nothing
 * initialises an engine. Fast (a run takes a few ms).
 * 'quickjs': the sandboxed expression runtime in WebAssembly. n8n 2.x servers use
 * 'vm' (the same runtime in isolated-vm, a native addon that is not built here and
 * needs Node 24). Each execution gets a fresh sandbox, so a run costs ~200 ms more.
 * Under Jest, 'quickjs' needs NODE_OPTIONS=--experimental-vm-modules because
 * n8n-workflow loads the runtime with a dynamic import().
 */
export type ExpressionEngine = 'legacy' | 'quickjs';

export async function useExpressionEngine(engine: ExpressionEngine): Promise<void> {
	if (Expression.getActiveImplementation() === engine) return;
	if (engine === 'legacy') {
		Expression.setExpressionEngine('legacy');
		await Expression.disposeExpressionEngine();
		return;
	}
	// n8n's own defaults (N8N_EXPRESSION_ENGINE_* settings).
	const config = Container.get(ExpressionEngineConfig);
	await Expression.initExpressionEngine({
		engine,
		bridgeTimeout: config.bridgeTimeout,
		bridgeMemoryLimit: config.bridgeMemoryLimit,
		poolSize: config.poolSize,
		maxCodeCacheSize: config.maxCodeCacheSize,
	});
}

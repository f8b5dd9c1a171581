// What every browser test needs once per file: the packed package and a simulator on loopback.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { packPackage } from '../../e2e/support/pack';
import { startSimulator, type SimulatorHandle, type SimulatorOptions } from '../../simulator';

export interface BrowserTestSetup {
	/** The simulator; set once the file's beforeAll ran. */
	sim(): SimulatorHandle;
	/** Path of the packed package. */
	tarball(): string;
}

/** Registers beforeAll/afterAll hooks that pack the package and start (then stop) a simulator. */
export function useTarballAndSimulator(options: Partial<SimulatorOptions>): BrowserTestSetup {
	let sim: SimulatorHandle | undefined;
	let packDir: string | undefined;
	let tarball: string | undefined;

	beforeAll(async () => {
		packDir = mkdtempSync(path.join(tmpdir(), 'spark-browser-pack-'));
		tarball = packPackage(packDir);
		sim = await startSimulator(options);
	});

	afterAll(async () => {
		await sim?.close();
		if (packDir) rmSync(packDir, { recursive: true, force: true });
	});

	return {
		sim: () => {
			if (!sim) throw new Error('the simulator is not running yet');
			return sim;
		},
		tarball: () => {
			if (!tarball) throw new Error('the package is not packed yet');
			return tarball;
		},
	};
}

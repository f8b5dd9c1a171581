import type { IExecuteFunctions } from 'n8n-workflow';

import type { Clock } from '../transport/clock';
import type { ApiClient } from '../transport/apiClient';
import type { DownloadClient, ImageCheckClient } from '../transport/keylessClients';
import type { StagingClient } from '../staging/bucketClient';
import type { Pacing } from '../polling/pacing';
import type { ItemRecord } from './runLedger';

/** What an operation gets for one input item, read-only; what the item pays for or stores goes to its `record`. */
export interface ItemRun {
	readonly ctx: IExecuteFunctions;
	readonly client: ApiClient;
	readonly downloads: DownloadClient;
	readonly imageChecks: ImageCheckClient;
	readonly itemIndex: number;
	readonly clock: Clock;
	/** Aborts when the execution is cancelled. Create requests listen to this one only. */
	readonly executionSignal?: AbortSignal;
	/** Also aborts when another item failed the run: polling and downloads stop. */
	readonly signal: AbortSignal;
	readonly pacing: Pacing;
	/** The staging bucket's client, made on first use (binary input only). */
	readonly staging: () => Promise<StagingClient>;
	readonly record: ItemRecord;
}
